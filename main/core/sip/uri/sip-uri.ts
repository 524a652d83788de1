/**
 * SIP and SIPS URIs (RFC 3261 §19.1, grammar in §25.1):
 *
 *   SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
 *   userinfo = ( user / telephone-subscriber ) [ ":" password ] "@"
 *
 * A `SipUri` keeps every component as it was written (escapes included), so `toString()` gives
 * back the exact text it was parsed from and comparisons (§19.1.4) can tell "%3B" from ";".
 * The getters return components with escapes undone, once (RFC 4475 §3.1.1.3). Instances are
 * immutable; `with…` methods return a new URI.
 */
import { DIGIT, HNV, HOST, PARAM, PASSWORD, USER, spanOf } from '../grammar/char-classes.js';
import { hostKind, hostnameEnd, hostnameEndBytes, lastHostnameKind, parseIpv6, type HostKind } from '../grammar/host.js';
import { exactLength, sameName } from '../grammar/parameters.js';
import { escape, scanEscaped, scanEscapedBytes, unescape } from '../grammar/percent-encoding.js';
import { SipParseError } from '../grammar/sip-parse-error.js';

/** A uri-parameter or header as written in the URI (escapes not undone). */
export interface UriComponent {
  readonly name: string;
  readonly value: string | null;
}

export interface SipUriInit {
  scheme?: 'sip' | 'sips';
  /** Without escapes; they are added where the grammar needs them. */
  user?: string;
  password?: string;
  /** A hostname, an IPv4 address, or an IPv6 address with or without brackets. */
  host: string;
  port?: number;
  /** uri-parameters, without escapes; null for a parameter without a value (";lr"). */
  params?: Record<string, string | null> | readonly (readonly [string, string | null])[];
  /** URI headers (§19.1.1), without escapes. */
  headers?: Record<string, string> | readonly (readonly [string, string])[];
}

const noComponents: readonly UriComponent[] = [];

function failUri(reason: string, detail: string): never {
  throw new SipParseError('malformed', reason, detail);
}

/** Whether `text` starts with "sip:" or "sips:" in any case, its ":" being at `colon`. */
export function isSipScheme(text: string, colon: number): boolean {
  return isSipSchemeAt(text, 0, colon);
}

function entries<V>(source: Record<string, V> | readonly (readonly [string, V])[] | undefined): (readonly [string, V])[] {
  if (source === undefined) return [];
  return Array.isArray(source) ? [...(source as readonly (readonly [string, V])[])] : Object.entries(source);
}

/** Whether `text` holds "sip:" or "sips:" in any case from `start`, its ":" being at `colon`. */
export function isSipSchemeAt(text: string, start: number, colon: number): boolean {
  const length = colon - start;
  if (length !== 3 && length !== 4) return false;
  return (
    (text.charCodeAt(start) | 0x20) === 0x73 &&
    (text.charCodeAt(start + 1) | 0x20) === 0x69 &&
    (text.charCodeAt(start + 2) | 0x20) === 0x70 &&
    (length === 3 || (text.charCodeAt(start + 3) | 0x20) === 0x73)
  );
}

/**
 * Checks that `text` from `start` to `end` is a SIP or SIPS URI, reading it in place without
 * keeping anything; returns the kind of its host. Throws a SipParseError with `reason` if it is
 * not one. Read in place so a URI inside a header field is checked in the message's own text,
 * which V8 reads faster than a slice of it; positions in errors count from `start`.
 */
