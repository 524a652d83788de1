import { describe, expect, it } from 'vitest';
import { rtcpInterval, updateAverageRtcpSize } from '../../../../../main/core/media/rtp/rtcp-interval.js';

const COMPENSATION = Math.E - 1.5;

describe('RTCP interval (RFC 3550 §6.3.1, §A.7)', () => {
  const twoParty = { members: 2, senders: 2, rtcpBandwidth: 500, weSent: true, averageRtcpSize: 100 };

  it.each([
    ['first report: half the 5 s minimum', { ...twoParty, initial: true }, 0.5, 2500 / COMPENSATION],
    ['5 s minimum', { ...twoParty, initial: false }, 0.5, 5000 / COMPENSATION],
    ['randomised low end ×0.5', { ...twoParty, initial: false }, 0, 2500 / COMPENSATION],
    ['randomised high end ×1.5', { ...twoParty, initial: false }, 0.999999, (7500 * (0.999999 + 0.5)) / 1.5 / COMPENSATION],
    // 400 receivers share 3/4 of 500 octet/s: 100 · 400 / 375 s.
    ['a large session scales with members', { members: 400, senders: 0, rtcpBandwidth: 500, weSent: false, averageRtcpSize: 100, initial: false }, 0.5, (100 * 400 * 1000) / 375 / COMPENSATION],
    // One sender among 100 gets a quarter of the bandwidth to itself: 1000 / 125 = 8 s.
    ['a lone sender among many', { members: 100, senders: 1, rtcpBandwidth: 500, weSent: true, averageRtcpSize: 1000, initial: false }, 0.5, 8000 / COMPENSATION],
  ])('%s', (_name, input, random, expected) => {
    expect(rtcpInterval(input, () => random)).toBeCloseTo(expected, 6);
  });

  it('averages the packet size with weight 1/16 (§6.3.3)', () => {
    expect(updateAverageRtcpSize(100, 260)).toBe(110);
  });
});
