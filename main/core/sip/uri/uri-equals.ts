/**
 * URI equality: RFC 3261 §19.1.4 for SIP and SIPS URIs, RFC 3966 §4 for tel URIs, and plain
 * text equality (scheme case-insensitive, escapes normalised) for other schemes.
 */
import { normalizeEscapes } from '../grammar/percent-encoding.js';
import type { SipUri, UriComponent } from './sip-uri.js';
import { stripVisualSeparators, type TelUri } from './tel-uri.js';
import type { Uri } from './uri.js';

/**
 * uri-parameters that must be in both URIs or in neither (§19.1.4: "A user, ttl, or method
 * uri-parameter appearing in only one URI never matches", "a URI that includes an maddr
 * parameter will not match a URI that contains no maddr parameter", and transport, like port,
 * does not match its own default).
 */
const MUST_BE_IN_BOTH = new Set(['user', 'ttl', 'method', 'maddr', 'transport']);

export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.kind === 'sip' && b.kind === 'sip') return sipUriEquals(a, b);
  if (a.kind === 'tel' && b.kind === 'tel') return telUriEquals(a, b);
  if (a.kind === 'absolute' && b.kind === 'absolute') {
    return a.scheme === b.scheme && normalizeEscapes(a.opaque) === normalizeEscapes(b.opaque);
  }
  return false;
}

/** Names (lower case) to values (lower case unless `keepCase`), escapes normalised; first wins. */
function componentMap(list: readonly UriComponent[], keepCase = false): Map<string, string | null> {
  const map = new Map<string, string | null>();
  for (const c of list) {
    const name = normalizeEscapes(c.name).toLowerCase();
    if (map.has(name)) continue;
    const value = c.value === null ? null : normalizeEscapes(c.value);
    map.set(name, value === null || keepCase ? value : value.toLowerCase());
  }
  return map;
}

function optionalEquals(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a === b || normalizeEscapes(a) === normalizeEscapes(b);
}

function hostEquals(a: SipUri, b: SipUri): boolean {
  if (a.hostKind === 'ipv6' || b.hostKind === 'ipv6') {
    const ga = a.ipv6Groups;
    const gb = b.ipv6Groups;
    return ga !== undefined && gb !== undefined && ga.every((g, i) => g === gb[i]);
  }
  return a.host.toLowerCase() === b.host.toLowerCase();
}

function sipUriEquals(a: SipUri, b: SipUri): boolean {
  // "A SIP and SIPS URI are never equivalent." Userinfo is case-sensitive; the rest is not.
  if (a.scheme !== b.scheme) return false;
  if (!optionalEquals(a.userText, b.userText) || !optionalEquals(a.passwordText, b.passwordText)) return false;
  if (!hostEquals(a, b) || a.port !== b.port) return false;
  const pa = componentMap(a.paramList);
  const pb = componentMap(b.paramList);
  // "Any uri-parameter appearing in both URIs must match"; others are ignored unless listed.
  for (const [name, value] of pa) {
    if (pb.has(name)) {
      if (pb.get(name) !== value) return false;
    } else if (MUST_BE_IN_BOTH.has(name)) {
      return false;
    }
  }
  for (const name of pb.keys()) if (!pa.has(name) && MUST_BE_IN_BOTH.has(name)) return false;
  // "URI header components are never ignored": the same headers, in any order.
  const ha = componentMap(a.headerList, true);
  const hb = componentMap(b.headerList, true);
  if (ha.size !== hb.size) return false;
  for (const [name, value] of ha) if (!hb.has(name) || hb.get(name) !== value) return false;
  return true;
}

/**
 * RFC 3966 §4: both global or both local; numbers equal once visual separators are removed;
 * the same parameters with equal values, in any order; all case-insensitive.
 */
function telUriEquals(a: TelUri, b: TelUri): boolean {
  if (a.isGlobal !== b.isGlobal) return false;
  if (stripVisualSeparators(a.number) !== stripVisualSeparators(b.number)) return false;
  const pa = componentMap(a.paramList);
  const pb = componentMap(b.paramList);
  if (pa.size !== pb.size) return false;
  for (const [name, value] of pa) {
    if (!pb.has(name)) return false;
    const other = pb.get(name) ?? null;
    const numeric = name === 'ext' || (name === 'phone-context' && value?.startsWith('+') === true);
    const left = numeric && value !== null ? stripVisualSeparators(value) : value;
    const right = numeric && other !== null ? stripVisualSeparators(other) : other;
    if (left !== right) return false;
  }
  return true;
}
