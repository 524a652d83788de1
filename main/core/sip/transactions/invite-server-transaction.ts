/** The INVITE server transaction (RFC 3261 §17.2.1, with the Accepted state of RFC 6026 §8.5-8.7). */
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { ServerTransactionDelegate } from './transaction-delegate.js';
import { createTrying } from './transaction-messages.js';
import { TransactionStateError } from './transaction-state-error.js';
import { TRYING_DELAY, type TransactionTimers } from './transaction-timers.js';
import type { TransactionTransport, TransportAddress } from './transaction-transport.js';
import { Transaction, isProvisional, isSuccess } from './transaction.js';

/**
 * States of the INVITE server transaction (RFC 3261 Figure 7, as RFC 6026 Figure 5 amends it):
 * ```
 *                                |INVITE
 *                                |pass INV to TU
 *             INVITE             V send 100 if TU won't in 200 ms
 *             send response+------------+
 *                 +--------|            |--------+ 101-199 from TU
 *                 |        |            |        | send response
 *                 +------->|            |<-------+
 *                          | Proceeding |
 *                          |            |--------+ Transport Err.
 *                          |            |        | Inform TU
 *                          |            |<-------+
 *                          +------------+
 *             300-699 from TU |    |2xx from TU
 *             send response   |    |send response
 *              +--------------+    +------------+
 *              |                                |
 * INVITE       V          Timer G fires         |
 * send response+-----------+ send response      |
 *     +--------|           |--------+           |
 *     |        |           |        |           |
 *     +------->| Completed |<-------+      INVITE / -       2xx from TU
 *              |           |                +---------+     send response
 *              +-----------+                |         |     +------+
 *               |    |  Timer H fires       |         V     |      V
 *               |    |  or Transport Err.   |   +-----------+      |
 *           ACK |    |  Inform TU           +---|  Accepted |------+
 *           -   |    +----------------+         +-----------+
 *               V                     |           |    ^   ACK / to TU
 *         +-----------+               |   Timer L |    |
 *         | Confirmed |               |   fires   +----+
 *         +-----------+               |           |
 *               | Timer I fires       |           |
 *               V                     V           V
 *         +-------------------------------------------+
 *         |                 Terminated                |
 *         +-------------------------------------------+
 * ```
 */
export enum InviteServerTransactionState {
  Proceeding = 'Proceeding',
  Accepted = 'Accepted',
  Completed = 'Completed',
  Confirmed = 'Confirmed',
  Terminated = 'Terminated',
}

const S = InviteServerTransactionState;

const legalMoves: Readonly<Record<InviteServerTransactionState, readonly InviteServerTransactionState[]>> = {
  [S.Proceeding]: [S.Proceeding, S.Accepted, S.Completed, S.Terminated],
  [S.Accepted]: [S.Accepted, S.Terminated],
  [S.Completed]: [S.Completed, S.Confirmed, S.Terminated],
  [S.Confirmed]: [S.Terminated],
  [S.Terminated]: [],
};

/** The state a response from the TU leads to. */
function targetOf(response: SipResponse): InviteServerTransactionState {
  return isProvisional(response) ? S.Proceeding : isSuccess(response) ? S.Accepted : S.Completed;
}

export class InviteServerTransaction extends Transaction<InviteServerTransactionState, ServerTransactionDelegate<InviteServerTransactionState>> {
  readonly kind = 'invite-server';
  private last: SipResponse | undefined;
  private timerGInterval: number;

  /**
   * §17.2.1: "When a server transaction is constructed for a request, it enters the
   * 'Proceeding' state. The server transaction MUST generate a 100 (Trying) response unless it
   * knows that the TU will generate a provisional or final response within 200 ms".
   */
  constructor(
    request: SipRequest,
    source: TransportAddress,
    transport: TransactionTransport,
    timers: TransactionTimers,
    delegate?: ServerTransactionDelegate<InviteServerTransactionState>,
  ) {
    if (request.method !== 'INVITE') throw new RangeError(`an INVITE server transaction cannot serve ${request.method}`);
    super(request, source, transport, timers, S.Proceeding, delegate);
    this.timerGInterval = timers.t1;
    this.startTimer('Trying', TRYING_DELAY, () => this.respond(createTrying(request)));
  }

