import { describe, expect, it } from 'vitest';
import { SourceRateLimiter } from '../../../../main/core/sip/source-rate-limiter.js';

describe('SourceRateLimiter', () => {
  it('lets a burst through, then the sustained rate, per source', () => {
    let now = 0;
    const limiter = new SourceRateLimiter({ perSecond: 10, burst: 20 }, () => now);
    const allowed = (source: string, n: number) => Array.from({ length: n }, () => limiter.allow(source)).filter(Boolean).length;
    expect(allowed('192.0.2.1', 30)).toBe(20);
    // Another source has its own bucket.
    expect(allowed('192.0.2.2', 5)).toBe(5);
    now += 500;
    expect(allowed('192.0.2.1', 30)).toBe(5);
    now += 10_000;
    // Refilled to the burst, never beyond.
    expect(allowed('192.0.2.1', 30)).toBe(20);
  });

  it('remembers a bounded number of sources, forgetting the least recently seen', () => {
    const now = 0;
    const limiter = new SourceRateLimiter({ perSecond: 1, burst: 1, maxSources: 3 }, () => now);
    for (const source of ['a', 'b', 'c']) expect(limiter.allow(source)).toBe(true);
    expect(limiter.allow('a')).toBe(false);
    expect(limiter.allow('d')).toBe(true);
    expect(limiter.sources).toBe(3);
    // b was the least recently seen: forgotten, so it starts with a full bucket again.
    expect(limiter.allow('b')).toBe(true);
  });
});
