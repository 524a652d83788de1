import { isIP } from 'node:net';
import { parse } from 'sdp-transform';
import type { MediaDirection } from './media-direction.js';
import { isMediaDirection } from './media-direction.js';
import { staticPayloadFormat } from './codec-description.js';
import { isPrintableLine } from './printable-line.js';
import { SdpParseError } from './sdp-parse-error.js';
import type { SdpLimits } from './sdp-limits.js';
import { DEFAULT_SDP_LIMITS } from './sdp-limits.js';

/** c= (RFC 4566 §5.7). */
export interface SdpConnection {
  readonly ipVersion: 4 | 6;
  readonly address: string;
}

/** One payload format of an m= line, from a=rtpmap or, for static types, RFC 3551 Table 4. */
export interface RemoteFormat {
  readonly payloadType: number;
  readonly name: string;
  readonly clockRate: number;
  readonly channels: number;
  readonly fmtp?: string;
}

/** One m= section, validated, with session-level defaults applied. */
export interface RemoteMediaDescription {
  /** Position among the m= lines, from 0. */
  readonly index: number;
  readonly type: string;
  /** 0 means the stream is rejected or disabled (RFC 3264 §6, §8.2). */
  readonly port: number;
  readonly protocol: string;
  /** The fmt list exactly as written, to echo in a rejection (RFC 3264 §6). */
  readonly formats: readonly string[];
  /** Payload types in m= line order (RTP profiles only). */
  readonly payloadTypes: readonly number[];
  /** The payload types we could identify, in m= line order. */
  readonly rtpFormats: readonly RemoteFormat[];
  /** Media-level c=, else session-level (RFC 4566 §5.7). */
  readonly connection?: SdpConnection;
  /** Media-level, else session-level, else sendrecv (RFC 3264 §5.1). */
  readonly direction: MediaDirection;
  readonly ptime?: number;
  /** a=rtcp (RFC 3605). */
  readonly rtcp?: { readonly port: number; readonly address?: string };
  readonly rtcpMux: boolean;
  /** a=crypto values, verbatim (RFC 4568 §9.1). */
  readonly crypto: readonly string[];
}

export interface RemoteSessionDescription {
  readonly origin: { readonly username: string; readonly sessionId: string; readonly sessionVersion: string };
  readonly media: readonly RemoteMediaDescription[];
}

const LINE = /^[a-z]=/;
const ORIGIN = /^o=(\S+) (\S+) (\S+) IN IP[46] (\S+)$/;
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;
const PROTOCOL = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+(\/[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+)*$/;

function malformed(message: string): SdpParseError {
  return new SdpParseError('malformed', message);
}

function integer(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

function field(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined;
}

function list(record: object, name: string): readonly object[] {
  const value = field(record, name);
  return Array.isArray(value) ? value.filter((item): item is object => typeof item === 'object' && item !== null) : [];
}

/** The raw lines, checked: every line is `<letter>=<text>`, and v=0 comes first (RFC 4566 §5). */
function checkedLines(text: string, limits: SdpLimits): string[] {
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    throw new SdpParseError('too_large', `SDP larger than ${limits.maxBytes} bytes`);
  }
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line !== '');
  if (lines[0] !== 'v=0') throw malformed('SDP must begin with v=0 (RFC 4566 §5.1)');
  let media = 0;
  for (const line of lines) {
    if (!LINE.test(line) || !isPrintableLine(line)) throw malformed(`not an SDP line: ${JSON.stringify(line.slice(0, 40))}`);
    if (line.startsWith('m=') && ++media > limits.maxMediaDescriptions) {
      throw new SdpParseError('too_many_media', `more than ${limits.maxMediaDescriptions} m= lines`);
    }
  }
  return lines;
}

/** a=crypto values per m= section, read verbatim: sdp-transform keeps only four of their fields. */
function cryptoBySection(lines: readonly string[]): string[][] {
  const sections: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([]);
    else if (line.startsWith('a=crypto:')) sections.at(-1)?.push(line.slice('a=crypto:'.length).trim());
  }
  return sections;
}

function readConnection(record: object): SdpConnection | undefined {
  const connection = field(record, 'connection');
  if (typeof connection !== 'object' || connection === null) return undefined;
  const version = field(connection, 'version');
  const address = field(connection, 'ip');
  if ((version !== 4 && version !== 6) || typeof address !== 'string' || address === '') {
    throw malformed('c= must be IN IP4 or IN IP6 with an address (RFC 4566 §5.7)');
  }
  return { ipVersion: version, address };
}

function readFormats(media: object, protocol: string, limits: SdpLimits): { formats: string[]; payloadTypes: number[] } {
  const payloads = field(media, 'payloads');
  const formats = typeof payloads === 'string' || typeof payloads === 'number' ? String(payloads).split(' ').filter((f) => f !== '') : [];
  if (formats.length === 0) throw malformed('m= line without formats (RFC 4566 §5.14)');
  if (formats.length > limits.maxFormatsPerMedia) throw malformed(`more than ${limits.maxFormatsPerMedia} formats on one m= line`);
  if (!formats.every((f) => TOKEN.test(f))) throw malformed('m= line format is not a token');
  if (!protocol.includes('RTP/')) return { formats, payloadTypes: [] };
  const payloadTypes = formats.map((f) => (/^\d{1,3}$/.test(f) ? Number(f) : Number.NaN));
  if (payloadTypes.some((pt) => !(pt >= 0 && pt <= 127))) throw malformed('RTP payload types must be numbers 0-127 (RFC 3551 §3)');
  return { formats, payloadTypes };
}

