/**
 * The URIs SIP carries (RFC 3261 §19.1, §25.1): SIP and SIPS URIs, tel URIs (RFC 3966), and any
 * other absoluteURI kept opaque. `kind` tells them apart.
 */
import { SipParseError } from '../grammar/sip-parse-error.js';
import { AbsoluteUri, schemeEnd } from './absolute-uri.js';
import { SipUri, isSipScheme, isSipSchemeAt } from './sip-uri.js';
import { TelUri } from './tel-uri.js';

export type Uri = SipUri | TelUri | AbsoluteUri;

/**
 * Parses any URI by its scheme. `reason` is the Reason-Phrase of the error thrown when `text`
 * is not a URI (e.g. "Bad Request-URI", "Bad Contact header field").
 */
export function parseUri(text: string, reason = 'Bad URI'): Uri {
  // "sip:" and "sips:" first, the URIs a UA nearly always meets: their scheme is read in place.
  const sipColon = text.charCodeAt(3) === 0x3a ? 3 : text.charCodeAt(4) === 0x3a ? 4 : -1;
  if (sipColon > 0 && isSipScheme(text, sipColon)) return SipUri.parse(text, reason);
  const colon = schemeEnd(text);
  if (colon < 0) throw new SipParseError('malformed', reason, 'no URI scheme');
  // The scheme is case-insensitive (RFC 3261 §19.1.4); compare without allocating.
  if (isSipScheme(text, colon)) return SipUri.parse(text, reason);
  if (colon === 3 && (text.charCodeAt(0) | 0x20) === 0x74 && (text.charCodeAt(1) | 0x20) === 0x65 && (text.charCodeAt(2) | 0x20) === 0x6c) {
    return TelUri.parse(text, reason);
  }
  return AbsoluteUri.parse(text, reason);
}

/**
 * `parseUri(text.slice(start, end), reason)`. A SIP or SIPS URI is checked in `text` itself and
 * sliced out once, when good: what the message parser does for the URIs in header fields.
 */
export function parseUriAt(text: string, start: number, end: number, reason = 'Bad URI', bytes?: Uint8Array, d = 0): Uri {
  const c3 = text.charCodeAt(start + 3);
  const sipColon = c3 === 0x3a ? start + 3 : text.charCodeAt(start + 4) === 0x3a ? start + 4 : -1;
  if (sipColon > 0 && sipColon < end && isSipSchemeAt(text, start, sipColon)) return SipUri.parseAt(text, start, end, reason, bytes, d);
  return parseUri(text.slice(start, end), reason);
}

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.kind === 'sip';
}
