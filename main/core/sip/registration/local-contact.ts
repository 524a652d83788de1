/**
 * Our Contact for a registration (RFC 3261 §10.2.1: "the address ... at which the UA would
 * like to receive requests"): the endpoint's listening point for the registration's transport,
 * with `;transport=tcp|tls` when it is not UDP (§19.1.1: UDP is the default a URI without the
 * parameter means), so requests come back over the kind of flow we registered from.
 */
import type { TransportProtocol } from '../locator/index.js';
import type { ListeningPoint } from '../transport/index.js';
import { SipUri } from '../uri/index.js';

export interface LocalContactOptions {
  /** The user part; usually the AOR's user. */
  readonly user?: string;
  /** The address to advertise when the point listens on every address (0.0.0.0 or ::). */
  readonly host?: string;
}

export function localContact(points: readonly ListeningPoint[], transport: TransportProtocol, options: LocalContactOptions = {}): SipUri {
  const point = points.find((p) => p.transport === transport);
  if (point === undefined) throw new RangeError(`the endpoint does not listen on ${transport}`);
  const host = options.host ?? point.address;
  if (host === '0.0.0.0' || host === '::') throw new RangeError(`listening on every address (${host}): give the contact host`);
  return SipUri.from({
    ...(options.user === undefined ? {} : { user: options.user }),
    host,
    port: point.port,
    params: transport === 'udp' ? {} : { transport },
  });
}
