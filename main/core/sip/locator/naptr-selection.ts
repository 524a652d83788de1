/**
 * RFC 3263 §4.1 with RFC 3403 §4.1: which NAPTR records of a SIP domain to follow, and over
 * which transport, in the order to try them.
 */
import type { NaptrRecord } from './dns-resolver.js';
import type { TransportProtocol } from './transport-protocol.js';

/** A NAPTR record kept: the transport it names and the SRV owner name to look up next. */
export interface NaptrChoice {
  readonly transport: TransportProtocol;
  readonly srvName: string;
}

/**
 * RFC 3263 §4.1 service fields and the transport each names. `SIP+D2S` (SCTP) and `SIP+D2W` /
 * `SIPS+D2W` (WebSocket, RFC 7118) are left out because this phone does not speak them, so
 * they are discarded like any unknown service.
 */
const SERVICES: Readonly<Record<string, { transport: TransportProtocol; sips: boolean }>> = {
  'SIP+D2U': { transport: 'udp', sips: false },
  'SIP+D2T': { transport: 'tcp', sips: false },
  'SIPS+D2T': { transport: 'tls', sips: true },
};

/**
 * The records to follow, best first.
 *
 * RFC 3263 §4.1: a client resolving a SIPS URI "MUST discard any services that do not contain
 * SIPS as the protocol"; one resolving a SIP URI keeps the SIPS ones if it supports TLS; and it
 * "MUST discard any service fields that identify a resolution service whose value is not D2X,
 * for values of X that indicate transport protocols supported by the client".
 *
 * RFC 3263 §4.1 gives SIP records the flag "s" (the next lookup is SRV for the replacement);
 * records with other flags, or with a rewrite by regexp instead of a replacement, are not
 * something SIP defines and are discarded (RFC 3403 §4.1: a client skips flags it does not
 * understand).
 *
 * RFC 3403 §4.1: records are taken by Order, then Preference, and once a record of some Order
 * matches, records of a higher Order "MUST NOT" be considered; within that Order, records of a
 * worse Preference may be used "if it has a good reason", and the failure of a better one
 * (RFC 3263 §4.3) is one — so all of them are returned, for failover.
 */
export function selectNaptr(
  records: readonly NaptrRecord[],
  secure: boolean,
  supported: ReadonlySet<TransportProtocol>,
): NaptrChoice[] {
  const usable: { record: NaptrRecord; choice: NaptrChoice }[] = [];
  for (const record of records) {
    const service = SERVICES[record.service.toUpperCase()];
    if (service === undefined || !supported.has(service.transport)) continue;
    if (secure && !service.sips) continue;
    if (record.flags.toLowerCase() !== 's') continue;
    const srvName = trimRoot(record.replacement);
    if (srvName.length === 0 || record.regexp.length > 0) continue;
    usable.push({ record, choice: { transport: service.transport, srvName } });
  }
  if (usable.length === 0) return [];
  const firstOrder = Math.min(...usable.map((u) => u.record.order));
  // Array.prototype.sort is stable, so records of equal Preference stay in the order DNS gave.
  return usable
    .filter((u) => u.record.order === firstOrder)
    .sort((x, y) => x.record.preference - y.record.preference)
    .map((u) => u.choice);
}

/** "example.com." → "example.com"; "." (RFC 3403's "no replacement") → "". */
function trimRoot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