function checkSipUri(text: string, reason: string, start: number, end: number, bytes?: Uint8Array, d = 0): HostKind {
  // The colon of "sip:" or "sips:" where it nearly always is, else the first one.
  let colon = text.charCodeAt(start + 3) === 0x3a ? start + 3 : text.charCodeAt(start + 4) === 0x3a ? start + 4 : text.indexOf(':', start);
  if (colon >= end) colon = -1;
  if (!isSipSchemeAt(text, start, colon)) failUri(reason, 'not a sip or sips URI');
  let i = colon + 1;
  const at = bytes !== undefined ? byteIndexWithin(bytes, 0x40, i + d, end + d) - d : text.indexOf('@', i);
  if (at >= 0 && at < end) {
    // user and password cannot hold an unescaped "@", nor can anything after the host, so
    // the first "@" ends the userinfo (RFC 3261 §19.1.1; RFC 4475 §3.1.1.2 and §3.1.1.9).
    const userEnd = bytes !== undefined ? scanEscapedBytes(bytes, USER, i + d, at + d) - d : scanEscaped(text, USER, i, at);
    if (userEnd <= i) failUri(reason, 'bad user part');
    if (userEnd < at) {
      if (text.charCodeAt(userEnd) !== 0x3a) failUri(reason, 'bad user part');
      const passwordEnd = scanEscaped(text, PASSWORD, userEnd + 1, at);
      if (passwordEnd !== at) failUri(reason, 'bad password');
    }
    i = at + 1;
  }
  let kind: HostKind | undefined;
  if (i < end && text.charCodeAt(i) === 0x5b) {
    const close = text.indexOf(']', i);
    if (close < 0 || close >= end) failUri(reason, 'unterminated IPv6 reference');
    kind = hostKind(text, i, close + 1);
    i = close + 1;
  } else {
    const hostEnd = bytes !== undefined ? hostnameEndBytes(bytes, i + d, end + d) : hostnameEnd(text, i, end);
    if (hostEnd < 0) failUri(reason, 'bad host');
    kind = lastHostnameKind();
    i = bytes !== undefined ? hostEnd - d : hostEnd;
  }
  if (kind === undefined) return failUri(reason, 'bad host');
  if (i < end && text.charCodeAt(i) === 0x3a) {
    let port = 0;
    let j = i + 1;
    for (; j < end; j++) {
      const c = text.charCodeAt(j);
      if (c < 0x30 || c > 0x39) break;
      if (port <= 65535) port = port * 10 + (c - 0x30);
    }
    const digits = j - i - 1;
    if (digits === 0 || digits > 5 || port > 65535) failUri(reason, 'bad port');
    i = j;
  }
  while (i < end && text.charCodeAt(i) === 0x3b) {
    const nameEnd = bytes !== undefined ? scanEscapedBytes(bytes, PARAM, i + 1 + d, end + d) - d : scanEscaped(text, PARAM, i + 1, end);
    if (nameEnd <= i + 1) failUri(reason, 'bad uri-parameter');
    i = nameEnd;
    if (i < end && text.charCodeAt(i) === 0x3d) {
      const valueEnd = bytes !== undefined ? scanEscapedBytes(bytes, PARAM, i + 1 + d, end + d) - d : scanEscaped(text, PARAM, i + 1, end);
      if (valueEnd <= i + 1) failUri(reason, 'bad uri-parameter value');
      i = valueEnd;
    }
  }
  if (i < end && text.charCodeAt(i) === 0x3f) {
    do {
      const nameEnd = scanEscaped(text, HNV, i + 1, end);
      if (nameEnd <= i + 1 || nameEnd >= end || text.charCodeAt(nameEnd) !== 0x3d) failUri(reason, 'bad header in URI');
      const valueEnd = scanEscaped(text, HNV, nameEnd + 1, end);
      if (valueEnd < 0) failUri(reason, 'bad header value in URI');
      i = valueEnd;
    } while (i < end && text.charCodeAt(i) === 0x26);
  }
  if (i !== end) failUri(reason, `unexpected character at ${i - start}`);
  return kind;
}

/** The index of the first byte `code` from `start` to `end`, or -1. */
function byteIndexWithin(bytes: Uint8Array, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (bytes[i] === code) return i;
  return -1;
}

/** The components of a SIP URI as written (escapes included). */
interface SipUriParts {
  readonly scheme: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly host: string;
  readonly port: string | undefined;
  readonly params: readonly UriComponent[];
  readonly headers: readonly UriComponent[];
}

