/** One place to send a request: the output of RFC 3263 §4, tried in order (§4.3). */
import type { AddressFamily } from './sip-target.js';
import type { TransportProtocol } from './transport-protocol.js';

export interface Destination {
  readonly transport: TransportProtocol;
  /** An IP address, IPv6 without brackets. */
  readonly address: string;
  readonly port: number;
  readonly family: AddressFamily;
  /**
   * The domain the server's TLS certificate must be checked against, when the URI named one:
   * RFC 5922 §4 takes it from the URI, never from the NAPTR replacement or SRV target, because
   * DNS answers are not authenticated and must not change whom we believe we are talking to.
   */
  readonly serverName?: string;
}

/** Identity of a destination for failover bookkeeping: the transport 3-tuple, no server name. */
export function destinationKey(destination: Pick<Destination, 'transport' | 'address' | 'port'>): string {
  return `${destination.transport} ${destination.address.toLowerCase()} ${destination.port}`;
}
