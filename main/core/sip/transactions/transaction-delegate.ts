/** How a transaction reports upwards to its transaction user (TU): every method optional. */
import type { SipResponse } from '../messages/index.js';
import type { TransportError } from './transport-error.js';

export interface TransactionDelegate<State extends string = string> {
  /** The transaction entered `state` (self-transitions, e.g. a retransmission, are not reported). */
  onStateChange?(state: State): void;
  /** The transaction reached Terminated and was forgotten. */
  onTerminated?(): void;
  /** A message could not be sent; the transaction terminates right after (§17.1.1.2, §17.2.4). */
  onTransportError?(error: TransportError): void;
}

export interface ClientTransactionDelegate<State extends string = string> extends TransactionDelegate<State> {
  /** A response the TU must see: provisional, the first final, and (INVITE) every 2xx. */
  receiveResponse?(response: SipResponse): void;
  /** Timer B (INVITE) or Timer F (non-INVITE) fired: the request timed out (§8.1.3.1: a 408). */
  onTimeout?(): void;
}

export interface ServerTransactionDelegate<State extends string = string> extends TransactionDelegate<State> {
  /** Timer H fired: no ACK came for the final non-2xx response to an INVITE (§17.2.1). */
  onTimeout?(): void;
}