export class SipUri {
  readonly kind = 'sip';
  readonly hostKind: HostKind;
  // The components, or undefined for a parsed URI until first used: a parsed URI is only
  // checked, and its components are sliced out of its text together on first use (most URIs of
  // a received message are never taken apart: a To, a Record-Route, a Contact not dialled).
  private parts: SipUriParts | undefined;
  // The text, as `source` from `sourceStart` to `sourceEnd`: a parsed URI keeps the text it was
  // checked in (a message's header section) and is sliced out only when asked for as a string.
  // Undefined for a URI built from components, until `toString` writes it.
  private source: string | undefined;
  private sourceStart: number;
  private sourceEnd: number;

  private constructor(kind: HostKind, parts: SipUriParts | undefined, source: string | undefined, start = 0, end = source?.length ?? 0) {
    this.hostKind = kind;
    this.parts = parts;
    this.source = source;
    this.sourceStart = start;
    this.sourceEnd = end;
  }

  private get components(): SipUriParts {
    return (this.parts ??= this.split());
  }

  /** The scheme as written ("sip", "SIP", ...). */
  get schemeText(): string {
    return this.components.scheme;
  }

  /** The user part as written, escapes included. */
  get userText(): string | undefined {
    return this.components.user;
  }

  /** The password as written, escapes included. */
  get passwordText(): string | undefined {
    return this.components.password;
  }

  /** The host as written; an IPv6 reference keeps its brackets. */
  get host(): string {
    return this.components.host;
  }

  get portText(): string | undefined {
    return this.components.port;
  }

  /** uri-parameters as written, in order. */
  get paramList(): readonly UriComponent[] {
    return this.components.params;
  }

  /** headers as written, in order (`value` is never null). */
  get headerList(): readonly UriComponent[] {
    return this.components.headers;
  }

  /**
   * Parses a SIP or SIPS URI. `reason` is the Reason-Phrase of the error thrown when `text`
   * is not one (e.g. "Bad Request-URI"). The URI is checked now; its components are read
   * from `text` when first asked for.
   */
  static parse(text: string, reason = 'Bad SIP URI'): SipUri {
    const kind = checkSipUri(text, reason, 0, text.length);
    return new SipUri(kind, undefined, text);
  }

  /** `parse(text.slice(start, end), reason)`, checked and kept in `text` itself. */
  static parseAt(text: string, start: number, end: number, reason = 'Bad SIP URI', bytes?: Uint8Array, d = 0): SipUri {
    const kind = checkSipUri(text, reason, start, end, bytes, d);
    return new SipUri(kind, undefined, text, start, end);
  }

  /** Slices the components of a URI made by `parse` out of its (checked) text. */
  private split(): SipUriParts {
    const text = this.toString();
    const colon = text.indexOf(':');
    // The usual lower-case spelling shares one string rather than a copy per URI.
    const lower = text.charCodeAt(0) === 0x73 && text.charCodeAt(1) === 0x69 && text.charCodeAt(2) === 0x70 && (colon === 3 || text.charCodeAt(3) === 0x73);
    const n = text.length;
    let i = colon + 1;
    let userText: string | undefined;
    let passwordText: string | undefined;
    const at = text.indexOf('@', i);
    if (at >= 0) {
      const userEnd = scanEscaped(text, USER, i, at);
      userText = text.slice(i, userEnd);
      if (userEnd < at) passwordText = text.slice(userEnd + 1, at);
      i = at + 1;
    }
    const hostEnd = text.charCodeAt(i) === 0x5b ? text.indexOf(']', i) + 1 : spanOf(text, HOST, i, n);
    const host = text.slice(i, hostEnd);
    i = hostEnd;
    let portText: string | undefined;
    if (text.charCodeAt(i) === 0x3a) {
      const portEnd = spanOf(text, DIGIT, i + 1, n);
      portText = text.slice(i + 1, portEnd);
      i = portEnd;
    }
    let paramList = noComponents;
    while (text.charCodeAt(i) === 0x3b) {
      const nameEnd = scanEscaped(text, PARAM, i + 1, n);
      const name = text.slice(i + 1, nameEnd);
      let value: string | null = null;
      i = nameEnd;
      if (text.charCodeAt(i) === 0x3d) {
        const valueEnd = scanEscaped(text, PARAM, i + 1, n);
        value = text.slice(i + 1, valueEnd);
        i = valueEnd;
      }
      // Started as a one-element literal and trimmed below: see `exactLength`.
      if (paramList === noComponents) paramList = [{ name, value }];
      else (paramList as UriComponent[]).push({ name, value });
    }
    if (paramList.length > 1) paramList = exactLength(paramList as UriComponent[]);
    let headerList = noComponents;
    if (text.charCodeAt(i) === 0x3f) {
      headerList = [];
      do {
        const nameEnd = scanEscaped(text, HNV, i + 1, n);
        const valueEnd = scanEscaped(text, HNV, nameEnd + 1, n);
        (headerList as UriComponent[]).push({ name: text.slice(i + 1, nameEnd), value: text.slice(nameEnd + 1, valueEnd) });
        i = valueEnd;
      } while (text.charCodeAt(i) === 0x26);
    }
    return {
      scheme: !lower ? text.slice(0, colon) : colon === 3 ? 'sip' : 'sips',
      user: userText,
      password: passwordText,
      host,
      port: portText,
      params: paramList,
      headers: headerList,
    };
  }

