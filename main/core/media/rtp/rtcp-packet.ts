/**
 * RTCP packets (RFC 3550 §6.4 SR/RR, §6.5 SDES, §6.6 BYE) and compound packets (§6.1), checked
 * with the validity rules of §A.2. Packet types we do not read (APP, feedback, XR) are kept as
 * opaque bodies so a compound packet still round-trips byte for byte.
 */
import { RtpParseError } from './rtp-parse-error.js';
import { readUint16, readUint32, writeUint16, writeUint32 } from './rtp-packet.js';

/** RFC 3550 §12.1 packet types. */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;

/** RFC 3550 §6.5: SDES item types. */
export const SDES_CNAME = 1;

/** RFC 3550 §6.4.1 reception report block. */
export interface RtcpReportBlock {
  readonly ssrc: number;
  /** Fraction lost since the previous report, in 1/256 (8 bits). */
  readonly fractionLost: number;
  /** Cumulative number of packets lost: a signed 24-bit value (duplicates make it negative). */
  readonly cumulativeLost: number;
  /** Extended highest sequence number received (§A.1). */
  readonly highestSequence: number;
  /** Interarrival jitter in timestamp units (§A.8). */
  readonly jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received, 0 if none. */
  readonly lastSenderReport: number;
  /** Delay since that SR, in units of 1/65536 second. */
  readonly delaySinceLastSenderReport: number;
}

interface RtcpCommon {
  /** Padding octets, the count octet last, verbatim; only the last packet of a compound may have them (§A.2). */
  readonly padding?: Uint8Array;
}

export interface RtcpSenderReport extends RtcpCommon {
  readonly type: 'sr';
  readonly ssrc: number;
  /** NTP timestamp (RFC 3550 §4): whole seconds since 1900 and the fraction in 1/2^32. */
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly RtcpReportBlock[];
  /** Profile-specific extension (§6.4.1), whatever follows the report blocks. */
  readonly profileExtension?: Uint8Array;
}

export interface RtcpReceiverReport extends RtcpCommon {
  readonly type: 'rr';
  readonly ssrc: number;
  readonly reports: readonly RtcpReportBlock[];
  readonly profileExtension?: Uint8Array;
}

export interface SdesItem {
  /** §6.5: 1 CNAME, 2 NAME, 3 EMAIL, 4 PHONE, 5 LOC, 6 TOOL, 7 NOTE, 8 PRIV. */
  readonly type: number;
  readonly value: string;
}

export interface SdesChunk {
  readonly source: number;
  readonly items: readonly SdesItem[];
}

export interface RtcpSourceDescription extends RtcpCommon {
  readonly type: 'sdes';
  readonly chunks: readonly SdesChunk[];
}

export interface RtcpGoodbye extends RtcpCommon {
  readonly type: 'bye';
  readonly sources: readonly number[];
  readonly reason?: string;
}

/** APP (§6.7) and any other type: header fields and body, unread. */
export interface RtcpOtherPacket extends RtcpCommon {
  readonly type: 'other';
  readonly packetType: number;
  /** The 5-bit field after P (report count, subtype or format). */
  readonly count: number;
  readonly body: Uint8Array;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpGoodbye | RtcpOtherPacket;

const HEADER = 4;
const REPORT_BLOCK = 24;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new RtpParseError('bad_length', 'SDES or BYE text is not UTF-8');
  }
}

function parseReportBlocks(body: Uint8Array, at: number, count: number): RtcpReportBlock[] {
  const blocks: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++, at += REPORT_BLOCK) {
    const lost = ((body[at + 5] ?? 0) << 16) | ((body[at + 6] ?? 0) << 8) | (body[at + 7] ?? 0);
    blocks.push({
      ssrc: readUint32(body, at),
      fractionLost: body[at + 4] ?? 0,
      cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
      highestSequence: readUint32(body, at + 8),
      jitter: readUint32(body, at + 12),
      lastSenderReport: readUint32(body, at + 16),
      delaySinceLastSenderReport: readUint32(body, at + 20),
    });
  }
  return blocks;
}

