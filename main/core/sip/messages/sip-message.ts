/**
 * SIP messages (RFC 3261 §7): a request or a response, an ordered list of header fields, and a
 * body of bytes.
 *
 * Header fields are looked up by name case-insensitively, and a compact form names the same
 * field as its full name (§7.3.3): `get('Via')` finds a field received as "v". The fields keep
 * their order and their spelling; typed values (Via, From, CSeq...) are parsed on first use and
 * kept until a field of that name changes.
 *
 * A message parsed from the network remembers its bytes: while it is unchanged, serializing it
 * gives exactly those bytes back. Once changed, the start-line is written afresh, unchanged
 * fields are written as received (folds and compact names kept; line ends made CRLF), changed
 * fields as `Name: value`, and Content-Length always matches the body.
 */
import { splitCommaList } from '../grammar/comma-list.js';
import { TOKEN, allIn } from '../grammar/char-classes.js';
import { SipParseError } from '../grammar/sip-parse-error.js';
import { parseUri, type Uri } from '../uri/uri.js';
import { slotCount, type HeaderDefinition } from './header-definition.js';
import { HeaderField } from './header-field.js';
import { fieldValue, fieldsOf, type HeaderIndex } from './header-section.js';
import { canonicalName, headerKey } from './header-names.js';
import type { AuthHeader } from './headers/authentication.js';
import type { ContactValue } from './headers/contact.js';
import type { MediaType } from './headers/content-type.js';
import type { CSeq } from './headers/cseq.js';
import {
  AllowHeader,
  AuthorizationHeader,
  CSeqHeader,
  CallIdHeader,
  ContactHeader,
  ContentLengthHeader,
  ContentTypeHeader,
  EventHeader,
  ExpiresHeader,
  FromHeader,
  MaxForwardsHeader,
  ProxyAuthenticateHeader,
  ProxyAuthorizationHeader,
  RAckHeader,
  RSeqHeader,
  RecordRouteHeader,
  ReferToHeader,
  ReplacesHeader,
  RequireHeader,
  RouteHeader,
  SubscriptionStateHeader,
  SupportedHeader,
  ToHeader,
  UnsupportedHeader,
  ViaHeader,
  WwwAuthenticateHeader,
} from './headers/definitions.js';
import type { SipEvent } from './headers/event.js';
import type { NameAddr } from './headers/name-addr.js';
import type { RAck } from './headers/rack.js';
import type { Replaces } from './headers/replaces.js';
import type { SubscriptionState } from './headers/subscription-state.js';
import type { Via } from './headers/via.js';
import { reasonPhrase } from './reason-phrases.js';
import { serializeMessageToString } from './serializer.js';

/** A header value: text, a number, or a typed value (Via, NameAddr, CSeq...) written by toString. */
export type HeaderValue = string | number | { toString(): string };

export interface SipMessageInit {
  /** Header fields in order: `[name, value]` pairs, or fields already built. */
  readonly headers?: Iterable<readonly [string, HeaderValue] | HeaderField>;
  /** The body: bytes, or text written as UTF-8. */
  readonly body?: Uint8Array | string;
  /**
   * The exact bytes the message was parsed from. While the message is unchanged, serializing it
   * returns them. Only the parser should give this.
   */
  readonly raw?: Uint8Array;
  /**
   * Set by the parser only (the symbol is not exported from the package), instead of
   * `headers`, `body` and `raw`: see `ParsedParts`.
   */
  readonly [parsedFields]?: ParsedParts;
}

/**
 * What the parser hands a message besides its fields: the typed values it read, and where the
 * message and its body lie in the received bytes. The `raw` and `body` views are made from these
 * on first use: a typed-array view costs a hundred-odd bytes and an allocation, and most
 * received messages are never re-sent as received, many have no body read.
 */
export interface ParsedParts {
  /** The header fields, as positions in the header section's text. */
  readonly index: HeaderIndex;
  /**
   * The message's cache of typed values (see `newTypedCache`), holding those the parser read
   * (Content-Length to frame the body, the fields every message must carry), so they are not
   * parsed again.
   */
  readonly typed: unknown[];
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly bodyStart: number;
  readonly end: number;
}

/** See `SipMessageInit[parsedFields]`. */
export const parsedFields: unique symbol = Symbol('parsedFields');

const emptyBody = new Uint8Array(0);
const unparsed = Symbol('unparsed');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toField(entry: readonly [string, HeaderValue] | HeaderField): HeaderField {
  if (entry instanceof HeaderField) return entry;
  return HeaderField.of(canonicalName(entry[0]), String(entry[1]));
}

