/**
 * name-addr and addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39, §25.1), the
 * shape of From, To, Contact, Route, Record-Route, Reply-To and Refer-To:
 *
 *   ( name-addr / addr-spec ) *( SEMI generic-param )
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *
 * In the addr-spec form (no angle brackets) every ";" starts a header parameter, so a URI
 * holding ",", ";" or "?" must be bracketed (§20: "the URI MUST be enclosed in angle brackets").
 *
 * Tolerated, as RFC 4475 allows: no LWS between a display name and "<" (§3.1.1.6, which the RFC
 * asks elements to accept) and white space just inside the brackets (§3.1.2.14, "< sip:... >"),
 * which is ignored. Refused: an unquoted display name with characters other than tokens
 * (§3.1.2.15, "Bell, Alexander <...>"), and an unterminated quoted-string (§3.1.2.6).
 */
import { DQUOTE, TOKEN, isIn, isWsp } from '../../grammar/char-classes.js';
import { Parameters, exactLength, parseParameters, skipParameters } from '../../grammar/parameters.js';
import { quote } from '../../grammar/quoted-string.js';
import { Scanner } from '../../grammar/scanner.js';
import { parseUri, parseUriAt, type Uri } from '../../uri/uri.js';

const LAQUOT = 0x3c;
const RAQUOT = 0x3e;
const COMMA = 0x2c;
const SEMI = 0x3b;
const QUESTION = 0x3f;

export class NameAddr {
  constructor(
    readonly uri: Uri,
    /** The display name, unquoted and with quoted-pairs undone; undefined if there is none. */
    readonly displayName?: string,
    /** Header parameters (not URI parameters): tag, expires, q, ... */
    readonly params: Parameters = Parameters.empty,
  ) {}

  /** The tag of a From or To (§19.3). */
  get tag(): string | undefined {
    return this.params.get('tag') ?? undefined;
  }

  param(name: string): string | null | undefined {
    return this.params.get(name);
  }

  withParam(name: string, value: string | null = null): this {
    return this.copy(this.params.with(name, value));
  }

  withoutParam(name: string): this {
    return this.copy(this.params.without(name));
  }

  withTag(tag: string): this {
    return this.withParam('tag', tag);
  }

  /** Always the name-addr form, so URI parameters can never be mistaken for header ones. */
  toString(): string {
    const name = this.displayName === undefined ? '' : `${quote(this.displayName)} `;
    return `${name}<${this.uri.toString()}>${this.params.toString()}`;
  }

  protected copy(params: Parameters): this {
    const Kind = this.constructor as new (uri: Uri, displayName: string | undefined, params: Parameters) => this;
    return new Kind(this.uri, this.displayName, params);
  }
}

export interface NameAddrParts {
  readonly uri: Uri;
  readonly displayName: string | undefined;
  readonly params: Parameters;
}

/** Reads one `( name-addr / addr-spec ) *( SEMI generic-param )` at the cursor. */
export function scanNameAddr(s: Scanner): NameAddrParts {
  s.skipWs();
  let displayName: string | undefined;
  const first = s.peek();
  if (first === DQUOTE) {
    displayName = s.quotedString();
    s.skipWs();
    if (s.peek() !== LAQUOT) s.fail(`expected "<" after the display name at ${s.pos}`);
  } else if (first !== LAQUOT) {
    // Tokens and white space up to a "<" are a display name; anything else is an addr-spec.
    let j = s.pos;
    while (j < s.end) {
      const c = s.text.charCodeAt(j);
      if (!isIn(c, TOKEN) && !isWsp(c)) break;
      j++;
    }
    if (j > s.pos && s.text.charCodeAt(j) === LAQUOT && j < s.end) {
      let end = j;
      while (isWsp(s.text.charCodeAt(end - 1))) end--;
      displayName = s.text.slice(s.pos, end);
      s.pos = j;
    }
  }
  let uri: Uri;
  if (s.peek() === LAQUOT) {
    const close = s.text.indexOf('>', s.pos + 1);
    if (close < 0 || close >= s.end) s.fail(`no ">" after the "<" at ${s.pos}`);
    let start = s.pos + 1;
    let end = close;
    while (start < end && isWsp(s.text.charCodeAt(start))) start++;
    while (end > start && isWsp(s.text.charCodeAt(end - 1))) end--;
    uri = parseUri(s.text.slice(start, end), s.reason);
    s.pos = close + 1;
  } else {
    const start = s.pos;
    let end = start;
    while (end < s.end) {
      const c = s.text.charCodeAt(end);
      if (c === SEMI || c === COMMA || isWsp(c)) break;
      if (c === QUESTION || c === LAQUOT || c === RAQUOT) s.fail(`character at ${end} needs the URI in angle brackets`);
      end++;
    }
    if (end === start) s.fail(`expected a URI at ${start}`);
    uri = parseUri(s.text.slice(start, end), s.reason);
    s.pos = end;
  }
  return { uri, displayName, params: parseParameters(s) };
}

const reasons = new Map<string, string>();

/** The Reason-Phrase for a malformed `header`, one shared string per header name. */
function badHeaderReason(header: string): string {
  let reason = reasons.get(header);
  if (reason === undefined) {
    reason = `Bad ${header} header field`;
    if (reasons.size < 64) reasons.set(header, reason);
  }
  return reason;
}