function parseSdes(body: Uint8Array, count: number): SdesChunk[] {
  const chunks: SdesChunk[] = [];
  let at = 0;
  for (let c = 0; c < count; c++) {
    if (at + 4 > body.length) throw new RtpParseError('bad_length', 'SDES chunk runs past the packet');
    const source = readUint32(body, at);
    at += 4;
    const items: SdesItem[] = [];
    // §6.5: items until a null octet, then nulls up to the next 32-bit boundary.
    for (;;) {
      if (at >= body.length) throw new RtpParseError('bad_length', 'SDES chunk without its null terminator');
      const type = body[at] ?? 0;
      if (type === 0) break;
      const length = body[at + 1];
      if (length === undefined || at + 2 + length > body.length) throw new RtpParseError('bad_length', 'SDES item runs past the packet');
      items.push({ type, value: decodeText(body.subarray(at + 2, at + 2 + length)) });
      at += 2 + length;
    }
    at = (at + 4) & ~3;
    if (at > body.length) throw new RtpParseError('bad_length', 'SDES chunk padding runs past the packet');
    chunks.push({ source, items });
  }
  return chunks;
}

function parseBye(body: Uint8Array, count: number): { sources: number[]; reason?: string } {
  if (4 * count > body.length) throw new RtpParseError('bad_length', `BYE with ${count} sources does not fit`);
  const sources: number[] = [];
  for (let i = 0; i < count; i++) sources.push(readUint32(body, 4 * i));
  const at = 4 * count;
  if (at >= body.length) return { sources };
  const length = body[at] ?? 0;
  if (at + 1 + length > body.length) throw new RtpParseError('bad_length', 'BYE reason runs past the packet');
  return { sources, reason: decodeText(body.subarray(at + 1, at + 1 + length)) };
}

/** One RTCP packet from its header fields and body (the octets after the 4-octet header, padding removed). */
function parseOne(packetType: number, count: number, body: Uint8Array, padding: Uint8Array | undefined): RtcpPacket {
  const withPadding = padding ? { padding } : {};
  switch (packetType) {
    case RTCP_SR: {
      // §6.4.1: SSRC, 20 octets of sender info, then RC report blocks.
      const end = 24 + REPORT_BLOCK * count;
      if (end > body.length) throw new RtpParseError('bad_length', `SR with ${count} report blocks does not fit`);
      const extension = end < body.length ? { profileExtension: body.subarray(end) } : {};
      return {
        type: 'sr',
        ssrc: readUint32(body, 0),
        ntpSeconds: readUint32(body, 4),
        ntpFraction: readUint32(body, 8),
        rtpTimestamp: readUint32(body, 12),
        packetCount: readUint32(body, 16),
        octetCount: readUint32(body, 20),
        reports: parseReportBlocks(body, 24, count),
        ...extension,
        ...withPadding,
      };
    }
    case RTCP_RR: {
      const end = 4 + REPORT_BLOCK * count;
      if (end > body.length) throw new RtpParseError('bad_length', `RR with ${count} report blocks does not fit`);
      const extension = end < body.length ? { profileExtension: body.subarray(end) } : {};
      return { type: 'rr', ssrc: readUint32(body, 0), reports: parseReportBlocks(body, 4, count), ...extension, ...withPadding };
    }
    case RTCP_SDES:
      return { type: 'sdes', chunks: parseSdes(body, count), ...withPadding };
    case RTCP_BYE:
      return { type: 'bye', ...parseBye(body, count), ...withPadding };
    default:
      return { type: 'other', packetType, count, body, ...withPadding };
  }
}

/**
 * Reads a compound RTCP packet with the checks of RFC 3550 §A.2: every packet version 2, the
 * first an SR or RR without padding, padding only on the last, and the length fields adding up
 * exactly to the datagram. SRTCP must already be removed.
 */
