/**
 * What the locator is asked to find: the parts of a SIP or SIPS URI that RFC 3263 §4 reads, and
 * the TARGET it derives from them.
 */
import { isIP } from 'node:net';
import { LocatorError } from './locator-error.js';
import type { TransportProtocol } from './transport-protocol.js';

/** The URI (Request-URI, or the top Route / outbound proxy) to send a request to. */
export interface SipTarget {
  /** hostport's host: a domain name, an IPv4 address, or an IPv6 reference with or without brackets. */
  readonly host: string;
  /** hostport's port, when the URI has one. */
  readonly port?: number;
  /** The `transport` URI parameter, when present (`tls` is accepted though RFC 3261 §26.2.2 deprecates it). */
  readonly transport?: TransportProtocol;
  /** Whether it is a sips: URI (RFC 3261 §19.1): only TLS may be used, end to end. */
  readonly secure: boolean;
  /** The `maddr` URI parameter, when present (RFC 3261 §19.1.1). */
  readonly maddr?: string;
}

export type AddressFamily = 4 | 6;

/** TARGET as RFC 3263 §4 defines it, ready for lookups. */
export interface ResolvedTargetName {
  /** Lower-case, without brackets or a trailing dot. */
  readonly name: string;
  /** Set when TARGET is a numeric IP address, which needs no DNS at all (RFC 3263 §4.1, §4.2). */
  readonly numericFamily: AddressFamily | undefined;
}

/** RFC 1035 §2.3.4: 255 octets on the wire, i.e. 253 characters written without the final dot. */
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
/** Letters, digits and hyphens (RFC 1123 §2.1), plus "_" as real SRV-style names use it. */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

/**
 * RFC 3263 §4: "We define TARGET as the value of the maddr parameter of the URI, if present,
 * otherwise, the host value of the hostport component of the URI." Every later step (NAPTR,
 * SRV, A/AAAA) works on TARGET, so maddr replaces the host for all of them.
 *
 * Refuses, with `invalid_target`, anything that is neither an IP address nor a plausible domain
 * name: the target may come from a message off the network and must not become an odd query.
 */
export function targetName(target: SipTarget): ResolvedTargetName {
  const raw = (target.maddr ?? target.host).trim().toLowerCase();
  const unbracketed = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  const family = isIP(unbracketed);
  if (family === 6) return { name: unbracketed, numericFamily: 6 };
  // A bracketed IPv4 address or name is not a host (RFC 3261 §25.1: brackets are for IPv6 only).
  if (unbracketed !== raw) {
    throw new LocatorError('invalid_target', 'brackets around something other than an IPv6 address');
  }
  if (family === 4) return { name: raw, numericFamily: 4 };
  const name = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new LocatorError('invalid_target', 'host name is empty or too long');
  }
  for (const label of name.split('.')) {
    if (label.length > MAX_LABEL_LENGTH || !LABEL.test(label)) {
      throw new LocatorError('invalid_target', 'host is not a domain name or an IP address');
    }
  }
  return { name, numericFamily: undefined };
}
