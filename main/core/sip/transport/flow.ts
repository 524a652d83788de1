/**
 * A flow (RFC 5626 §3): the transport and the local and remote address:port a message went over.
 * For a stream it names one connection; for UDP, one local socket and one peer.
 */
import type { TransportProtocol } from '../locator/index.js';

export interface Flow {
  /** Unique while the layer lives; for a stream, the identity of its connection. */
  readonly id: string;
  readonly transport: TransportProtocol;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/** §18: TCP and TLS are reliable; UDP is not. */
export function isReliable(transport: TransportProtocol): boolean {
  return transport !== 'udp';
}

/** "host:port", an IPv6 address in brackets (RFC 3986 §3.2.2). */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** An address as written in a header (maybe in brackets), lower case, for comparing. */
export function bareAddress(host: string): string {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return h.toLowerCase();
}
