import { describe, expect, it } from 'vitest';
import { SlidingQuantile } from '../../../../../main/core/media/jitter/sliding-quantile.js';

/** What the window holds, sorted in full: the reference the incremental order must match. */
function reference(samples: readonly { at: number; value: number }[], now: number, windowMs: number, quantile: number): number {
  const sorted = samples
    .filter((s) => s.at >= now - windowMs)
    .map((s) => s.value)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))]!;
}

describe('SlidingQuantile', () => {
  it('is 0 while empty, then the one sample', () => {
    const window = new SlidingQuantile(2000);
    expect(window.quantile(0.98)).toBe(0);
    window.push(0, 7);
    expect(window.quantile(0.98)).toBe(7);
  });

  it('forgets samples older than the window, counted from the newest', () => {
    const window = new SlidingQuantile(100);
    window.push(0, 50);
    window.push(60, 10);
    expect(window.quantile(0.98)).toBe(50);
    window.push(101, 20);
    // The sample at 0 is 101 ms old: gone; 10 and 20 stay.
    expect(window.size).toBe(2);
    expect(window.quantile(0.98)).toBe(20);
  });

  it('matches a full sort at every step, with repeated values, bursts past its first capacity and quiet gaps', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const window = new SlidingQuantile(2000, 4);
    const samples: { at: number; value: number }[] = [];
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      // 20 ms apart mostly, sometimes bursts (1 ms apart) and sometimes a 3 s gap that empties the window.
      now += random() < 0.05 ? 3000 : random() < 0.2 ? 1 : 20;
      const value = random() < 0.3 ? Math.round(random() * 5) : Math.round(random() * 300 * 10) / 10;
      samples.push({ at: now, value });
      window.push(now, value);
      for (const q of [0, 0.5, 0.98, 0.995]) expect(window.quantile(q)).toBe(reference(samples, now, 2000, q));
    }
  });
});