/**
 * A message's cache of typed values, filled at once rather than grown slot by slot. Its first
 * slots are the headers of RFC 3261 defined first in definitions.ts (Via ... Content-Type), the
 * ones nearly every message has read; a later slot grows it when first used.
 */
export function newTypedCache(): unknown[] {
  if (emptyCache.length !== Math.min(slotCount(), INITIAL_SLOTS)) emptyCache = new Array<unknown>(Math.min(slotCount(), INITIAL_SLOTS)).fill(unparsed);
  // A copy of a filled array is one block copy, where `fill` writes each slot in turn.
  return emptyCache.slice();
}
let emptyCache: unknown[] = [];
const INITIAL_SLOTS = 16;

/** Puts `value` in `cache` (made by `newTypedCache`) as the typed value of `definition`. */
export function setTyped<T>(cache: unknown[], definition: HeaderDefinition<T>, value: T): void {
  while (cache.length <= definition.slot) cache.push(unparsed);
  cache[definition.slot] = value;
}

function missing(name: string): never {
  throw new SipParseError('missing_header', `Missing ${name} header field`);
}

export abstract class SipMessageBase {
  abstract readonly kind: 'request' | 'response';
  /**
   * The header fields, or undefined while a parsed message still has them only as `index`:
   * most fields of a received message are never asked for as `HeaderField`s, so they are made
   * on first use of `headers` or of a method that changes them. Until then, lookups read
   * `index` and slice out just the values asked for.
   */
  private fieldList: HeaderField[] | undefined;
  private index: HeaderIndex | undefined;
  /** The body, or undefined while it is still only a range of `parsed.bytes`. */
  private bodyBytes: Uint8Array | undefined;
  private raw: Uint8Array | undefined;
  /** Where a parsed message came from, while it is unchanged (see `ParsedParts`). */
  private parsed: ParsedParts | undefined;
  /** Parsed typed values by definition slot; `unparsed` where not parsed yet. */
  private cache: unknown[] | undefined;

  constructor(init: SipMessageInit = {}) {
    const parsed = init[parsedFields];
    if (parsed !== undefined) {
      // Nothing else to read: a parsed message has its fields as `index` (see `ParsedParts`).
      this.fieldList = undefined;
      this.index = parsed.index;
      this.parsed = parsed;
      this.bodyBytes = undefined;
      this.raw = undefined;
      this.cache = parsed.typed;
      return;
    }
    const headers = init.headers;
    if (headers === undefined) this.fields = [];
    else if (Array.isArray(headers)) this.fields = (headers as (readonly [string, HeaderValue] | HeaderField)[]).map(toField);
    else this.fields = Array.from(headers, toField);
    this.bodyBytes = init.body === undefined ? emptyBody : typeof init.body === 'string' ? encoder.encode(init.body) : init.body;
    this.raw = init.raw;
  }

  /** The start-line without its CRLF. */
  abstract get startLine(): string;

  private get fields(): HeaderField[] {
    if (this.fieldList === undefined) {
      this.fieldList = this.index === undefined ? [] : fieldsOf(this.index);
      this.index = undefined;
    }
    return this.fieldList;
  }

  private set fields(fields: HeaderField[]) {
    this.fieldList = fields;
    this.index = undefined;
  }

  /** Every header field, in order. */
  get headers(): readonly HeaderField[] {
    return this.fields;
  }

  /** The body bytes (Content-Length of them). Treat as read-only; assign to change it. */
  get body(): Uint8Array {
    if (this.bodyBytes === undefined) {
      const p = this.parsed!;
      this.bodyBytes = p.bytes.subarray(p.bodyStart, p.end);
    }
    return this.bodyBytes;
  }

  set body(body: Uint8Array | string) {
    this.bodyBytes = typeof body === 'string' ? encoder.encode(body) : body;
    this.changed();
  }

  /** The body read as UTF-8 text. */
  get bodyText(): string {
    return decoder.decode(this.body);
  }

  /** The bytes this message was parsed from, while it is unchanged; otherwise undefined. */
  get rawBytes(): Uint8Array | undefined {
    if (this.raw === undefined && this.parsed !== undefined) this.raw = this.parsed.bytes.subarray(this.parsed.start, this.parsed.end);
    return this.raw;
  }

  /** The value of the first field named `name` (any case, full or compact form). */
  get(name: string): string | undefined {
    const key = headerKey(name);
    const index = this.index;
    if (index !== undefined) {
      const i = index.keys.indexOf(key);
      return i < 0 ? undefined : fieldValue(index, i);
    }
    for (const f of this.fields) if (f.key === key) return f.value;
    return undefined;
  }

  /** The value of every field named `name`, one per field, in order. */
  getAll(name: string): string[] {
    return this.valuesOf(headerKey(name));
  }