/** Resolves each payload type through a=rtpmap, else the static table; unknown ones are left out. */
function readRtpFormats(media: object, payloadTypes: readonly number[]): RemoteFormat[] {
  const maps = new Map<number, { name: string; clockRate: number; channels: number }>();
  for (const entry of list(media, 'rtp')) {
    const payloadType = integer(field(entry, 'payload'), 0, 127);
    const name = field(entry, 'codec');
    const clockRate = integer(field(entry, 'rate'), 1, 10_000_000);
    const encoding = field(entry, 'encoding');
    const channels = encoding === undefined ? 1 : integer(encoding, 1, 255);
    if (payloadType === undefined || typeof name !== 'string' || !TOKEN.test(name) || clockRate === undefined || channels === undefined) continue;
    if (!maps.has(payloadType)) maps.set(payloadType, { name, clockRate, channels });
  }
  const fmtps = new Map<number, string>();
  for (const entry of list(media, 'fmtp')) {
    const payloadType = integer(field(entry, 'payload'), 0, 127);
    const config = field(entry, 'config');
    if (payloadType !== undefined && typeof config === 'string' && config.trim() !== '' && !fmtps.has(payloadType)) {
      fmtps.set(payloadType, config.trim());
    }
  }
  const formats: RemoteFormat[] = [];
  for (const payloadType of payloadTypes) {
    // RFC 4566 §6: a=rtpmap overrides; static types may go without one (RFC 3264 §5.1).
    const format = maps.get(payloadType) ?? staticPayloadFormat(payloadType);
    if (format === undefined) continue;
    const fmtp = fmtps.get(payloadType);
    formats.push(fmtp === undefined ? { payloadType, ...format } : { payloadType, ...format, fmtp });
  }
  return formats;
}

function readRtcp(media: object): { port: number; address?: string } | undefined {
  const rtcp = field(media, 'rtcp');
  if (typeof rtcp !== 'object' || rtcp === null) return undefined;
  const port = integer(field(rtcp, 'port'), 1, 65535);
  if (port === undefined) throw malformed('a=rtcp port must be a number 1-65535 (RFC 3605 §2.1)');
  const address = field(rtcp, 'address');
  return typeof address === 'string' && isIP(address) !== 0 ? { port, address } : { port };
}

function readPtime(media: object): number | undefined {
  const value = Number(field(media, 'ptime'));
  return Number.isInteger(value) && value >= 1 && value <= 1000 ? value : undefined;
}

function readDirection(record: object): MediaDirection | undefined {
  const direction = field(record, 'direction');
  return isMediaDirection(direction) ? direction : undefined;
}

/**
 * Reads an SDP body from the network (RFC 4566), with limits. sdp-transform does the splitting into
 * fields and is lenient about what it finds; every value used is checked here, so the only
 * exception this throws is `SdpParseError`.
 */
export function parseSessionDescription(text: string, limits: SdpLimits = DEFAULT_SDP_LIMITS): RemoteSessionDescription {
  const lines = checkedLines(text, limits);
  const originLine = lines.find((line) => line.startsWith('o='));
  const origin = originLine === undefined ? null : ORIGIN.exec(originLine);
  if (origin === null) throw malformed('o= line missing or malformed (RFC 4566 §5.2)');
  const crypto = cryptoBySection(lines);

  let session: object;
  try {
    session = parse(lines.join('\r\n'));
  } catch (error) {
    throw new SdpParseError('malformed', 'SDP could not be parsed', { cause: error });
  }
  const sessionConnection = readConnection(session);
  const sessionDirection = readDirection(session);

  const media = list(session, 'media').map((entry, index): RemoteMediaDescription => {
    const type = field(entry, 'type');
    const port = integer(field(entry, 'port'), 0, 65535);
    const protocol = field(entry, 'protocol');
    if (typeof type !== 'string' || !TOKEN.test(type) || port === undefined || typeof protocol !== 'string' || !PROTOCOL.test(protocol)) {
      throw malformed(`m= line ${index + 1} must be "<media> <port> <proto> <fmt> ..." (RFC 4566 §5.14)`);
    }
    const { formats, payloadTypes } = readFormats(entry, protocol, limits);
    const connection = readConnection(entry) ?? sessionConnection;
    if (connection === undefined && port !== 0) throw malformed(`m= line ${index + 1} has no c= (RFC 4566 §5.7)`);
    const ptime = readPtime(entry);
    const rtcp = readRtcp(entry);
    return {
      index,
      type,
      port,
      protocol,
      formats,
      payloadTypes,
      rtpFormats: readRtpFormats(entry, payloadTypes),
      ...(connection === undefined ? {} : { connection }),
      direction: readDirection(entry) ?? sessionDirection ?? 'sendrecv',
      ...(ptime === undefined ? {} : { ptime }),
      ...(rtcp === undefined ? {} : { rtcp }),
      rtcpMux: field(entry, 'rtcpMux') === 'rtcp-mux',
      crypto: crypto[index] ?? [],
    };
  });

  const [, username = '-', sessionId = '0', sessionVersion = '0'] = origin;
  return { origin: { username, sessionId, sessionVersion }, media };
}
