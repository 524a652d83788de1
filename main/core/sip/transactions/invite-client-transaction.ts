/** The INVITE client transaction (RFC 3261 §17.1.1, with the Accepted state of RFC 6026 §8.4). */
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { ClientTransactionDelegate } from './transaction-delegate.js';
import { createNonSuccessAck } from './transaction-messages.js';
import { TransactionStateError } from './transaction-state-error.js';
import type { TransactionTimers } from './transaction-timers.js';
import type { TransactionTransport, TransportAddress } from './transaction-transport.js';
import { Transaction, isProvisional, isSuccess } from './transaction.js';

/**
 * States of the INVITE client transaction (RFC 3261 Figure 5, as RFC 6026 Figure 3 amends it):
 * ```
 *                     |INVITE from TU
 *   Timer A fires     |INVITE sent
 *   Reset A,          V                      Timer B fires
 *   INVITE sent +-----------+                or Transport Err.
 *     +---------|           |---------------+inform TU
 *     |         |  Calling  |               |
 *     +-------->|           |-------------->|
 *               +-----------+ 2xx           |
 *                  |  |       2xx to TU     |
 *                  |  |1xx                  |
 *  300-699 +-------+  |1xx to TU            |
 *  ACK sent|          |                     |
 *  resp. to TU        V         1xx         |
 *         |     +-----------+   1xx to TU   |
 *         |     |           |--------+      |
 *         |     | Proceeding|        |      |
 *         |     |           |<-------+      |
 *         |     +-----------+ 2xx           |
 *         |        |     2xx to TU          |
 *         |   300-699|        |             |
 *         |   ACK sent,       |             |
 *         |   resp. to TU     |             |
 *         |        |          V             |
 *  300-699|        |     +-----------+      |
 *  ACK sent        |     |           |--+2xx|
 *   +------+       |     | Accepted  |  |to TU
 *   |      V       V     |           |<-+   |
 *   |    +-----------+   +-----------+      |
 *   +----| Completed |         |Timer M     |
 *        +-----------+         |fires       |
 *          |  Timer D fires or |            |
 *          |  Transport Err.   |            |
 *          V                   V            |
 *        +------------------------------+   |
 *        |          Terminated          |<--+
 *        +------------------------------+
 * ```
 */
export enum InviteClientTransactionState {
  Calling = 'Calling',
  Proceeding = 'Proceeding',
  Accepted = 'Accepted',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = InviteClientTransactionState;

/** The moves Figure 5 / RFC 6026 Figure 3 allow, self-transitions included. */
const legalMoves: Readonly<Record<InviteClientTransactionState, readonly InviteClientTransactionState[]>> = {
  [S.Calling]: [S.Proceeding, S.Completed, S.Accepted, S.Terminated],
  [S.Proceeding]: [S.Proceeding, S.Completed, S.Accepted, S.Terminated],
  [S.Completed]: [S.Completed, S.Terminated],
  [S.Accepted]: [S.Accepted, S.Terminated],
  [S.Terminated]: [],
};

export class InviteClientTransaction extends Transaction<InviteClientTransactionState, ClientTransactionDelegate<InviteClientTransactionState>> {
  readonly kind = 'invite-client';
  private ack: SipRequest | undefined;
  private timerAInterval: number;

  /** Sends the INVITE at once and starts timers A (unreliable transports only) and B. */
  constructor(
    request: SipRequest,
    destination: TransportAddress,
    transport: TransactionTransport,
    timers: TransactionTimers,
    delegate?: ClientTransactionDelegate<InviteClientTransactionState>,
  ) {
    if (request.method !== 'INVITE') throw new RangeError(`an INVITE client transaction cannot send ${request.method}`);
    super(request, destination, transport, timers, S.Calling, delegate);
    this.timerAInterval = timers.t1;
    // §17.1.1.2: "The 'Calling' state MUST be entered when the TU initiates a new client
    // transaction with an INVITE request. The client transaction MUST pass the request to the
    // transport layer for transmission. If an unreliable transport is being used, the client
    // transaction MUST start timer A with a value of T1 ... For any transport, the client
    // transaction MUST start timer B with a value of 64*T1 seconds."
    this.send(request);
    if (!this.reliable) this.startTimer('A', this.timerAInterval, () => this.timerA());
    this.startTimer('B', 64 * timers.t1, () => this.timerB());
  }

