/** When a subscriber refreshes: expires − min(expires/2, 32 s), made earlier by the jitter only. */
import { describe, expect, it } from 'vitest';
import { refreshDelayMs } from '../../../../../main/core/sip/subscriptions/index.js';

describe('refreshDelayMs', () => {
  it.each([
    [3600, 3_568_000],
    [600, 568_000],
    [64, 32_000],
    [40, 20_000],
    [1, 500],
    [0, 0],
  ])('without jitter, %i s refreshes after %i ms', (expires, delay) => {
    expect(refreshDelayMs(expires, 0.1, () => 0)).toBe(delay);
  });

  it('jitter stays within [base × (1 − jitter), base] for any random value', () => {
    for (const random of [0, 0.25, 0.5, 0.75, 0.999999]) {
      const delay = refreshDelayMs(3600, 0.2, () => random);
      expect(delay).toBeLessThanOrEqual(3_568_000);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(3_568_000 * 0.8));
    }
  });

  it('spreads 500 subscriptions made at once over the jitter window', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const seconds = new Set<number>();
    for (let i = 0; i < 500; i++) seconds.add(Math.floor(refreshDelayMs(3600, 0.1, random) / 1000));
    // 357 one-second slots in the window: most are used, none holds many.
    expect(seconds.size).toBeGreaterThan(200);
  });

  it('clamps a jitter or random outside [0, 1]', () => {
    expect(refreshDelayMs(600, 5, () => 2)).toBe(0);
    expect(refreshDelayMs(600, -1, () => 0.5)).toBe(568_000);
  });
});