  /**
   * Every list element of the fields named `name`, split at the commas between elements
   * (§7.3.1). Only meaningful for headers whose grammar is a comma-separated list.
   */
  getValues(name: string): string[] {
    return this.getAll(name).flatMap(splitCommaList);
  }

  has(name: string): boolean {
    const key = headerKey(name);
    if (this.index !== undefined) return this.index.keys.includes(key);
    return this.fields.some((f) => f.key === key);
  }

  /**
   * Replaces every field named `name` with one field per value, at the place of the first one
   * (or at the end). An empty array removes the header.
   */
  set(name: string, value: HeaderValue | readonly HeaderValue[]): this {
    const values = Array.isArray(value) ? (value as readonly HeaderValue[]) : [value as HeaderValue];
    const spelled = canonicalName(name);
    const added = values.map((v) => HeaderField.of(spelled, String(v)));
    const key = headerKey(name);
    const at = this.fields.findIndex((f) => f.key === key);
    const kept = this.fields.filter((f) => f.key !== key);
    kept.splice(at < 0 ? kept.length : at, 0, ...added);
    this.fields = kept;
    this.changed();
    return this;
  }

  /** Adds a field after all others. */
  append(name: string, value: HeaderValue): this {
    this.fields.push(HeaderField.of(canonicalName(name), String(value)));
    this.changed();
    return this;
  }

  /**
   * Adds a field before the first field of the same name (or first of all if there is none):
   * the topmost Via or Record-Route (§16.6, §18.1.1).
   */
  prepend(name: string, value: HeaderValue): this {
    const field = HeaderField.of(canonicalName(name), String(value));
    const at = this.fields.findIndex((f) => f.key === field.key);
    this.fields.splice(at < 0 ? 0 : at, 0, field);
    this.changed();
    return this;
  }

  /** Removes every field named `name`; returns how many there were. */
  remove(name: string): number {
    const key = headerKey(name);
    const before = this.fields.length;
    this.fields = this.fields.filter((f) => f.key !== key);
    if (this.fields.length !== before) this.changed();
    return before - this.fields.length;
  }

  /** Removes the first field named `name` (e.g. the topmost Via, §8.1.3.3, or Route, §16.4). */
  removeFirst(name: string): boolean {
    const key = headerKey(name);
    const at = this.fields.findIndex((f) => f.key === key);
    if (at < 0) return false;
    this.fields.splice(at, 1);
    this.changed();
    return true;
  }

  /** The typed value of a header, parsed on first use. Throws SipParseError if malformed. */
  typed<T>(definition: HeaderDefinition<T>): T {
    let cache = this.cache;
    if (cache === undefined) this.cache = cache = newTypedCache();
    const slot = definition.slot;
    if (slot < cache.length) {
      const cached = cache[slot];
      if (cached !== unparsed) return cached as T;
    } else {
      while (cache.length <= slot) cache.push(unparsed);
    }
    const value = definition.parse(this.valuesOf(definition.key));
    cache[slot] = value;
    return value;
  }

  /** Every Via value, topmost first (§20.42). */
  get via(): readonly Via[] {
    return this.typed(ViaHeader);
  }

  get topVia(): Via | undefined {
    return this.typed(ViaHeader)[0];
  }

  get from(): NameAddr {
    return this.typed(FromHeader) ?? missing('From');
  }

  get to(): NameAddr {
    return this.typed(ToHeader) ?? missing('To');
  }

  get callId(): string {
    return this.typed(CallIdHeader) ?? missing('Call-ID');
  }

  get cseq(): CSeq {
    return this.typed(CSeqHeader) ?? missing('CSeq');
  }

  get maxForwards(): number | undefined {
    return this.typed(MaxForwardsHeader);
  }

  /** Contact values; a `ContactWildcard` for "Contact: *". */
  get contacts(): readonly ContactValue[] {
    return this.typed(ContactHeader);
  }

  get routes(): readonly NameAddr[] {
    return this.typed(RouteHeader);
  }

  get recordRoutes(): readonly NameAddr[] {
    return this.typed(RecordRouteHeader);
  }

  /** The Content-Length field's value; use `body.length` for the body's actual size. */
  get contentLength(): number | undefined {
    return this.typed(ContentLengthHeader);
  }

  get contentType(): MediaType | undefined {
    return this.typed(ContentTypeHeader);
  }

  get expires(): number | undefined {
    return this.typed(ExpiresHeader);
  }

  get wwwAuthenticate(): readonly AuthHeader[] {
    return this.typed(WwwAuthenticateHeader);
  }

  get proxyAuthenticate(): readonly AuthHeader[] {
    return this.typed(ProxyAuthenticateHeader);
  }

