import { describe, expect, it } from 'vitest';
import { isRtcpPacket } from '../../../../../main/core/media/rtp/rtcp-mux.js';
import { parseRtpPacket, serializeRtpPacket } from '../../../../../main/core/media/rtp/rtp-packet.js';
import { RtpParseError, type RtpParseErrorCode } from '../../../../../main/core/media/rtp/rtp-parse-error.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

// A PCMU packet as a softphone sends it: 20 ms, 160 octets of µ-law silence.
const PCMU = hex('80 00 1c 3a 00 00 a0 00 12 34 56 78' + 'ff'.repeat(160));
// V=2 P X CC=2, marker, PT 111; two CSRCs; RFC 8285 one-byte extension (0xBEDE, one word); 3 octets of payload; 4 of padding.
const EVERYTHING = hex('b2 ef ff ff 00 01 e2 40 aa bb cc dd  00 00 00 01 00 00 00 02  be de 00 01 10 ab 00 00  01 02 03  00 00 00 04');

describe('RTP packets (RFC 3550 §5.1)', () => {
  it('reads a PCMU packet', () => {
    const packet = parseRtpPacket(PCMU);
    expect(packet).toMatchObject({ marker: false, payloadType: 0, sequenceNumber: 0x1c3a, timestamp: 0xa000, ssrc: 0x12345678, csrcs: [] });
    expect(packet.payload.length).toBe(160);
    expect(packet.extension).toBeUndefined();
    expect(packet.padding).toBeUndefined();
  });

  it('reads CSRCs, the header extension (§5.3.1), marker and padding', () => {
    const packet = parseRtpPacket(EVERYTHING);
    expect(packet).toMatchObject({ marker: true, payloadType: 111, sequenceNumber: 65535, timestamp: 123456, ssrc: 0xaabbccdd, csrcs: [1, 2] });
    expect(packet.extension?.profile).toBe(0xbede);
    expect(Array.from(packet.extension?.data ?? [])).toEqual([0x10, 0xab, 0, 0]);
    expect(Array.from(packet.payload)).toEqual([1, 2, 3]);
    expect(Array.from(packet.padding ?? [])).toEqual([0, 0, 0, 4]);
  });

  it('returns views into the datagram, not copies', () => {
    const packet = parseRtpPacket(EVERYTHING);
    expect(packet.payload.buffer).toBe(EVERYTHING.buffer);
    expect(packet.payload.byteOffset).toBe(28);
    expect(packet.extension?.data.buffer).toBe(EVERYTHING.buffer);
  });

  it.each([
    ['PCMU', PCMU],
    ['CSRC, extension, padding, marker', EVERYTHING],
    ['empty payload', hex('80 0d 00 01 00 00 00 00 00 00 00 01')],
    ['extension of zero words', hex('90 00 00 01 00 00 00 00 00 00 00 01 10 00 00 00 aa')],
  ])('round-trips %s byte for byte', (_name, bytes) => {
    expect(Buffer.from(serializeRtpPacket(parseRtpPacket(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each<[string, string, RtpParseErrorCode]>([
    ['an empty datagram', '', 'too_short'],
    ['11 octets', '80 00 00 01 00 00 00 00 00 00 00', 'too_short'],
    ['version 1', '40 00 00 01 00 00 00 00 00 00 00 01', 'bad_version'],
    ['version 0 (a STUN message)', '00 01 00 00 21 12 a4 42 00 00 00 00 00 00 00 00 00 00 00 00', 'bad_version'],
    ['15 CSRCs that are not there', '8f 00 00 01 00 00 00 00 00 00 00 01 00 00 00 01', 'too_short'],
    ['an extension header cut short', '90 00 00 01 00 00 00 00 00 00 00 01 be de', 'too_short'],
    ['an extension longer than the packet', '90 00 00 01 00 00 00 00 00 00 00 01 be de 00 02 00 00 00 00', 'bad_length'],
    ['padding count 0', 'a0 00 00 01 00 00 00 00 00 00 00 01 aa 00', 'bad_padding'],
    ['padding longer than the payload', 'a0 00 00 01 00 00 00 00 00 00 00 01 aa 05', 'bad_padding'],
  ])('refuses %s with a typed error', (_name, text, code) => {
    let caught: unknown;
    try {
      parseRtpPacket(hex(text));
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RtpParseError);
    expect((caught as RtpParseError).code).toBe(code);
    expect((caught as RtpParseError).name).toBe('RtpParseError');
  });

  it('refuses to write fields out of range', () => {
    const base = { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcs: [], payload: new Uint8Array(0) };
    expect(() => serializeRtpPacket({ ...base, payloadType: 128 })).toThrow(RangeError);
    expect(() => serializeRtpPacket({ ...base, sequenceNumber: 65536 })).toThrow(RangeError);
    expect(() => serializeRtpPacket({ ...base, csrcs: new Array<number>(16).fill(1) })).toThrow(RangeError);
    expect(() => serializeRtpPacket({ ...base, extension: { profile: 1, data: new Uint8Array(3) } })).toThrow(RangeError);
    expect(() => serializeRtpPacket({ ...base, padding: new Uint8Array([0, 0, 3, 2]) })).toThrow(RangeError);
  });
});

describe('RTP/RTCP demultiplexing on one port (RFC 5761 §4)', () => {
  it.each([
    ['PCMU (PT 0)', 0x00, false],
    ['PCMU with marker', 0x80, false],
    ['telephone-event (PT 101)', 0x65, false],
    ['PT 63', 0x3f, false],
    ['SR (200 → 72)', 200, true],
    ['RR (201)', 201, true],
    ['BYE (203)', 203, true],
    ['RTPFB (205)', 205, true],
    ['PT 64 = RTCP 192', 0x40, true],
    ['PT 95 = RTCP 223', 0xdf, true],
    ['PT 96', 0x60, false],
  ])('%s', (_name, second, rtcp) => {
    expect(isRtcpPacket(new Uint8Array([0x80, second, 0, 1]))).toBe(rtcp);
  });
});
