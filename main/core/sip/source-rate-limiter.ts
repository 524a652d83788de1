/**
 * Per-source rate limiting of new requests (issue "Reliability and security" point 4): a token
 * bucket per source address, so one sender flooding INVITEs, REGISTERs or OPTIONS cannot
 * starve the phone, while requests inside dialogs (NOTIFYs of our subscriptions, BYEs) are
 * never held back. A bounded map: idle sources are forgotten, and at most `maxSources` kept.
 */
export interface RateLimit {
  /** Sustained new requests per second per source. */
  readonly perSecond: number;
  /** How many may come at once. */
  readonly burst: number;
  /** Sources remembered at most (the least recently seen go first). */
  readonly maxSources?: number;
}

export const defaultRateLimit: RateLimit = { perSecond: 50, burst: 200, maxSources: 10_000 };

interface Bucket {
  tokens: number;
  at: number;
}

export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxSources: number;

  constructor(
    private readonly limit: RateLimit = defaultRateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.maxSources = limit.maxSources ?? 10_000;
  }

  /** Whether one more request from `source` may be served now (and counts it). */
  allow(source: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(source);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxSources) this.evictOldest();
      bucket = { tokens: this.limit.burst, at: now };
    } else {
      // Map order is recency: re-inserting moves the source to the end.
      this.buckets.delete(source);
      bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
      bucket.at = now;
    }
    this.buckets.set(source, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get sources(): number {
    return this.buckets.size;
  }

  private evictOldest(): void {
    const oldest = this.buckets.keys().next();
    if (oldest.done !== true) this.buckets.delete(oldest.value);
  }
}
