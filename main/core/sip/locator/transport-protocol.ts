/**
 * The transports a SIP destination can be reached over, as RFC 3263 names them, and the
 * defaults RFC 3261 attaches to each.
 */

/**
 * `tls` is TLS over TCP: what RFC 3263 §4.1 calls "TCP for a SIPS URI" and what NAPTR calls
 * `SIPS+D2T`. SCTP (`D2S`) and WebSocket (`D2W`, RFC 7118) are not spoken by this phone.
 */
export type TransportProtocol = 'udp' | 'tcp' | 'tls';

/** Everything the phone can speak, the default set of supported transports. */
export const ALL_TRANSPORTS: readonly TransportProtocol[] = ['udp', 'tcp', 'tls'];

/** RFC 3261 §19.1.2: 5060 for SIP over UDP and TCP, 5061 for SIP over TLS. */
export function defaultPort(transport: TransportProtocol): number {
  return transport === 'tls' ? 5061 : 5060;
}

/**
 * The SRV owner-name prefix for a transport (RFC 3263 §4.1, §4.2; RFC 2782 `_Service._Proto`):
 * TLS always uses the `_sips` service over `_tcp`, whether the URI was sips: or the client just
 * chose TLS for a sip: URI.
 */
export function srvPrefix(transport: TransportProtocol): string {
  switch (transport) {
    case 'udp':
      return '_sip._udp';
    case 'tcp':
      return '_sip._tcp';
    case 'tls':
      return '_sips._tcp';
  }
}
