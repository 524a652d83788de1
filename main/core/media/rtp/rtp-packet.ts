/**
 * RTP data packets (RFC 3550 §5.1, header extension §5.3.1). Parsing returns views into the
 * datagram (no copies): the payload, the extension data and the padding are `subarray`s of it.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers             |
 */
import { RtpParseError } from './rtp-parse-error.js';

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER_LENGTH = 12;

/** RFC 3550 §5.3.1: a profile-defined 16-bit value and a whole number of 32-bit words. */
export interface RtpHeaderExtension {
  readonly profile: number;
  readonly data: Uint8Array;
}

export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension?: RtpHeaderExtension;
  readonly payload: Uint8Array;
  /**
   * The padding octets, the count octet last (§5.1: P bit). Kept verbatim so that a packet
   * round-trips byte for byte; absent when the P bit is clear.
   */
  readonly padding?: Uint8Array;
}

/** The CSRC list of every packet without CSRCs (most): shared, never written to. */
const NO_CSRCS: readonly number[] = Object.freeze([]);

export function readUint16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

export function readUint32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) | ((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)) >>> 0;
}

export function writeUint16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}

export function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 24) & 0xff;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

/** Length of the RTP header (fixed part, CSRCs, extension) of a packet already known to be valid. */
export function rtpHeaderLength(bytes: Uint8Array): number {
  const first = bytes[0] ?? 0;
  let length = RTP_FIXED_HEADER_LENGTH + 4 * (first & 0x0f);
  if (first & 0x10) length += 4 + 4 * readUint16(bytes, length + 2);
  return length;
}

/** Reads an RTP packet, checking every length against the datagram (RFC 3550 §5.1, §A.1). */
export function parseRtpPacket(bytes: Uint8Array): RtpPacket {
  if (bytes.length < RTP_FIXED_HEADER_LENGTH) throw new RtpParseError('too_short', `RTP packet of ${bytes.length} octets is shorter than the fixed header`);
  const first = bytes[0] ?? 0;
  const second = bytes[1] ?? 0;
  if (first >>> 6 !== RTP_VERSION) throw new RtpParseError('bad_version', `RTP version ${first >>> 6}, expected 2`);
  const csrcCount = first & 0x0f;
  let offset = RTP_FIXED_HEADER_LENGTH + 4 * csrcCount;
  if (offset > bytes.length) throw new RtpParseError('too_short', `${csrcCount} CSRCs do not fit in ${bytes.length} octets`);
  let csrcs = NO_CSRCS;
  if (csrcCount > 0) {
    const list: number[] = [];
    for (let i = 0; i < csrcCount; i++) list.push(readUint32(bytes, RTP_FIXED_HEADER_LENGTH + 4 * i));
    csrcs = list;
  }
  let extension: RtpHeaderExtension | undefined;
  if (first & 0x10) {
    if (offset + 4 > bytes.length) throw new RtpParseError('too_short', 'header extension does not fit');
    const words = readUint16(bytes, offset + 2);
    const end = offset + 4 + 4 * words;
    if (end > bytes.length) throw new RtpParseError('bad_length', `header extension of ${words} words runs past the packet`);
    extension = { profile: readUint16(bytes, offset), data: bytes.subarray(offset + 4, end) };
    offset = end;
  }
  let end = bytes.length;
  let padding: Uint8Array | undefined;
  if (first & 0x20) {
    const count = bytes[bytes.length - 1] ?? 0;
    // §5.1: the last octet counts itself; zero or more than the room after the header is invalid (§A.1).
    if (count === 0 || count > bytes.length - offset) throw new RtpParseError('bad_padding', `padding count ${count} does not fit`);
    end = bytes.length - count;
    padding = bytes.subarray(end);
  }
  const marker = (second & 0x80) !== 0;
  const payloadType = second & 0x7f;
  const sequenceNumber = readUint16(bytes, 2);
  const timestamp = readUint32(bytes, 4);
  const ssrc = readUint32(bytes, 8);
  const payload = bytes.subarray(offset, end);
  // The usual packet first, as a literal of one shape (no spreads: they cost per packet).
  if (extension === undefined && padding === undefined) return { marker, payloadType, sequenceNumber, timestamp, ssrc, csrcs, payload };
  return { marker, payloadType, sequenceNumber, timestamp, ssrc, csrcs, payload, ...(extension ? { extension } : {}), ...(padding ? { padding } : {}) };
}

/**
 * Writes the 12-octet fixed header of a packet without CSRCs, extension or padding (V=2, P=0,
 * X=0, CC=0) at the start of `out`: what `serializeRtpPacket` writes for such a packet, for the
 * sending path that fills its own buffer. Values must already be in range.
 */
export function writeRtpFixedHeader(out: Uint8Array, marker: boolean, payloadType: number, sequenceNumber: number, timestamp: number, ssrc: number): void {
  out[0] = RTP_VERSION << 6;
  out[1] = (marker ? 0x80 : 0) | payloadType;
  writeUint16(out, 2, sequenceNumber);
  writeUint32(out, 4, timestamp);
  writeUint32(out, 8, ssrc);
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`RTP ${name} out of range: ${value}`);
}

/**
 * Writes an RTP packet. Values out of range are programming errors and throw RangeError; the
 * padding, when given, must end with its own length (§5.1).
 */
export function serializeRtpPacket(packet: RtpPacket): Uint8Array {
  checkField('payload type', packet.payloadType, 0x7f);
  checkField('sequence number', packet.sequenceNumber, 0xffff);
  checkField('timestamp', packet.timestamp, 0xffffffff);
  checkField('SSRC', packet.ssrc, 0xffffffff);
  if (packet.csrcs.length > 15) throw new RangeError(`at most 15 CSRCs, got ${packet.csrcs.length}`);
  const extension = packet.extension;
  if (extension) {
    checkField('extension profile', extension.profile, 0xffff);
    if (extension.data.length % 4 !== 0 || extension.data.length / 4 > 0xffff) throw new RangeError('header extension data must be whole 32-bit words');
  }
  const padding = packet.padding;
  if (padding && (padding.length === 0 || padding.length > 255 || padding[padding.length - 1] !== padding.length)) {
    throw new RangeError('padding must be 1-255 octets ending with its own length');
  }
  const headerLength = RTP_FIXED_HEADER_LENGTH + 4 * packet.csrcs.length + (extension ? 4 + extension.data.length : 0);
  const out = new Uint8Array(headerLength + packet.payload.length + (padding?.length ?? 0));
  out[0] = (RTP_VERSION << 6) | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) | packet.csrcs.length;
  out[1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  writeUint16(out, 2, packet.sequenceNumber);
  writeUint32(out, 4, packet.timestamp);
  writeUint32(out, 8, packet.ssrc);
  let offset = RTP_FIXED_HEADER_LENGTH;
  for (const csrc of packet.csrcs) {
    checkField('CSRC', csrc, 0xffffffff);
    writeUint32(out, offset, csrc);
    offset += 4;
  }
  if (extension) {
    writeUint16(out, offset, extension.profile);
    writeUint16(out, offset + 2, extension.data.length / 4);
    out.set(extension.data, offset + 4);
    offset += 4 + extension.data.length;
  }
  out.set(packet.payload, offset);
  if (padding) out.set(padding, offset + packet.payload.length);
  return out;
}
