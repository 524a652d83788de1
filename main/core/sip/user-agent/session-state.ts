/**
 * The states of an INVITE session (RFC 3261 §13–§15), seen by its owner. A client session
 * (outgoing call) and a server session (incoming call) each allow their own moves of these.
 *
 * ```
 *   outgoing:  Calling ──1xx──▶ Proceeding ──183+SDP──▶ EarlyMedia
 *                 │   └──────────────┴──cancel()──▶ Cancelling ──487──▶ Terminated
 *                 └──────2xx (ACK sent)──▶ Established ──bye()──▶ Terminating ──▶ Terminated
 *   incoming:  Incoming ──ring()──▶ Ringing ──answer()──▶ WaitingForAck ──ACK──▶ Established
 *                 └──reject() / CANCEL──────────────────────────────────────────▶ Terminated
 *   either:    Established ──BYE received / session expired──▶ Terminated
 * ```
 */
export enum SessionState {
  /** UAC: the INVITE is sent, nothing heard yet. */
  Calling = 'Calling',
  /** UAC: a provisional response came (§13.2.2.1). */
  Proceeding = 'Proceeding',
  /** UAC: a provisional response carried the answer: early media (RFC 3261 §13.2.1, RFC 3960). */
  EarlyMedia = 'EarlyMedia',
  /** UAC: CANCEL sent, or waiting for a provisional response to send it (§9.1). */
  Cancelling = 'Cancelling',
  /** UAS: the INVITE came; nothing but 100 sent. */
  Incoming = 'Incoming',
  /** UAS: 180 Ringing (or 183) sent. */
  Ringing = 'Ringing',
  /** UAS: 2xx sent and being retransmitted until the ACK (§13.3.1.4). */
  WaitingForAck = 'WaitingForAck',
  /** The dialog is confirmed and the session up. */
  Established = 'Established',
  /** BYE sent, its response awaited (§15.1.1). */
  Terminating = 'Terminating',
  Terminated = 'Terminated',
}

export type SessionMoves = Readonly<Partial<Record<SessionState, readonly SessionState[]>>>;