export function parseRtcpCompound(bytes: Uint8Array): RtcpPacket[] {
  if (bytes.length < HEADER + 4) throw new RtpParseError('too_short', `RTCP packet of ${bytes.length} octets`);
  const packets: RtcpPacket[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + HEADER > bytes.length) throw new RtpParseError('bad_length', 'trailing octets after the last RTCP packet');
    const first = bytes[at] ?? 0;
    const packetType = bytes[at + 1] ?? 0;
    if (first >>> 6 !== 2) throw new RtpParseError('bad_version', `RTCP version ${first >>> 6}, expected 2`);
    const length = 4 * (readUint16(bytes, at + 2) + 1);
    const end = at + length;
    if (end > bytes.length) throw new RtpParseError('bad_length', `RTCP length ${length} runs past the datagram`);
    const hasPadding = (first & 0x20) !== 0;
    if (at === 0 && (hasPadding || (packetType !== RTCP_SR && packetType !== RTCP_RR))) {
      throw new RtpParseError('bad_compound', 'a compound RTCP packet starts with an SR or RR without padding (§6.1)');
    }
    if (hasPadding && end !== bytes.length) throw new RtpParseError('bad_compound', 'only the last RTCP packet may be padded (§A.2)');
    let bodyEnd = end;
    let padding: Uint8Array | undefined;
    if (hasPadding) {
      const count = bytes[end - 1] ?? 0;
      if (count === 0 || count > length - HEADER) throw new RtpParseError('bad_padding', `RTCP padding count ${count} does not fit`);
      bodyEnd = end - count;
      padding = bytes.subarray(bodyEnd, end);
    }
    packets.push(parseOne(packetType, first & 0x1f, bytes.subarray(at + HEADER, bodyEnd), padding));
    at = end;
  }
  return packets;
}

function checkUint(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`RTCP ${name} out of range: ${value}`);
}

function reportBlocksLength(reports: readonly RtcpReportBlock[]): number {
  if (reports.length > 31) throw new RangeError('at most 31 report blocks per packet (§6.4.1)');
  return REPORT_BLOCK * reports.length;
}

function writeReportBlocks(out: Uint8Array, at: number, reports: readonly RtcpReportBlock[]): void {
  for (const block of reports) {
    checkUint('fraction lost', block.fractionLost, 0xff);
    if (!Number.isInteger(block.cumulativeLost)) throw new RangeError('cumulative lost must be an integer');
    // §6.4.1: a signed 24-bit field; clamp rather than wrap.
    const lost = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost)) & 0xffffff;
    writeUint32(out, at, block.ssrc);
    out[at + 4] = block.fractionLost;
    out[at + 5] = (lost >>> 16) & 0xff;
    out[at + 6] = (lost >>> 8) & 0xff;
    out[at + 7] = lost & 0xff;
    writeUint32(out, at + 8, block.highestSequence);
    writeUint32(out, at + 12, block.jitter);
    writeUint32(out, at + 16, block.lastSenderReport);
    writeUint32(out, at + 20, block.delaySinceLastSenderReport);
    at += REPORT_BLOCK;
  }
}

interface Layout {
  readonly count: number;
  readonly packetType: number;
  readonly bodyLength: number;
  write(body: Uint8Array): void;
}

function encodeItemText(value: string, what: string): Uint8Array {
  const bytes = utf8Encoder.encode(value);
  if (bytes.length > 255) throw new RangeError(`${what} longer than 255 octets`);
  return bytes;
}

