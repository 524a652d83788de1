/**
 * Where a server sends a response (RFC 3261 §18.2.2, RFC 3581 §4), from its top Via.
 */
import { isIP } from 'node:net';
import { defaultPort, type SipTarget, type TransportProtocol } from '../locator/index.js';
import type { Via } from '../messages/index.js';
import { bareAddress } from './flow.js';

export interface ResponseTarget {
  readonly transport: TransportProtocol;
  readonly address: string;
  readonly port: number;
}

export function viaTransport(via: Via): TransportProtocol | undefined {
  switch (via.transport) {
    case 'UDP':
      return 'udp';
    case 'TCP':
      return 'tcp';
    case 'TLS':
      return 'tls';
    default:
      return undefined;
  }
}

/**
 * The address to send a response to when the connection the request came on is gone (or it
 * came over UDP). Undefined when the Via names a transport we do not speak or a host name,
 * which would need RFC 3263 §5 to resolve.
 */
export function responseTarget(via: Via): ResponseTarget | undefined {
  const transport = viaTransport(via);
  if (transport === undefined) return undefined;
  const sentByPort = via.port ?? defaultPort(transport);
  let address: string;
  let port = sentByPort;
  if (transport !== 'udp') {
    // §18.2.2: reliable, connection gone: a new connection to received (else sent-by) and the
    // sent-by port.
    address = via.received ?? via.host;
  } else if (via.maddr !== undefined) {
    // §18.2.2: maddr present: send there, to the sent-by port.
    address = via.maddr;
  } else {
    // §18.2.2 and RFC 3581 §4: the source address of the request, and its source port when
    // rport was asked for.
    address = via.received ?? via.host;
    port = via.rport ?? sentByPort;
  }
  const bare = bareAddress(address);
  return isIP(bare) === 0 ? undefined : { transport, address: bare, port };
}

/**
 * RFC 3263 §5: when the address §18.2.2 picks from the Via (received, maddr or sent-by) is a
 * host name, what to ask the locator. With a port in sent-by (or for maddr, which takes the
 * sent-by port or the default) only A/AAAA are looked up; without one, the SRV records of the
 * Via's transport ("_sip._udp", "_sips._tcp" for TLS). Undefined when the address is an IP
 * literal (see `responseTarget`) or the transport is not one we speak.
 */
export function responseLocatorTarget(via: Via): SipTarget | undefined {
  const transport = viaTransport(via);
  if (transport === undefined) return undefined;
  const useMaddr = transport === 'udp' && via.maddr !== undefined;
  const host = useMaddr ? via.maddr! : (via.received ?? via.host);
  if (isIP(bareAddress(host)) !== 0) return undefined;
  const port = useMaddr ? (via.port ?? defaultPort(transport)) : via.port;
  return { host, ...(port === undefined ? {} : { port }), transport, secure: transport === 'tls' };
}
