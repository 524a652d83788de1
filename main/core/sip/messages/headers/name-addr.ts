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
import { Parameters, exactLength, parseParameters } from '../../grammar/parameters.js';
import { quote } from '../../grammar/quoted-string.js';
import { Scanner } from '../../grammar/scanner.js';
import { parseUri, type Uri } from '../../uri/uri.js';

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

/** A header holding exactly one name-addr or addr-spec (From, To, Refer-To...). */
export function parseNameAddr(value: string, header: string): NameAddr {
  const s = new Scanner(value, `Bad ${header} header field`);
  const { uri, displayName, params } = scanNameAddr(s);
  s.expectEnd();
  return new NameAddr(uri, displayName, params);
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