  /** The ACK this transaction sent for a non-2xx final response, if any (§17.1.1.3). */
  get ackRequest(): SipRequest | undefined {
    return this.ack;
  }

  /** A response the transaction layer matched to this transaction (§17.1.3). */
  receiveResponse(response: SipResponse): void {
    switch (this.state) {
      // §17.1.1.2: "If the client transaction receives a provisional response while in the
      // 'Calling' state, it transitions to the 'Proceeding' state ... Furthermore, the
      // provisional response MUST be passed to the TU. Any further provisional responses MUST
      // be passed up to the TU while in the 'Proceeding' state." When in either state, 300-699
      // → Completed with an ACK; RFC 6026 §8.4: "a 2xx response ... MUST transition to the
      // 'Accepted' state, and Timer M MUST be started with a value of 64*T1."
      case S.Calling:
      case S.Proceeding:
        if (isProvisional(response)) {
          this.stateTransition(S.Proceeding);
        } else if (isSuccess(response)) {
          this.stateTransition(S.Accepted);
          this.startTimer('M', 64 * this.timers.t1, () => this.stateTransition(S.Terminated));
        } else {
          this.ack = createNonSuccessAck(this.request, response);
          this.stateTransition(S.Completed);
          this.send(this.ack);
          // §17.1.1.2: "The client transaction SHOULD start timer D when it enters the
          // 'Completed' state, with a value of at least 32 seconds for unreliable transports,
          // and a value of zero seconds for reliable transports."
          if (this.reliable) {
            this.delegate?.receiveResponse?.(response);
            this.stateTransition(S.Terminated);
            return;
          }
          this.startTimer('D', this.timers.timerD, () => this.stateTransition(S.Terminated));
        }
        this.delegate?.receiveResponse?.(response);
        return;
      // §17.1.1.2: "Any retransmissions of the final response that are received while in the
      // 'Completed' state MUST cause the ACK to be re-passed to the transport layer for
      // retransmission, but the newly received response MUST NOT be passed up to the TU."
      case S.Completed:
        if (response.status >= 300 && this.ack !== undefined) {
          this.stateTransition(S.Completed);
          this.send(this.ack);
        }
        return;
      // RFC 6026 §8.4: "any 2xx response that matches this transaction ... MUST be passed up
      // to the TU" (retransmissions, or 2xx from other forks); anything else is dropped.
      case S.Accepted:
        if (isSuccess(response)) {
          this.stateTransition(S.Accepted);
          this.delegate?.receiveResponse?.(response);
        }
        return;
      case S.Terminated:
        return;
    }
  }

  protected terminate(): void {
    this.stateTransition(S.Terminated);
  }

  /**
   * §17.1.1.2: "When timer A fires, the client transaction MUST retransmit the request by
   * passing it to the transport layer, and MUST reset the timer with a value of 2*T1 ... the
   * duration doubles with each transmission." No T2 cap for INVITE: Timer B (64*T1) ends it.
   */
  private timerA(): void {
    if (this.state !== S.Calling) return;
    this.send(this.request);
    this.timerAInterval *= 2;
    this.startTimer('A', this.timerAInterval, () => this.timerA());
  }

  /**
   * §17.1.1.2: "If the client transaction is still in the 'Calling' state when timer B fires,
   * the client transaction SHOULD inform the TU that a timeout has occurred."
   */
  private timerB(): void {
    if (this.state !== S.Calling) return;
    this.delegate?.onTimeout?.();
    this.stateTransition(S.Terminated);
  }

  /** The one place the state changes: refuses moves Figure 5 (RFC 6026 Figure 3) does not have. */
  private stateTransition(to: InviteClientTransactionState): void {
    const from = this.state;
    if (!legalMoves[from].includes(to)) throw new TransactionStateError(this.kind, from, to);
    // Leaving Calling ends retransmission and Timer B: in Proceeding "the client transaction
    // SHOULD NOT retransmit the request any longer" (§17.1.1.2).
    if (from === S.Calling && to !== S.Calling) {
      this.stopTimer('A');
      this.stopTimer('B');
    }
    this.enterState(to);
  }
}
