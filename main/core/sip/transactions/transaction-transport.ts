/**
 * What the transaction layer needs of the transport layer (RFC 3261 §18), and nothing more:
 * the transaction layer never opens a socket.
 */
import type { SipMessage } from '../messages/index.js';

/**
 * Where a message goes, or where a request came from. For a received request the transport
 * hands its source in; responses are sent back to that same value and the transport applies
 * the response rules of §18.2.2 (Via received/rport/maddr, the connection the request came on).
 */
export interface TransportAddress {
  /** "udp", "tcp", "tls"... as the transport layer names them. */
  readonly transport: string;
  readonly address: string;
  readonly port: number;
}

export interface TransactionTransport {
  /** Sends one message. Rejects when it could not be sent (a transport error, §18). */
  send(message: SipMessage, destination: TransportAddress): Promise<void>;
  /**
   * Whether the way to `destination` is reliable (TCP, TLS, SCTP, WebSocket): retransmissions
   * are then the transport's job and timers D, I, J and K are zero (§17.1.1.2, §17.2.1).
   */
  isReliable(destination: TransportAddress): boolean;
}