  get authorization(): readonly AuthHeader[] {
    return this.typed(AuthorizationHeader);
  }

  get proxyAuthorization(): readonly AuthHeader[] {
    return this.typed(ProxyAuthorizationHeader);
  }

  get require(): readonly string[] {
    return this.typed(RequireHeader);
  }

  get supported(): readonly string[] {
    return this.typed(SupportedHeader);
  }

  get unsupported(): readonly string[] {
    return this.typed(UnsupportedHeader);
  }

  get allow(): readonly string[] {
    return this.typed(AllowHeader);
  }

  get rseq(): number | undefined {
    return this.typed(RSeqHeader);
  }

  get rack(): RAck | undefined {
    return this.typed(RAckHeader);
  }

  get event(): SipEvent | undefined {
    return this.typed(EventHeader);
  }

  get subscriptionState(): SubscriptionState | undefined {
    return this.typed(SubscriptionStateHeader);
  }

  get referTo(): NameAddr | undefined {
    return this.typed(ReferToHeader);
  }

  get replaces(): Replaces | undefined {
    return this.typed(ReplacesHeader);
  }

  /** The message as text (the body read as UTF-8; use `serializeMessage` for bytes). */
  toString(): string {
    return serializeMessageToString(this);
  }

  /** Forgets the received bytes and the parsed values: the message no longer is as received. */
  protected changed(): void {
    if (this.bodyBytes === undefined) this.bodyBytes = this.body;
    this.parsed = undefined;
    this.raw = undefined;
    this.cache = undefined;
  }

  private valuesOf(key: string): string[] {
    const values: string[] = [];
    const index = this.index;
    if (index !== undefined) {
      const keys = index.keys;
      for (let i = 0; i < keys.length; i++) if (keys[i] === key) values.push(fieldValue(index, i));
      return values;
    }
    for (const f of this.fields) if (f.key === key) values.push(f.value);
    return values;
  }
}

export interface SipRequestInit extends SipMessageInit {
  readonly method: string;
  /** The Request-URI, as a URI or as text to parse. */
  readonly uri: Uri | string;
}

export class SipRequest extends SipMessageBase {
  readonly kind = 'request';
  private methodName: string;
  private requestUri: Uri;

  constructor(init: SipRequestInit) {
    super(init);
    if (!allIn(init.method, TOKEN)) throw new RangeError(`not a method: ${JSON.stringify(init.method)}`);
    this.methodName = init.method;
    this.requestUri = typeof init.uri === 'string' ? parseUri(init.uri, 'Bad Request-URI') : init.uri;
  }

  /** The method, case-sensitive (§7.1): "INVITE", "ACK", or an extension. */
  get method(): string {
    return this.methodName;
  }

  set method(method: string) {
    if (!allIn(method, TOKEN)) throw new RangeError(`not a method: ${JSON.stringify(method)}`);
    this.methodName = method;
    this.changed();
  }

  /** The Request-URI (§8.1.1.1). */
  get uri(): Uri {
    return this.requestUri;
  }

  set uri(uri: Uri) {
    this.requestUri = uri;
    this.changed();
  }

  get startLine(): string {
    return `${this.methodName} ${this.requestUri.toString()} SIP/2.0`;
  }
}

export interface SipResponseInit extends SipMessageInit {
  readonly status: number;
  /** Default: the usual phrase for the status (§21). */
  readonly reason?: string;
}

function checkStatus(status: number): void {
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`not a status code: ${status}`);
}

function checkReason(reason: string): void {
  if (/[\r\n]/.test(reason)) throw new RangeError('a Reason-Phrase cannot hold CR or LF');
}

export class SipResponse extends SipMessageBase {
  readonly kind = 'response';
  private statusCode: number;
  private reasonText: string;

  constructor(init: SipResponseInit) {
    super(init);
    checkStatus(init.status);
    this.statusCode = init.status;
    this.reasonText = init.reason ?? reasonPhrase(init.status);
    checkReason(this.reasonText);
  }

  /** The Status-Code, 100..699 (§7.2). */
  get status(): number {
    return this.statusCode;
  }

  set status(status: number) {
    checkStatus(status);
    this.statusCode = status;
    this.changed();
  }

  /** The Reason-Phrase as received, escapes not undone (possibly empty, RFC 4475 §3.1.1.13). */
  get reason(): string {
    return this.reasonText;
  }

  set reason(reason: string) {
    checkReason(reason);
    this.reasonText = reason;
    this.changed();
  }

  get startLine(): string {
    return `SIP/2.0 ${this.statusCode} ${this.reasonText}`;
  }
}

export type SipMessage = SipRequest | SipResponse;