  /** Builds a URI from its components (without escapes). Throws a RangeError on bad input. */
  static from(init: SipUriInit): SipUri {
    let host = init.host;
    if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
    const kind = hostKind(host);
    if (kind === undefined) throw new RangeError(`not a SIP host: ${JSON.stringify(init.host)}`);
    if (init.port !== undefined && !(Number.isInteger(init.port) && init.port >= 0 && init.port <= 65535)) {
      throw new RangeError(`not a port: ${init.port}`);
    }
    if (init.user === '') throw new RangeError('the user part of a SIP URI cannot be empty');
    const paramList = entries(init.params).map(([name, value]): UriComponent => {
      if (name === '') throw new RangeError('a uri-parameter needs a name');
      return { name: escape(name, PARAM), value: value === null ? null : escape(value, PARAM) };
    });
    const headerList = entries(init.headers).map(([name, value]): UriComponent => {
      if (name === '') throw new RangeError('a URI header needs a name');
      return { name: escape(name, HNV), value: escape(value, HNV) };
    });
    const parts: SipUriParts = {
      scheme: init.scheme ?? 'sip',
      user: init.user === undefined ? undefined : escape(init.user, USER),
      password: init.password === undefined || init.user === undefined ? undefined : escape(init.password, PASSWORD),
      host,
      port: init.port === undefined ? undefined : String(init.port),
      params: paramList,
      headers: headerList,
    };
    return new SipUri(kind, parts, undefined);
  }

  // `scheme` and `port` are read from `schemeText` and `portText` rather than kept beside them:
  // a parsed message holds several URIs, and each field costs 8 bytes in every one.

  /** "sip" or "sips", in lower case whatever the spelling. */
  get scheme(): 'sip' | 'sips' {
    return this.schemeText.length === 4 ? 'sips' : 'sip';
  }

  get port(): number | undefined {
    return this.portText === undefined ? undefined : Number(this.portText);
  }

  /** The user part with escapes undone ("sips%3Auser%40example.com" → "sips:user@example.com"). */
  get user(): string | undefined {
    return this.userText === undefined ? undefined : unescape(this.userText);
  }

  get password(): string | undefined {
    return this.passwordText === undefined ? undefined : unescape(this.passwordText);
  }

  /** The host without IPv6 brackets, as used to open a socket. */
  get address(): string {
    return this.hostKind === 'ipv6' ? this.host.slice(1, -1) : this.host;
  }

  /** The 16-bit groups of an IPv6 host, for comparisons; undefined for other hosts. */
  get ipv6Groups(): Uint16Array | undefined {
    return this.hostKind === 'ipv6' ? parseIpv6(this.address) : undefined;
  }

