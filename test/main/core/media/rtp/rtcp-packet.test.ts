import { describe, expect, it } from 'vitest';
import { parseRtcpCompound, serializeRtcpCompound, type RtcpPacket } from '../../../../../main/core/media/rtp/rtcp-packet.js';
import { RtpParseError, type RtpParseErrorCode } from '../../../../../main/core/media/rtp/rtp-parse-error.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

// SR + SDES(CNAME "alice@host1") + BYE, as sent at hang-up.
const SR_SDES_BYE = hex(
  '80 c8 00 06 5d 2a 9c 01 e8 a1 6b 3f 8f 5c 28 f5 00 01 f4 00 00 00 00 fa 00 00 9c 40' +
    '81 ca 00 05 5d 2a 9c 01 01 0b 61 6c 69 63 65 40 68 6f 73 74 31 00 00 00' +
    '81 cb 00 01 5d 2a 9c 01',
);
// RR with one report block (fraction 0x20, cumulative lost -1) + SDES.
const RR_SDES = hex(
  '81 c9 00 07 11 22 33 44  5d 2a 9c 01 20 ff ff ff 00 01 00 05 00 00 00 2a e8 a1 6b 3f 00 01 80 00' +
    '81 ca 00 03 11 22 33 44 01 03 62 6f 62 00 00 00',
);
// RR, then an APP packet (§6.7) we do not read, then a BYE with a reason and padding.
const RR_APP_BYE = hex('80 c9 00 01 11 22 33 44' + '82 cc 00 03 11 22 33 44 6e 61 6d 65 01 02 03 04' + 'a1 cb 00 03 11 22 33 44 03 62 79 65 00 00 00 04');

describe('RTCP compound packets (RFC 3550 §6)', () => {
  it('reads SR, SDES CNAME and BYE', () => {
    const [sr, sdes, bye] = parseRtcpCompound(SR_SDES_BYE);
    expect(sr).toEqual({ type: 'sr', ssrc: 0x5d2a9c01, ntpSeconds: 0xe8a16b3f, ntpFraction: 0x8f5c28f5, rtpTimestamp: 128000, packetCount: 250, octetCount: 40000, reports: [] });
    expect(sdes).toEqual({ type: 'sdes', chunks: [{ source: 0x5d2a9c01, items: [{ type: 1, value: 'alice@host1' }] }] });
    expect(bye).toEqual({ type: 'bye', sources: [0x5d2a9c01] });
  });

  it('reads a report block, cumulative loss as signed 24 bits', () => {
    const [rr] = parseRtcpCompound(RR_SDES);
    expect(rr).toEqual({
      type: 'rr',
      ssrc: 0x11223344,
      reports: [{ ssrc: 0x5d2a9c01, fractionLost: 0x20, cumulativeLost: -1, highestSequence: 0x10005, jitter: 42, lastSenderReport: 0xe8a16b3f, delaySinceLastSenderReport: 0x18000 }],
    });
  });

  it('keeps packets it does not read, and reads a BYE reason', () => {
    const packets = parseRtcpCompound(RR_APP_BYE);
    expect(packets[1]).toMatchObject({ type: 'other', packetType: 204, count: 2 });
    expect(packets[2]).toMatchObject({ type: 'bye', sources: [0x11223344], reason: 'bye' });
  });

  it.each([
    ['SR + SDES + BYE', SR_SDES_BYE],
    ['RR + SDES', RR_SDES],
    ['RR + APP + padded BYE', RR_APP_BYE],
  ])('round-trips %s byte for byte', (_name, bytes) => {
    expect(Buffer.from(serializeRtcpCompound(parseRtcpCompound(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes what it reads for built packets', () => {
    const packets: RtcpPacket[] = [
      { type: 'rr', ssrc: 1, reports: [{ ssrc: 2, fractionLost: 255, cumulativeLost: -8388608, highestSequence: 0xffffffff, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0 }] },
      { type: 'sdes', chunks: [{ source: 1, items: [{ type: 1, value: 'ab' }, { type: 6, value: 'softphone' }] }, { source: 3, items: [] }] },
      { type: 'bye', sources: [1, 3], reason: 'hang up' },
    ];
    expect(parseRtcpCompound(serializeRtcpCompound(packets))).toEqual(packets);
  });

  it.each<[string, string, RtpParseErrorCode]>([
    ['a 4-octet datagram', '80 c9 00 00', 'too_short'],
    ['version 1', '40 c9 00 01 11 22 33 44', 'bad_version'],
    ['a first packet that is not SR or RR (§A.2)', '81 ca 00 02 11 22 33 44 00 00 00 00', 'bad_compound'],
    ['padding on the first of two packets', 'a0 c9 00 01 11 22 33 44 81 cb 00 01 11 22 33 44', 'bad_compound'],
    ['a length past the datagram', '80 c9 00 05 11 22 33 44', 'bad_length'],
    ['trailing octets', '80 c9 00 01 11 22 33 44 81 cb', 'bad_length'],
    ['a report block that is not there', '81 c9 00 01 11 22 33 44', 'bad_length'],
    ['version 1 in the second packet', '80 c9 00 01 11 22 33 44 41 cb 00 01 11 22 33 44', 'bad_version'],
    ['padding count 0', '80 c9 00 01 11 22 33 44 a1 cb 00 01 11 22 33 00', 'bad_padding'],
    ['an SDES item past the end', '80 c9 00 01 11 22 33 44 81 ca 00 02 11 22 33 44 01 09 61 00', 'bad_length'],
    ['an SDES chunk without terminator', '80 c9 00 01 11 22 33 44 81 ca 00 02 11 22 33 44 01 02 61 62', 'bad_length'],
    ['a BYE reason past the end', '80 c9 00 01 11 22 33 44 81 cb 00 02 11 22 33 44 09 61 62 63', 'bad_length'],
  ])('refuses %s', (_name, text, code) => {
    let caught: unknown;
    try {
      parseRtcpCompound(hex(text));
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RtpParseError);
    expect((caught as RtpParseError).code).toBe(code);
  });
});
