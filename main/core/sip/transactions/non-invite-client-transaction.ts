/** The non-INVITE client transaction (RFC 3261 §17.1.2). */
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { ClientTransactionDelegate } from './transaction-delegate.js';
import { TransactionStateError } from './transaction-state-error.js';
import type { TransactionTimers } from './transaction-timers.js';
import type { TransactionTransport, TransportAddress } from './transaction-transport.js';
import { Transaction, isProvisional } from './transaction.js';

/**
 * States of the non-INVITE client transaction (RFC 3261 Figure 6):
 * ```
 *                                |Request from TU
 *                                |send request
 *            Timer E             V
 *            send request  +-----------+
 *                +---------|           |-------------------+
 *                |         |  Trying   |  Timer F          |
 *                +-------->|           |  or Transport Err.|
 *                          +-----------+  inform TU        |
 *             200-699         |  |                         |
 *             resp. to TU     |  |1xx                      |
 *             +---------------+  |resp. to TU              |
 *             |                  |                         |
 *             |   Timer E        V       Timer F           |
 *             |   send req +-----------+ or Transport Err. |
 *             |  +---------|           | inform TU         |
 *             |  |         |Proceeding |------------------>|
 *             |  +-------->|           |-----+             |
 *             |            +-----------+     |1xx          |
 *             |              |      ^        |resp to TU   |
 *             | 200-699      |      +--------+             |
 *             | resp. to TU  |                             |
 *             |              |                             |
 *             |              V                             |
 *             |            +-----------+                   |
 *             |            |           |                   |
 *             |            | Completed |                   |
 *             |            |           |                   |
 *             |            +-----------+                   |
 *             |              ^   |                         |
 *             |              |   | Timer K                 |
 *             +--------------+   | -                       |
 *                                |                         |
 *                                V                         |
 *          NOTE:           +-----------+                   |
 *                          |           |                   |
 *      transitions         | Terminated|<------------------+
 *      labeled with        |           |
 *      the event           +-----------+
 *      over the action
 *      to take
 * ```
 */
export enum NonInviteClientTransactionState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = NonInviteClientTransactionState;

const legalMoves: Readonly<Record<NonInviteClientTransactionState, readonly NonInviteClientTransactionState[]>> = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Terminated]: [],
};

export class NonInviteClientTransaction extends Transaction<
  NonInviteClientTransactionState,
  ClientTransactionDelegate<NonInviteClientTransactionState>
> {
  readonly kind = 'non-invite-client';
  private timerEInterval: number;

  /** Sends the request at once and starts timers E (unreliable transports only) and F. */
  constructor(
    request: SipRequest,
    destination: TransportAddress,
    transport: TransactionTransport,
    timers: TransactionTimers,
    delegate?: ClientTransactionDelegate<NonInviteClientTransactionState>,
  ) {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new RangeError(`a non-INVITE client transaction cannot send ${request.method}`);
    }
    super(request, destination, transport, timers, S.Trying, delegate);
    this.timerEInterval = timers.t1;
    // §17.1.2.2: "The 'Trying' state is entered when the TU initiates a new client transaction
    // with a request. When entering this state, the client transaction SHOULD set timer F to
    // fire in 64*T1 seconds. The request MUST be passed to the transport layer for
    // transmission. If an unreliable transport is in use, the client transaction MUST set
    // timer E to fire in T1 seconds."
    this.send(request);
    if (!this.reliable) this.startTimer('E', this.timerEInterval, () => this.timerE());
    this.startTimer('F', 64 * timers.t1, () => this.timerF());
  }

  /** A response the transaction layer matched to this transaction (§17.1.3). */
  receiveResponse(response: SipResponse): void {
    switch (this.state) {
      // §17.1.2.2: "If a provisional response is received while in the 'Trying' state, the
      // response MUST be passed to the TU, and then the client transaction SHOULD move to the
      // 'Proceeding' state. If a final response (status codes 200-699) is received while in
      // the 'Trying' state, the response MUST be passed to the TU, and the client transaction
      // MUST transition to the 'Completed' state." Proceeding: "If a provisional response is
      // received while in the 'Proceeding' state, the response MUST be passed to the TU ...
      // If a final response ... the response MUST be passed to the TU, and the client
      // transaction MUST transition to the 'Completed' state."
      case S.Trying:
      case S.Proceeding:
        if (isProvisional(response)) {
          this.delegate?.receiveResponse?.(response);
          if (!this.isTerminated) this.stateTransition(S.Proceeding);
          return;
        }
        this.delegate?.receiveResponse?.(response);
        if (this.isTerminated) return;
        this.stateTransition(S.Completed);
        // §17.1.2.2: "Once the client transaction enters the 'Completed' state, it MUST set
        // Timer K to fire in T4 seconds for unreliable transports, and zero seconds for
        // reliable transports." It buffers response retransmissions meanwhile.
        if (this.reliable) this.stateTransition(S.Terminated);
        else this.startTimer('K', this.timers.t4, () => this.stateTransition(S.Terminated));
        return;
      // Retransmissions of the final response are absorbed: the TU saw it already.
      case S.Completed:
      case S.Terminated:
        return;
    }
  }

  protected terminate(): void {
    this.stateTransition(S.Terminated);
  }

  /**
   * §17.1.2.2: "If timer E fires while still in this state [Trying], the timer is reset, but
   * this time with a value of MIN(2*T1, T2) ... the next time with MIN(4*T1, T2)." In
   * Proceeding: "If Timer E fires while in the 'Proceeding' state, the request MUST be passed
   * to the transport layer for retransmission, and Timer E MUST be reset with a value of T2."
   */
  private timerE(): void {
    if (this.state !== S.Trying && this.state !== S.Proceeding) return;
    this.send(this.request);
    this.timerEInterval = this.state === S.Trying ? Math.min(2 * this.timerEInterval, this.timers.t2) : this.timers.t2;
    this.startTimer('E', this.timerEInterval, () => this.timerE());
  }

  /** §17.1.2.2: "If Timer F fires while the client transaction is still in the 'Trying' state,
   * the client transaction SHOULD inform the TU about the timeout, and then it SHOULD enter the
   * 'Terminated' state" (likewise in Proceeding). */
  private timerF(): void {
    this.delegate?.onTimeout?.();
    this.stateTransition(S.Terminated);
  }

  /** The one place the state changes: refuses moves Figure 6 does not have. */
  private stateTransition(to: NonInviteClientTransactionState): void {
    const from = this.state;
    if (!legalMoves[from].includes(to)) throw new TransactionStateError(this.kind, from, to);
    // Leaving Trying/Proceeding for good ends retransmission and Timer F.
    if (to === S.Completed || to === S.Terminated) {
      this.stopTimer('E');
      this.stopTimer('F');
    }
    this.enterState(to);
  }
}