  /** The last response sent, which a retransmitted INVITE gets again. */
  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  /**
   * A response from the TU. Throws TransactionStateError where Figure 7 has no such move, e.g.
   * a provisional response after the final one.
   */
  respond(response: SipResponse): void {
    switch (this.state) {
      // §17.2.1: "The TU passes any number of provisional responses to the server transaction.
      // So long as the server transaction is in the 'Proceeding' state, each of these MUST be
      // passed to the transport layer for transmission." RFC 6026 §8.5: "If, while in the
      // 'Proceeding' state, the TU passes a 2xx response to the server transaction, the server
      // transaction MUST pass this response to the transport layer for transmission ... The
      // server transaction MUST then transition to the 'Accepted' state." §17.2.1: "While in
      // the 'Proceeding' state, if the TU passes a response with status code from 300 to 699
      // to the server transaction, the response MUST be passed to the transport layer for
      // transmission, and the state machine MUST enter the 'Completed' state."
      case S.Proceeding:
        this.stopTimer('Trying');
        this.last = response;
        if (isProvisional(response)) {
          this.stateTransition(S.Proceeding);
          this.send(response);
        } else if (isSuccess(response)) {
          this.stateTransition(S.Accepted);
          this.send(response);
          // RFC 6026 §8.7: "Timer L ... 64*T1": the time to absorb INVITE retransmissions.
          this.startTimer('L', 64 * this.timers.t1, () => this.stateTransition(S.Terminated));
        } else {
          this.stateTransition(S.Completed);
          this.send(response);
          // §17.2.1: "For unreliable transports, timer G is set to fire in T1 seconds, and is
          // not set to fire for reliable transports ... timer H MUST be set to fire in 64*T1
          // seconds for all transports."
          if (!this.reliable) this.startTimer('G', this.timerGInterval, () => this.timerG());
          this.startTimer('H', 64 * this.timers.t1, () => this.timerH());
        }
        return;
      // RFC 6026 §8.7: "While in the 'Accepted' state, any 2xx responses passed from the TU
      // MUST be passed to the transport layer for transmission" (the TU retransmits its 2xx).
      case S.Accepted:
        this.stateTransition(targetOf(response));
        this.last = response;
        this.send(response);
        return;
      // Like §17.2.2 for non-INVITE, a further final non-2xx in Completed is discarded; any
      // other response here, or after Completed, is a move the machine does not have.
      case S.Completed:
        if (targetOf(response) !== S.Completed) this.stateTransition(targetOf(response));
        return;
      case S.Confirmed:
      case S.Terminated:
        this.stateTransition(targetOf(response));
        return;
    }
  }

  /** A retransmitted INVITE, or the ACK, that the transaction layer matched (§17.2.3). */
  receiveRequest(request: SipRequest): void {
    if (request.method === 'ACK') {
      // §17.2.1: "If an ACK is received while the server transaction is in the 'Completed'
      // state, the server transaction MUST transition to the 'Confirmed' state. As Timer G is
      // ignored in this state, any retransmissions of the response will cease." Timer I: "T4
      // seconds for unreliable transports, and zero seconds for reliable transports." ACKs in
      // other states are absorbed (the layer hands those for an Accepted 2xx to the TU).
      if (this.state !== S.Completed) return;
      this.stateTransition(S.Confirmed);
      if (this.reliable) this.stateTransition(S.Terminated);
      else this.startTimer('I', this.timers.t4, () => this.stateTransition(S.Terminated));
      return;
    }
    switch (this.state) {
      // §17.2.1: "If a request retransmission is received while in the 'Proceeding' state, the
      // most recent provisional response that was received from the TU MUST be passed to the
      // transport layer for retransmission." Completed: "Furthermore, while in the 'Completed'
      // state, if a request retransmission is received, the server SHOULD pass the response
      // to the transport for retransmission." RFC 6026 §8.7: in Accepted "retransmissions of
      // the INVITE ... are absorbed" — the 2xx retransmissions are the TU's.
      case S.Proceeding:
      case S.Completed:
        if (this.last !== undefined) {
          this.stateTransition(this.state);
          this.send(this.last);
        }
        return;
      case S.Accepted:
      case S.Confirmed:
      case S.Terminated:
        return;
    }
  }

  protected terminate(): void {
    this.stateTransition(S.Terminated);
  }

  /**
   * §17.2.1: "If timer G fires, the response is passed to the transport layer once more for
   * retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds. From then on, when
   * timer G fires, the response is passed to the transport again for transmission, and timer
   * G is reset with a value that doubles, unless that value exceeds T2".
   */
  private timerG(): void {
    if (this.state !== S.Completed || this.last === undefined) return;
    this.stateTransition(S.Completed);
    this.send(this.last);
    this.timerGInterval = Math.min(2 * this.timerGInterval, this.timers.t2);
    this.startTimer('G', this.timerGInterval, () => this.timerG());
  }

  /**
   * §17.2.1: "If timer H fires while in the 'Completed' state, it implies that the ACK was
   * never received. In this case, the server transaction MUST transition to the 'Terminated'
   * state, and MUST indicate to the TU that a transaction failure has occurred."
   */
  private timerH(): void {
    if (this.state !== S.Completed) return;
    this.delegate?.onTimeout?.();
    this.stateTransition(S.Terminated);
  }

  /** The one place the state changes: refuses moves Figure 7 (RFC 6026 Figure 5) does not have. */
  private stateTransition(to: InviteServerTransactionState): void {
    const from = this.state;
    if (!legalMoves[from].includes(to)) throw new TransactionStateError(this.kind, from, to);
    // Entering Confirmed: "Timer G is ignored in this state"; Timer H has nothing left to detect.
    if (to === S.Confirmed) {
      this.stopTimer('G');
      this.stopTimer('H');
    }
    this.enterState(to);
  }
}
