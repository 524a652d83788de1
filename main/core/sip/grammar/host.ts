/**
 * host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1), with IPv6 read as RFC 4291
 * writes it and as RFC 5118 asks SIP elements to tolerate it.
 */
import { DIGIT, HEX, HOST, isIn } from './char-classes.js';

export type HostKind = 'hostname' | 'ipv4' | 'ipv6';

/** 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255', plus the one colon RFC 5118 tolerates. */
const LONGEST_IPV6 = 46;

/**
 * Whether `text` (from `start` to `end`) is an IPv4address: four dot-separated decimal octets
 * (1*3DIGIT, ≤ 255). Read in place, so a host inside a URI need not be sliced out to be checked.
 */
export function isIpv4(text: string, start = 0, end = text.length): boolean {
  let parts = 0;
  let i = start;
  while (i <= end) {
    let value = 0;
    let digits = 0;
    while (i < end && isIn(text.charCodeAt(i), DIGIT)) {
      value = value * 10 + text.charCodeAt(i) - 0x30;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || value > 255) return false;
    parts++;
    if (i === end) return parts === 4;
    if (text.charCodeAt(i) !== 0x2e || parts === 4) return false;
    i++;
  }
  return false;
}

/**
 * The eight 16-bit groups of an IPv6address (without brackets), or undefined if it is not one.
 *
 * RFC 5118 §4.10: RFC 3261's ABNF wrongly admits "2001:db8:::192.0.2.1" (three colons before an
 * embedded IPv4 address) and "an implementation must tolerate both" forms; it is read as
 * "2001:db8::192.0.2.1". Three colons anywhere else are refused.
 */
export function parseIpv6(text: string): Uint16Array | undefined {
  if (text.length === 0 || text.length > LONGEST_IPV6) return undefined;
  let hex = text;
  const dot = text.indexOf('.');
  let tail: number[] = [];
  if (dot >= 0) {
    const lastColon = text.lastIndexOf(':');
    if (lastColon < 0 || lastColon > dot) return undefined;
    const v4 = text.slice(lastColon + 1);
    if (!isIpv4(v4)) return undefined;
    const octets = v4.split('.').map(Number);
    tail = [(octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!];
    hex = text.slice(0, lastColon + 1);
    if (hex.endsWith(':::')) hex = hex.slice(0, -1);
    // A lone ":" only separates the IPv4 part; a "::" before it is the gap and stays.
    if (!hex.endsWith('::')) hex = hex.slice(0, -1);
  }
  const groups: number[] = [];
  const readGroups = (part: string): boolean => {
    if (part.length === 0) return true;
    for (const g of part.split(':')) {
      if (g.length === 0 || g.length > 4) return false;
      let value = 0;
      for (let i = 0; i < g.length; i++) {
        const c = g.charCodeAt(i);
        if (!isIn(c, HEX)) return false;
        value = value * 16 + parseInt(g[i]!, 16);
      }
      groups.push(value);
    }
    return true;
  };
  const gap = hex.indexOf('::');
  const needed = 8 - tail.length;
  if (gap < 0) {
    if (!readGroups(hex) || groups.length !== needed) return undefined;
  } else {
    if (hex.indexOf('::', gap + 1) >= 0) return undefined;
    if (!readGroups(hex.slice(0, gap))) return undefined;
    const left = groups.length;
    if (!readGroups(hex.slice(gap + 2))) return undefined;
    const right = groups.length - left;
    if (left + right >= needed) return undefined;
    groups.splice(left, 0, ...new Array<number>(needed - left - right).fill(0));
  }
  return Uint16Array.from([...groups, ...tail]);
}

/**
 * The kind of `text` (from `start` to `end`) as a SIP host, or undefined if it is none. An IPv6reference keeps its
 * brackets (`[2001:db8::1]`); an IPv6 address without brackets is not a SIP host (RFC 5118 §4.2).
 */
export function hostKind(text: string, start = 0, end = text.length): HostKind | undefined {
  if (end <= start) return undefined;
  if (text.charCodeAt(start) === 0x5b) {
    if (text.charCodeAt(end - 1) !== 0x5d) return undefined;
    return parseIpv6(text.slice(start + 1, end - 1)) === undefined ? undefined : 'ipv6';
  }
  let allNumeric = true;
  let labelLength = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (labelLength === 0) return undefined;
      labelLength = 0;
    } else if (!isIn(c, HOST)) {
      return undefined;
    } else {
      if (c < 0x30 || c > 0x39) allNumeric = false;
      labelLength++;
    }
  }
  // A final "." (a fully qualified name) leaves labelLength 0: fine for a name, not an address.
  if (allNumeric) return isIpv4(text, start, end) ? 'ipv4' : undefined;
  return 'hostname';
}

/**
 * The end of the hostname or IPv4address that starts at `start` (the run of host characters
 * there), or -1 if that run is not one: `hostKind` of the run, read in the same pass as the
 * run is found. `lastHostnameKind` then tells which it was: 'hostname' or 'ipv4'.
 */
export function hostnameEnd(text: string, start: number, end: number): number {
  let allNumeric = true;
  let labelLength = 0;
  // While all numeric, the run is read as an IPv4address as it goes (as `isIpv4` would):
  // dots seen, and whether every octet so far is 1*3DIGIT of at most 255.
  let dots = 0;
  let octet = 0;
  let octetsGood = true;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    // The HOST characters, letters (the most of them) first: alphanum, "-", "." and "_".
    if (((c | 0x20) - 0x61) >>> 0 < 26 || c === 0x2d || c === 0x5f) {
      allNumeric = false;
      labelLength++;
    } else if ((c - 0x30) >>> 0 < 10) {
      octet = octet * 10 + (c - 0x30);
      labelLength++;
    } else if (c === 0x2e) {
      if (labelLength === 0) return -1;
      if (labelLength > 3 || octet > 255) octetsGood = false;
      labelLength = 0;
      octet = 0;
      dots++;
    } else {
      break;
    }
  }
  if (i === start) return -1;
  lastKind = allNumeric ? 'ipv4' : 'hostname';
  if (!allNumeric) return i;
  // Four octets, the last one non-empty and in range too.
  return octetsGood && dots === 3 && labelLength > 0 && labelLength <= 3 && octet <= 255 ? i : -1;
}

/** `hostnameEnd` in bytes read one character per byte (the message parser's all-ASCII path). */
export function hostnameEndBytes(bytes: Uint8Array, start: number, end: number): number {
  let allNumeric = true;
  let labelLength = 0;
  let dots = 0;
  let octet = 0;
  let octetsGood = true;
  let i = start;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (((c | 0x20) - 0x61) >>> 0 < 26 || c === 0x2d || c === 0x5f) {
      allNumeric = false;
      labelLength++;
    } else if ((c - 0x30) >>> 0 < 10) {
      octet = octet * 10 + (c - 0x30);
      labelLength++;
    } else if (c === 0x2e) {
      if (labelLength === 0) return -1;
      if (labelLength > 3 || octet > 255) octetsGood = false;
      labelLength = 0;
      octet = 0;
      dots++;
    } else {
      break;
    }
  }
  if (i === start) return -1;
  lastKind = allNumeric ? 'ipv4' : 'hostname';
  if (!allNumeric) return i;
  return octetsGood && dots === 3 && labelLength > 0 && labelLength <= 3 && octet <= 255 ? i : -1;
}

let lastKind: HostKind = 'hostname';

/** The kind of the host `hostnameEnd` last found. */
export function lastHostnameKind(): HostKind {
  return lastKind;
}
