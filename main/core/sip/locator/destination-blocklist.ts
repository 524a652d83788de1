/**
 * Destinations that recently failed, kept aside for a while so the next location (RFC 3263 §4.3)
 * starts with one that may work rather than the one that just timed out or answered 503.
 * RFC 5626 §4.5 flow recovery uses the same memory to pick another flow's target.
 */
import type { Destination } from './destination.js';
import { destinationKey } from './destination.js';

export interface DestinationBlocklistOptions {
  /** The clock, in ms (default `Date.now`). */
  readonly now?: () => number;
  /** How long a destination stays blocked when the caller gives no duration (default 60 s). */
  readonly defaultSeconds?: number;
  /**
   * The longest block (default 3600 s): Retry-After comes from the network (RFC 3261 §20.33
   * allows up to 2^32-1 s), and one bad 503 must not lock a server out for good.
   */
  readonly maxSeconds?: number;
  /** Most destinations remembered (default 256); the one whose block ends first goes first. */
  readonly maxEntries?: number;
}

type DestinationAddress = Pick<Destination, 'transport' | 'address' | 'port'>;

export class DestinationBlocklist {
  private readonly now: () => number;
  private readonly defaultSeconds: number;
  private readonly maxSeconds: number;
  private readonly maxEntries: number;
  /** destinationKey → when the block ends (ms). */
  private readonly until = new Map<string, number>();

  constructor(options: DestinationBlocklistOptions = {}) {
    this.now = options.now ?? Date.now;
    this.defaultSeconds = options.defaultSeconds ?? 60;
    this.maxSeconds = options.maxSeconds ?? 3600;
    this.maxEntries = Math.max(1, options.maxEntries ?? 256);
  }

  /**
   * Marks `destination` as failed for `seconds`: after a transport error or a request timeout
   * (RFC 3263 §4.3: Timer B/F without any response), or a 503 — with its Retry-After when it
   * has one (RFC 3261 §21.5.4). A longer block already in place is kept.
   */
  block(destination: DestinationAddress, seconds: number = this.defaultSeconds): void {
    const duration = Math.min(Math.max(0, seconds), this.maxSeconds) * 1000;
    if (!(duration > 0)) return;
    const key = destinationKey(destination);
    const end = this.now() + duration;
    const current = this.until.get(key);
    if (current !== undefined && current >= end) return;
    this.until.set(key, end);
    this.prune();
  }

  /** Forgets a failure, e.g. once the destination has answered again. */
  unblock(destination: DestinationAddress): void {
    this.until.delete(destinationKey(destination));
  }

  isBlocked(destination: DestinationAddress): boolean {
    return this.blockedUntil(destination) !== undefined;
  }

  /** When the block of `destination` ends (ms on the injected clock), or undefined if it is not blocked. */
  blockedUntil(destination: DestinationAddress): number | undefined {
    const key = destinationKey(destination);
    const end = this.until.get(key);
    if (end === undefined) return undefined;
    if (end > this.now()) return end;
    this.until.delete(key);
    return undefined;
  }

  clear(): void {
    this.until.clear();
  }

  /**
   * `destinations` without the blocked ones, order kept. If every one is blocked, all are
   * returned, soonest-unblocked first: an empty list would fail the request outright, while a
   * server that failed a moment ago may well answer now, and the one blocked shortest is the
   * likeliest to.
   */
  filter<D extends DestinationAddress>(destinations: readonly D[]): D[] {
    const open = destinations.filter((d) => !this.isBlocked(d));
    if (open.length > 0) return open;
    return [...destinations].sort((x, y) => (this.blockedUntil(x) ?? 0) - (this.blockedUntil(y) ?? 0));
  }

  /** Drops expired blocks, then the ones ending soonest, to stay within `maxEntries`. */
  private prune(): void {
    if (this.until.size <= this.maxEntries) return;
    const now = this.now();
    for (const [key, end] of this.until) if (end <= now) this.until.delete(key);
    const byEnd = [...this.until].sort((x, y) => x[1] - y[1]);
    for (const [key] of byEnd.slice(0, Math.max(0, this.until.size - this.maxEntries))) this.until.delete(key);
  }
}