function layout(packet: RtcpPacket): Layout {
  switch (packet.type) {
    case 'sr': {
      const extension = packet.profileExtension ?? new Uint8Array(0);
      return {
        count: packet.reports.length,
        packetType: RTCP_SR,
        bodyLength: 24 + reportBlocksLength(packet.reports) + extension.length,
        write(body) {
          writeUint32(body, 0, packet.ssrc);
          writeUint32(body, 4, packet.ntpSeconds);
          writeUint32(body, 8, packet.ntpFraction);
          writeUint32(body, 12, packet.rtpTimestamp);
          writeUint32(body, 16, packet.packetCount);
          writeUint32(body, 20, packet.octetCount);
          writeReportBlocks(body, 24, packet.reports);
          body.set(extension, 24 + REPORT_BLOCK * packet.reports.length);
        },
      };
    }
    case 'rr': {
      const extension = packet.profileExtension ?? new Uint8Array(0);
      return {
        count: packet.reports.length,
        packetType: RTCP_RR,
        bodyLength: 4 + reportBlocksLength(packet.reports) + extension.length,
        write(body) {
          writeUint32(body, 0, packet.ssrc);
          writeReportBlocks(body, 4, packet.reports);
          body.set(extension, 4 + REPORT_BLOCK * packet.reports.length);
        },
      };
    }
    case 'sdes': {
      if (packet.chunks.length > 31) throw new RangeError('at most 31 SDES chunks per packet');
      const encoded = packet.chunks.map((chunk) => ({
        source: chunk.source,
        items: chunk.items.map((item) => {
          checkUint('SDES item type', item.type, 0xff);
          if (item.type === 0) throw new RangeError('SDES item type 0 is the terminator');
          return { type: item.type, bytes: encodeItemText(item.value, 'SDES item') };
        }),
      }));
      // §6.5: each chunk is SSRC, items, then 1-4 null octets to the next 32-bit boundary.
      const chunkLength = (items: readonly { bytes: Uint8Array }[]): number => (4 + items.reduce((n, item) => n + 2 + item.bytes.length, 0) + 4) & ~3;
      return {
        count: encoded.length,
        packetType: RTCP_SDES,
        bodyLength: encoded.reduce((n, chunk) => n + chunkLength(chunk.items), 0),
        write(body) {
          let at = 0;
          for (const chunk of encoded) {
            const start = at;
            writeUint32(body, at, chunk.source);
            at += 4;
            for (const item of chunk.items) {
              body[at] = item.type;
              body[at + 1] = item.bytes.length;
              body.set(item.bytes, at + 2);
              at += 2 + item.bytes.length;
            }
            at = start + chunkLength(chunk.items);
          }
        },
      };
    }
    case 'bye': {
      if (packet.sources.length > 31) throw new RangeError('at most 31 sources per BYE');
      const reason = packet.reason === undefined ? undefined : encodeItemText(packet.reason, 'BYE reason');
      const sourcesLength = 4 * packet.sources.length;
      return {
        count: packet.sources.length,
        packetType: RTCP_BYE,
        bodyLength: reason ? (sourcesLength + 1 + reason.length + 3) & ~3 : sourcesLength,
        write(body) {
          packet.sources.forEach((source, i) => writeUint32(body, 4 * i, source));
          if (reason) {
            body[sourcesLength] = reason.length;
            body.set(reason, sourcesLength + 1);
          }
        },
      };
    }
    case 'other':
      checkUint('packet type', packet.packetType, 0xff);
      checkUint('count', packet.count, 0x1f);
      return { count: packet.count, packetType: packet.packetType, bodyLength: packet.body.length, write: (body) => body.set(packet.body) };
  }
}

/** Writes RTCP packets back to back as one compound packet (RFC 3550 §6.1). */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Uint8Array {
  const layouts = packets.map((packet, i) => {
    const padding = packet.padding;
    if (padding && (i !== packets.length - 1 || padding.length === 0 || padding[padding.length - 1] !== padding.length)) {
      throw new RangeError('only the last RTCP packet may be padded, with its count octet last');
    }
    const shape = layout(packet);
    const length = HEADER + shape.bodyLength + (padding?.length ?? 0);
    if (length % 4 !== 0) throw new RangeError('an RTCP packet must be a whole number of 32-bit words');
    return { shape, padding, length };
  });
  const out = new Uint8Array(layouts.reduce((n, entry) => n + entry.length, 0));
  let at = 0;
  for (const { shape, padding, length } of layouts) {
    out[at] = 0x80 | (padding ? 0x20 : 0) | shape.count;
    out[at + 1] = shape.packetType;
    writeUint16(out, at + 2, length / 4 - 1);
    shape.write(out.subarray(at + HEADER, at + HEADER + shape.bodyLength));
    if (padding) out.set(padding, at + HEADER + shape.bodyLength);
    at += length;
  }
  return out;
}
