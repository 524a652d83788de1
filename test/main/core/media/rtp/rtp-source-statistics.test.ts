import { describe, expect, it } from 'vitest';
import { RtpSourceStatistics } from '../../../../../main/core/media/rtp/rtp-source-statistics.js';

/** Feeds sequence numbers at 20 ms, 160 timestamp units apart, arriving on time. */
function feed(stats: RtpSourceStatistics, sequence: readonly number[]): boolean[] {
  return sequence.map((seq) => stats.receive(seq, seq * 160, seq * 160, 160));
}

describe('sequence numbers (RFC 3550 §A.1)', () => {
  it('keeps a new source on probation until two packets arrive in sequence', () => {
    const stats = new RtpSourceStatistics(1, 500);
    expect(feed(stats, [500, 501, 502])).toEqual([false, true, true]);
    expect(stats.snapshot()).toMatchObject({ packetsReceived: 2, expected: 2, cumulativeLost: 0 });
  });

  it('extends the sequence number across the 16-bit wrap', () => {
    const stats = new RtpSourceStatistics(1, 65534, 1);
    feed(stats, [65534, 65535, 0, 1]);
    const snapshot = stats.snapshot();
    expect(snapshot.extendedHighestSequence).toBe(65536 + 1);
    expect(snapshot.expected).toBe(4);
    expect(stats.reportBlock(0, 0).highestSequence).toBe(0x0001_0001);
  });

  it('refuses one large jump, and accepts it as a restart when the next packet follows', () => {
    const stats = new RtpSourceStatistics(1, 10, 1);
    feed(stats, [10, 11]);
    expect(feed(stats, [20000])).toEqual([false]);
    expect(feed(stats, [20001, 20002])).toEqual([true, true]);
    expect(stats.snapshot()).toMatchObject({ packetsReceived: 2, expected: 2, extendedHighestSequence: 20002 });
  });
});

describe('loss (RFC 3550 §A.3)', () => {
  it('counts loss with reordering and duplicates, and the fraction per interval', () => {
    const stats = new RtpSourceStatistics(7, 100, 1);
    // 104 and 106 lost, 102 late and then duplicated.
    feed(stats, [100, 101, 103, 102, 102, 105, 107]);
    // expected = 107 − 100 + 1 = 8; received = 7 (the duplicate counts); lost = 1.
    expect(stats.snapshot()).toMatchObject({ packetsReceived: 7, expected: 8, cumulativeLost: 1 });
    // fraction = (8 − 7) · 256 / 8 = 32.
    expect(stats.reportBlock(0, 0)).toMatchObject({ ssrc: 7, fractionLost: 32, cumulativeLost: 1, highestSequence: 107 });
    feed(stats, [108, 110]);
    // Interval: expected 3, received 2 → floor(256 / 3) = 85; cumulative 11 − 9 = 2.
    expect(stats.reportBlock(0, 0)).toMatchObject({ fractionLost: 85, cumulativeLost: 2 });
    // An interval with more duplicates than losses reports 0, never a negative fraction.
    feed(stats, [111, 111, 111]);
    expect(stats.reportBlock(0, 0)).toMatchObject({ fractionLost: 0, cumulativeLost: 0 });
    feed(stats, [112, 112, 112]);
    expect(stats.reportBlock(0, 0)).toMatchObject({ fractionLost: 0, cumulativeLost: -2 });
  });
});

describe('interarrival jitter (RFC 3550 §A.8)', () => {
  it('follows J += (|D| − J) / 16 with known arrival times', () => {
    const stats = new RtpSourceStatistics(1, 0, 1);
    // 8 kHz; sent every 20 ms (160 units); arrivals at 0, 20, 45, 60, 80 ms.
    const arrivals = [0, 20, 45, 60, 80];
    arrivals.forEach((ms, i) => stats.receive(i, i * 160, (ms * 8000) / 1000, 160));
    // D: 0, 40, 40, 0 → J: 0, 2.5, 4.84375, 4.541015625.
    expect(stats.snapshot().jitter).toBeCloseTo(4.541015625, 9);
    expect(stats.reportBlock(0, 0).jitter).toBe(4);
  });

  it('survives the 32-bit timestamp wrap', () => {
    const stats = new RtpSourceStatistics(1, 0, 1);
    stats.receive(0, 0xffff_ff60, 0, 160);
    stats.receive(1, 0, 160, 160);
    expect(stats.snapshot().jitter).toBe(0);
  });
});
