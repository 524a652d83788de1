/**
 * Via (RFC 3261 §20.42, §18.2.1; rport from RFC 3581):
 *
 *   via-parm      = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by       = host [ COLON port ]
 *   via-params    = via-ttl / via-maddr / via-received / via-branch / response-port / via-extension
 *
 * RFC 5118 §4.5: "received" may hold an IPv6 address with or without brackets; both are read.
 */
import { TOKEN, allIn, isWsp, spanOf, spanOfBytes } from '../../grammar/char-classes.js';
import { hostKind, hostnameEnd, hostnameEndBytes } from '../../grammar/host.js';
import { Parameters, parseParameters, skipParameters } from '../../grammar/parameters.js';
import { Scanner } from '../../grammar/scanner.js';
import { SipParseError } from '../../grammar/sip-parse-error.js';
import { scanList } from './name-addr.js';

const SLASH = 0x2f;
const COLON = 0x3a;

/** Marks a Via built by `parseVia`, whose parts were checked while reading them. */
const parsed: unique symbol = Symbol('parsed');

/** The branch of every RFC 3261 client transaction starts with this magic cookie (§8.1.1.7). */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

export interface ViaInit {
  /** "UDP", "TCP", "TLS", "SCTP", "WS", "WSS" or another token. */
  transport: string;
  host: string;
  port?: number;
  params?: Parameters;
  protocolName?: string;
  protocolVersion?: string;
}

export class Via {
  readonly protocolName: string;
  readonly protocolVersion: string;
  /** The transport in upper case. */
  readonly transport: string;
  /** The sent-by host as written; an IPv6 reference keeps its brackets. */
  readonly host: string;
  readonly port: number | undefined;
  readonly params: Parameters;

  /**
   * Builds a Via; throws a RangeError for a transport that is not a token, a bad host or port.
   * (`origin` is for this module's parser, whose values are checked already.)
   */
  constructor(init: ViaInit, origin?: typeof parsed) {
    if (origin !== parsed) {
      if (!allIn(init.transport, TOKEN)) throw new RangeError(`not a transport: ${JSON.stringify(init.transport)}`);
      if (hostKind(init.host) === undefined) throw new RangeError(`not a sent-by host: ${JSON.stringify(init.host)}`);
      if (init.port !== undefined && !(Number.isInteger(init.port) && init.port >= 0 && init.port <= 65535)) {
        throw new RangeError(`not a port: ${init.port}`);
      }
    }
    this.protocolName = init.protocolName ?? 'SIP';
    this.protocolVersion = init.protocolVersion ?? '2.0';
    // The parser hands the transport in upper case already.
    this.transport = origin === parsed ? init.transport : init.transport.toUpperCase();
    this.host = init.host;
    this.port = init.port;
    this.params = init.params ?? Parameters.empty;
  }

  /** The transaction identifier (§17.2.3); undefined for an RFC 2543 element. */
  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }

  /** The source address a server saw, added when it differs from sent-by (§18.2.1). */
  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }

  /** Whether the rport parameter is present, with or without a value (RFC 3581 §4). */
  get hasRport(): boolean {
    return this.params.has('rport');
  }

  /** The port filled into rport by the server (RFC 3581 §4); undefined if none yet. */
  get rport(): number | undefined {
    const raw = this.params.get('rport');
    if (raw === undefined || raw === null) return undefined;
    return portNumber(raw) ?? badParam('rport');
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  /** ttl = 1*3DIGIT, 0..255. */
  get ttl(): number | undefined {
    const raw = this.params.get('ttl');
    if (raw === undefined) return undefined;
    const n = raw === null || !/^\d{1,3}$/.test(raw) ? 256 : Number(raw);
    return n <= 255 ? n : badParam('ttl');
  }

  /** host [":" port]. */
  get sentBy(): string {
    return this.port === undefined ? this.host : `${this.host}:${this.port}`;
  }

  /** Whether the branch says the sender follows RFC 3261 (§17.2.3). */
  get hasRfc3261Branch(): boolean {
    return this.branch?.startsWith(BRANCH_MAGIC_COOKIE) === true;
  }

  withParam(name: string, value: string | null = null): Via {
    return new Via({ ...this.init(), params: this.params.with(name, value) }, parsed);
  }

  /** With received set to `address` (§18.2.1); an IPv6 address is written without brackets. */
  withReceived(address: string): Via {
    return this.withParam('received', address);
  }

  /** With rport filled in with the source port (RFC 3581 §4). */
  withRport(port: number): Via {
    return this.withParam('rport', String(port));
  }

  toString(): string {
    return `${this.protocolName}/${this.protocolVersion}/${this.transport} ${this.sentBy}${this.params.toString()}`;
  }

  private init(): ViaInit {
    return {
      protocolName: this.protocolName,
      protocolVersion: this.protocolVersion,
      transport: this.transport,
      host: this.host,
      port: this.port,
      params: this.params,
    };
  }
}

function badParam(name: string): never {
  throw new SipParseError('malformed', 'Bad Via header field', `bad ${name} parameter`);
}

function portNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** The usual transports (RFC 3261 §20.42, RFC 7118 for WS): shared strings, not a copy per Via. */
const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS'];

/** `isSip20SlashAt` in bytes read one character per byte (the message parser's all-ASCII path). */
function isSip20SlashInBytes(bytes: Uint8Array, at: number): boolean {
  return (
    bytes[at] === 0x53 &&
    bytes[at + 1] === 0x49 &&
    bytes[at + 2] === 0x50 &&
    bytes[at + 3] === 0x2f &&
    bytes[at + 4] === 0x32 &&
    bytes[at + 5] === 0x2e &&
    bytes[at + 6] === 0x30 &&
    bytes[at + 7] === 0x2f
  );
}