// What `quickNameAddr` read, when it returns true (kept here rather than in an object per call).
let quickUri: Uri | undefined;
let quickDisplayName: string | undefined;
let quickParams: Parameters = Parameters.empty;

/**
 * Reads `text` from `start` to `n` as `scanNameAddr` then `expectEnd` would read that slice,
 * when it is in the usual form: an optional quoted display name without quoted-pairs,
 * "<" URI ">" with nothing white inside the brackets, then header parameters. Returns false for anything else, which the scanner
 * then reads (and refuses with the usual detail if malformed). A malformed URI in brackets
 * throws here exactly as there.
 */
function quickNameAddr(text: string, start: number, n: number, reason: string, bytes?: Uint8Array, d = 0): boolean {
  let i = start;
  while (i < n && isWsp(text.charCodeAt(i))) i++;
  let displayName: string | undefined;
  if (i < n && text.charCodeAt(i) === DQUOTE) {
    const open = i;
    for (i++; i < n; i++) {
      const c = bytes !== undefined ? bytes[i + d]! : text.charCodeAt(i);
      if (c === DQUOTE) break;
      if (c === 0x5c || c === 0x0d || c === 0x0a) return false;
    }
    if (i >= n) return false;
    displayName = text.slice(open + 1, i);
    i++;
    while (i < n && isWsp(text.charCodeAt(i))) i++;
  }
  if (i >= n || text.charCodeAt(i) !== LAQUOT) return false;
  const close = text.indexOf('>', i + 1);
  if (close < 0 || close >= n || close === i + 1 || isWsp(text.charCodeAt(i + 1)) || isWsp(text.charCodeAt(close - 1))) return false;
  const uri = parseUriAt(text, i + 1, close, reason, bytes, d);
  i = close + 1;
  const to = skipParameters(text, i, n, 'tag', bytes, d);
  if (to < 0) return false;
  let end = to;
  while (end < n && isWsp(text.charCodeAt(end))) end++;
  if (end !== n) return false;
  quickUri = uri;
  quickDisplayName = displayName;
  quickParams = to === i ? Parameters.empty : Parameters.checked(text, i, to);
  return true;
}

/** A header holding exactly one name-addr or addr-spec (From, To, Refer-To...). */
export function parseNameAddr(value: string, header: string): NameAddr {
  const reason = badHeaderReason(header);
  const quick = quickNameAddrOf(value, reason, NameAddr);
  if (quick !== undefined) return quick;
  const s = new Scanner(value, reason);
  const { uri, displayName, params } = scanNameAddr(s);
  s.expectEnd();
  return new NameAddr(uri, displayName, params);
}

/** `value` read by `quickNameAddr` as a `Kind` (NameAddr, Contact...), or undefined. */
export function quickNameAddrOf<T>(
  value: string,
  reason: string,
  Kind: new (uri: Uri, displayName: string | undefined, params: Parameters) => T,
): T | undefined {
  return quickNameAddr(value, 0, value.length, reason) ? new Kind(quickUri!, quickDisplayName, quickParams) : undefined;
}

/**
 * `quickNameAddrOf(text.slice(start, end), reason, Kind)`, read in `text` itself: the message
 * parser reads From, To and Contact so, without slicing their values out first.
 */
export function quickNameAddrAt<T>(
  text: string,
  start: number,
  end: number,
  reason: string,
  Kind: new (uri: Uri, displayName: string | undefined, params: Parameters) => T,
  bytes?: Uint8Array,
  d = 0,
): T | undefined {
  return quickNameAddr(text, start, end, reason, bytes, d) ? new Kind(quickUri!, quickDisplayName, quickParams) : undefined;
}

/**
 * `parseNameAddr(text.slice(start, end), header)`, read in place when in the usual form.
 * `reason` is `Bad ${header} header field`, given by a caller that has it at hand.
 */
export function parseNameAddrAt(
  text: string,
  start: number,
  end: number,
  header: string,
  reason = badHeaderReason(header),
  bytes?: Uint8Array,
  d = 0,
): NameAddr {
  return quickNameAddrAt(text, start, end, reason, NameAddr, bytes, d) ?? parseNameAddr(text.slice(start, end), header);
}

/**
 * Reads a comma-separated list of values at the cursor (§7.3.1), each read by `item`. Empty
 * elements (",,") are refused, as the SIP grammar has none.
 */
export function scanList<T>(s: Scanner, item: (s: Scanner) => T): T[] {
  // Started as a one-element literal and trimmed at the end: see `exactLength`.
  const items: T[] = [item(s)];
  for (;;) {
    s.skipWs();
    if (s.done) return exactLength(items);
    if (s.peek() !== COMMA) s.fail(`expected "," or the end at ${s.pos}`);
    s.pos++;
    items.push(item(s));
  }
}

/** A comma-separated list of name-addr / addr-spec values (Route, Record-Route...). */
export function parseNameAddrList(value: string, header: string): NameAddr[] {
  const s = new Scanner(value, `Bad ${header} header field`);
  return scanList(s, (sc) => {
    const { uri, displayName, params } = scanNameAddr(sc);
    return new NameAddr(uri, displayName, params);
  });
}