  /** host [":" port] as written. */
  get hostport(): string {
    return this.portText === undefined ? this.host : `${this.host}:${this.portText}`;
  }

  /** The uri-parameters with escapes undone. */
  get params(): { name: string; value: string | null }[] {
    return this.paramList.map((p) => ({ name: unescape(p.name), value: p.value === null ? null : unescape(p.value) }));
  }

  /** The URI headers with escapes undone. */
  get headers(): { name: string; value: string }[] {
    return this.headerList.map((h) => ({ name: unescape(h.name), value: unescape(h.value ?? '') }));
  }

  /** A uri-parameter's value (escapes undone): null if it has none, undefined if absent. */
  param(name: string): string | null | undefined {
    const p = this.findParam(name);
    if (p === undefined) return undefined;
    return p.value === null ? null : unescape(p.value);
  }

  hasParam(name: string): boolean {
    return this.findParam(name) !== undefined;
  }

  /** transport-param, in lower case ("udp", "tcp", "tls", "sctp", or another token). */
  get transport(): string | undefined {
    return this.param('transport')?.toLowerCase();
  }

  /** The "lr" parameter of a loose router (§19.1.1, §16.12). */
  get lr(): boolean {
    return this.hasParam('lr');
  }

  get maddr(): string | undefined {
    return this.param('maddr') ?? undefined;
  }

  /** user-param ("phone", "ip" or another token). */
  get userParam(): string | undefined {
    return this.param('user') ?? undefined;
  }

  /** A copy with some components replaced (components given without escapes). */
  with(changes: Partial<SipUriInit>): SipUri {
    return SipUri.from({
      scheme: changes.scheme ?? this.scheme,
      user: 'user' in changes ? changes.user : this.user,
      password: 'password' in changes ? changes.password : this.password,
      host: changes.host ?? this.host,
      port: 'port' in changes ? changes.port : this.port,
      params: changes.params ?? this.params.map((p) => [p.name, p.value] as const),
      headers: changes.headers ?? this.headers.map((h) => [h.name, h.value] as const),
    });
  }

  /** A copy with the uri-parameter `name` set (replacing any of that name). */
  withParam(name: string, value: string | null = null): SipUri {
    const params = this.params.filter((p) => !sameName(p.name, name)).map((p) => [p.name, p.value] as const);
    return this.with({ params: [...params, [name, value]] });
  }

  withoutParam(name: string): SipUri {
    if (!this.hasParam(name)) return this;
    return this.with({ params: this.params.filter((p) => !sameName(p.name, name)).map((p) => [p.name, p.value] as const) });
  }

  /** A copy without URI headers, e.g. to use as a Request-URI (§19.1.5). */
  withoutHeaders(): SipUri {
    return this.headerList.length === 0 ? this : this.with({ headers: [] });
  }

  toString(): string {
    const source = this.source;
    if (source !== undefined) {
      if (this.sourceStart === 0 && this.sourceEnd === source.length) return source;
      // Sliced out once, and kept instead of the text it came from.
      const text = source.slice(this.sourceStart, this.sourceEnd);
      this.source = text;
      this.sourceStart = 0;
      this.sourceEnd = text.length;
      return text;
    }
    let out = `${this.schemeText}:`;
    if (this.userText !== undefined) {
      out += this.userText;
      if (this.passwordText !== undefined) out += `:${this.passwordText}`;
      out += '@';
    }
    out += this.hostport;
    for (const p of this.paramList) out += p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`;
    for (let i = 0; i < this.headerList.length; i++) {
      const h = this.headerList[i]!;
      out += `${i === 0 ? '?' : '&'}${h.name}=${h.value ?? ''}`;
    }
    this.source = out;
    this.sourceEnd = out.length;
    return out;
  }

  private findParam(name: string): UriComponent | undefined {
    for (const p of this.paramList) {
      if (p.name.indexOf('%') < 0 ? sameName(p.name, name) : sameName(unescape(p.name), name)) return p;
    }
    return undefined;
  }
}