/**
 * Whether `text` holds "SIP/2.0/" at `at`, compared with constants: `startsWith` at an offset,
 * or a loop reading the word's codes too, cost about twice as much.
 */
function isSip20SlashAt(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 0x53 &&
    text.charCodeAt(at + 1) === 0x49 &&
    text.charCodeAt(at + 2) === 0x50 &&
    text.charCodeAt(at + 3) === 0x2f &&
    text.charCodeAt(at + 4) === 0x32 &&
    text.charCodeAt(at + 5) === 0x2e &&
    text.charCodeAt(at + 6) === 0x30 &&
    text.charCodeAt(at + 7) === 0x2f
  );
}

/** Whether `text` holds `word` at `at`. */
function isAt(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

function scanVia(s: Scanner): Via {
  s.skipWs();
  let protocolName: string;
  let protocolVersion: string;
  let transport: string | undefined;
  if (s.pos + 8 <= s.end && isAt(s.text, s.pos, 'SIP/2.0/')) {
    // Nearly every Via starts so: the constants stand for the tokens, and a known transport
    // for the third, each read without a string of its own.
    protocolName = 'SIP';
    protocolVersion = '2.0';
    s.pos += 8;
    s.skipWs();
    const end = spanOf(s.text, TOKEN, s.pos, s.end);
    for (const t of TRANSPORTS) {
      if (t.length === end - s.pos && isAt(s.text, s.pos, t)) {
        transport = t;
        s.pos = end;
        break;
      }
    }
    transport ??= s.token().toUpperCase();
  } else {
    protocolName = s.token();
    s.expectSep(SLASH);
    protocolVersion = s.token();
    s.expectSep(SLASH);
    transport = s.token().toUpperCase();
  }
  const beforeHost = s.pos;
  s.skipWs();
  if (s.pos === beforeHost) s.fail(`expected white space before sent-by at ${s.pos}`);
  const hostStart = s.pos;
  if (s.peek() === 0x5b) {
    const close = s.text.indexOf(']', s.pos);
    if (close < 0 || close >= s.end) s.fail('unterminated IPv6 reference');
    s.pos = close + 1;
    if (hostKind(s.text, hostStart, s.pos) === undefined) s.fail('bad sent-by host');
  } else {
    // Checked in place as it is found, and sliced out only if good.
    const end = hostnameEnd(s.text, hostStart, s.end);
    if (end < 0) s.fail('bad sent-by host');
    s.pos = end;
  }
  const host = s.text.slice(hostStart, s.pos);
  let port: number | undefined;
  if (s.eatSep(COLON)) port = s.number(65535);
  const params = parseParameters(s);
  return new Via({ protocolName, protocolVersion, transport, host, port, params }, parsed);
}

/**
 * `text` from `start` to `n` read as `parseVia` reads that slice, when it holds one via-parm in
 * the usual form: "SIP/2.0/" a known transport, one SP, a hostname or IPv4 address, an optional
 * port right after ":", then parameters. Undefined for anything else, which the scanner then
 * reads (and refuses with the usual detail if malformed).
 */
function quickVia(text: string, start: number, n: number, bytes?: Uint8Array, d = 0): Via | undefined {
  if (n - start < 10 || !(bytes !== undefined ? isSip20SlashInBytes(bytes, start + d) : isSip20SlashAt(text, start))) return undefined;
  const transportStart = start + 8;
  const transportEnd = bytes !== undefined ? spanOfBytes(bytes, TOKEN, transportStart + d, n + d) - d : spanOf(text, TOKEN, transportStart, n);
  let transport: string | undefined;
  for (let k = 0; k < TRANSPORTS.length; k++) {
    const t = TRANSPORTS[k]!;
    if (t.length === transportEnd - transportStart && isAt(text, transportStart, t)) {
      transport = t;
      break;
    }
  }
  if (transport === undefined || transportEnd >= n || text.charCodeAt(transportEnd) !== 0x20) return undefined;
  const hostStart = transportEnd + 1;
  const found = bytes !== undefined ? hostnameEndBytes(bytes, hostStart + d, n + d) : hostnameEnd(text, hostStart, n);
  if (found < 0) return undefined;
  const hostEnd = bytes !== undefined ? found - d : found;
  let i = hostEnd;
  let port: number | undefined;
  if (i < n && text.charCodeAt(i) === COLON) {
    let digits = 0;
    port = 0;
    for (i++; i < n; i++, digits++) {
      const c = bytes !== undefined ? bytes[i + d]! : text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      if (port <= 65535) port = port * 10 + (c - 0x30);
    }
    if (digits === 0 || port > 65535) return undefined;
  }
  const to = skipParameters(text, i, n, 'branch', bytes, d);
  if (to < 0) return undefined;
  let end = to;
  while (end < n && isWsp(text.charCodeAt(end))) end++;
  if (end !== n) return undefined;
  const params = to === i ? Parameters.empty : Parameters.checked(text, i, to);
  const host = text.slice(hostStart, hostEnd);
  return new Via({ protocolName: 'SIP', protocolVersion: '2.0', transport, host, port, params }, parsed);
}

/** One Via header field: one or more comma-separated via-parms. */
export function parseVia(value: string): Via[] {
  const quick = quickVia(value, 0, value.length);
  if (quick !== undefined) return [quick];
  return scanList(new Scanner(value, 'Bad Via header field'), scanVia);
}

/** `parseVia(text.slice(start, end))`, read in place when in the usual form. */
export function parseViaAt(text: string, start: number, end: number, bytes?: Uint8Array, d = 0): Via[] {
  const quick = quickVia(text, start, end, bytes, d);
  if (quick !== undefined) return [quick];
  return scanList(new Scanner(text.slice(start, end), 'Bad Via header field'), scanVia);
}
