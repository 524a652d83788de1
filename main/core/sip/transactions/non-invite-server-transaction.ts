/** The non-INVITE server transaction (RFC 3261 §17.2.2). */
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { ServerTransactionDelegate } from './transaction-delegate.js';
import { TransactionStateError } from './transaction-state-error.js';
import type { TransactionTimers } from './transaction-timers.js';
import type { TransactionTransport, TransportAddress } from './transaction-transport.js';
import { Transaction, isProvisional } from './transaction.js';

/**
 * States of the non-INVITE server transaction (RFC 3261 Figure 8):
 * ```
 *                                   |Request received
 *                                   |pass to TU
 *                                   V
 *                             +-----------+
 *                             |           |
 *                             | Trying    |-------------+
 *                             |           |             |
 *                             +-----------+             |200-699 from TU
 *                                   |                   |send response
 *                                   |1xx from TU        |
 *                                   |send response      |
 *                                   |                   |
 *                Request            V      1xx from TU  |
 *                send response+-----------+send response|
 *                    +--------|           |--------+    |
 *                    |        | Proceeding|        |    |
 *                    +------->|           |<-------+    |
 *             +<--------------|           |             |
 *             |Trnsprt Err    +-----------+             |
 *             |Inform TU            |                   |
 *             |                     |                   |
 *             |                     |200-699 from TU    |
 *             |                     |send response      |
 *             |  Request            V                   |
 *             |  send response+-----------+             |
 *             |      +--------|           |             |
 *             |      |        | Completed |<------------+
 *             |      +------->|           |
 *             +<--------------|           |
 *             |Trnsprt Err    +-----------+
 *             |Inform TU            |
 *             |                     |Timer J fires
 *             |                     |-
 *             |                     |
 *             |                     V
 *             |               +-----------+
 *             |               |           |
 *             +-------------->| Terminated|
 *                             |           |
 *                             +-----------+
 * ```
 */
export enum NonInviteServerTransactionState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = NonInviteServerTransactionState;

const legalMoves: Readonly<Record<NonInviteServerTransactionState, readonly NonInviteServerTransactionState[]>> = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Completed]: [S.Completed, S.Terminated],
  [S.Terminated]: [],
};

export class NonInviteServerTransaction extends Transaction<
  NonInviteServerTransactionState,
  ServerTransactionDelegate<NonInviteServerTransactionState>
> {
  readonly kind = 'non-invite-server';
  private last: SipResponse | undefined;

  /** §17.2.2: "The state machine is initialized in the 'Trying' state". */
  constructor(
    request: SipRequest,
    source: TransportAddress,
    transport: TransactionTransport,
    timers: TransactionTimers,
    delegate?: ServerTransactionDelegate<NonInviteServerTransactionState>,
  ) {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new RangeError(`a non-INVITE server transaction cannot serve ${request.method}`);
    }
    super(request, source, transport, timers, S.Trying, delegate);
  }

  /** The last response sent, which a retransmitted request gets again. */
  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  /**
   * A response from the TU. Throws TransactionStateError where Figure 8 has no such move, e.g.
   * a provisional response after the final one.
   */
  respond(response: SipResponse): void {
    switch (this.state) {
      // §17.2.2: "While in the 'Trying' state, if the TU passes a provisional response to the
      // server transaction, the server transaction MUST enter the 'Proceeding' state. The
      // response MUST be passed to the transport layer for transmission. ... If the TU passes a
      // final response (status codes 200-699) to the server while in the 'Proceeding' state,
      // the transaction MUST enter the 'Completed' state, and the response MUST be passed to
      // the transport layer for transmission." Likewise from Trying.
      case S.Trying:
      case S.Proceeding:
        this.last = response;
        if (isProvisional(response)) {
          this.stateTransition(S.Proceeding);
          this.send(response);
          return;
        }
        this.stateTransition(S.Completed);
        this.send(response);
        // §17.2.2: "When the server transaction enters the 'Completed' state, it MUST set Timer
        // J to fire in 64*T1 seconds for unreliable transports, and zero seconds for reliable
        // transports."
        if (this.reliable) this.stateTransition(S.Terminated);
        else this.startTimer('J', 64 * this.timers.t1, () => this.stateTransition(S.Terminated));
        return;
      // §17.2.2: "Any other final responses passed by the TU to the server transaction MUST be
      // discarded while in the 'Completed' state." A provisional one is an illegal move.
      case S.Completed:
        if (isProvisional(response)) this.stateTransition(S.Proceeding);
        return;
      case S.Terminated:
        this.stateTransition(isProvisional(response) ? S.Proceeding : S.Completed);
        return;
    }
  }

  /** A retransmission of the request that the transaction layer matched (§17.2.3). */
  receiveRequest(_request: SipRequest): void {
    switch (this.state) {
      // §17.2.2: "Once in the 'Trying' state, any further request retransmissions are
      // discarded."
      case S.Trying:
        return;
      // §17.2.2: "If a retransmission of the request is received while in the 'Proceeding'
      // state, the most recently sent provisional response MUST be passed to the transport
      // layer for retransmission." Completed: "While in the 'Completed' state, the server
      // transaction MUST pass the final response to the transport layer for retransmission
      // whenever a retransmission of the request is received."
      case S.Proceeding:
      case S.Completed:
        if (this.last !== undefined) {
          this.stateTransition(this.state);
          this.send(this.last);
        }
        return;
      case S.Terminated:
        return;
    }
  }

  protected terminate(): void {
    this.stateTransition(S.Terminated);
  }

  /** The one place the state changes: refuses moves Figure 8 does not have. */
  private stateTransition(to: NonInviteServerTransactionState): void {
    const from = this.state;
    if (!legalMoves[from].includes(to)) throw new TransactionStateError(this.kind, from, to);
    this.enterState(to);
  }
}
