/**
 * A `DnsResolver` that remembers answers for as long as DNS allows (RFC 1035 §3.2.1 TTL), so
 * failing over to the next destination (RFC 3263 §4.3) or re-sending a REGISTER does not wait
 * on the network again.
 */
import type { AddressRecord, DnsResolver, NaptrRecord, SrvRecord } from './dns-resolver.js';
import { isNoDataError } from './dns-resolver.js';

export interface CachingDnsResolverOptions {
  /** The clock, in ms (default `Date.now`); tests pass a fake one. */
  readonly now?: () => number;
  /**
   * Seconds to keep records that carry no TTL (default 60). node:dns reports TTLs for A and
   * AAAA only, never for NAPTR or SRV; a minute keeps failover fast without pinning a change
   * of servers for long.
   */
  readonly defaultTtlSeconds?: number;
  /**
   * Seconds to remember "no such records" (default 30). RFC 2308 would take this from the SOA,
   * which node:dns does not expose. Most domains have no NAPTR records, so without this every
   * request would first ask for NAPTR again.
   */
  readonly negativeTtlSeconds?: number;
  /** Upper bound on any TTL (default 3600), so a phone left running notices moved servers. */
  readonly maxTtlSeconds?: number;
  /** Most names kept per record type (default 256); the least recently used go first. */
  readonly maxEntries?: number;
}

interface Settings {
  readonly now: () => number;
  readonly defaultTtlMs: number;
  readonly negativeTtlMs: number;
  readonly maxTtlMs: number;
  readonly maxEntries: number;
}

interface Entry<R> {
  readonly records: readonly R[];
  readonly expiresAt: number;
}

/** One record type's cache: a bounded LRU of answers, plus the lookups under way. */
class RecordCache<R extends { readonly ttl?: number }> {
  private readonly entries = new Map<string, Entry<R>>();
  /** Concurrent requests for one name share one query rather than each sending their own. */
  private readonly pending = new Map<string, Promise<readonly R[]>>();

  constructor(private readonly settings: Settings) {}

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  lookup(name: string, query: (name: string) => Promise<readonly R[]>): Promise<readonly R[]> {
    const key = name.toLowerCase();
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      if (hit.expiresAt > this.settings.now()) {
        this.entries.set(key, hit);
        return Promise.resolve(hit.records);
      }
    }
    const under = this.pending.get(key);
    if (under !== undefined) return under;
    const started = query(name).then(
      (records) => {
        this.store(key, records, records.length === 0 ? this.settings.negativeTtlMs : this.ttlMs(records));
        return records;
      },
      (error: unknown) => {
        // Only an authoritative "nothing" is remembered; a SERVFAIL or timeout is asked again.
        if (!isNoDataError(error)) throw error;
        this.store(key, [], this.settings.negativeTtlMs);
        return [];
      },
    );
    const shared = started.finally(() => this.pending.delete(key));
    this.pending.set(key, shared);
    return shared;
  }

  /** An RRset lives as long as its shortest-lived record (RFC 2181 §5.2 wants them equal anyway). */
  private ttlMs(records: readonly R[]): number {
    let ttl: number | undefined;
    for (const record of records) {
      if (record.ttl !== undefined) ttl = Math.min(ttl ?? Infinity, record.ttl * 1000);
    }
    return Math.min(ttl ?? this.settings.defaultTtlMs, this.settings.maxTtlMs);
  }

  private store(key: string, records: readonly R[], ttlMs: number): void {
    // RFC 1035 §3.2.1: a TTL of zero means "use for this transaction only, do not cache".
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { records, expiresAt: this.settings.now() + ttlMs });
    while (this.entries.size > this.settings.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }
}

export class CachingDnsResolver implements DnsResolver {
  private readonly naptr: RecordCache<NaptrRecord>;
  private readonly srv: RecordCache<SrvRecord>;
  private readonly a: RecordCache<AddressRecord>;
  private readonly aaaa: RecordCache<AddressRecord>;

  constructor(
    private readonly resolver: DnsResolver,
    options: CachingDnsResolverOptions = {},
  ) {
    const settings: Settings = {
      now: options.now ?? Date.now,
      defaultTtlMs: (options.defaultTtlSeconds ?? 60) * 1000,
      negativeTtlMs: (options.negativeTtlSeconds ?? 30) * 1000,
      maxTtlMs: (options.maxTtlSeconds ?? 3600) * 1000,
      maxEntries: Math.max(1, options.maxEntries ?? 256),
    };
    this.naptr = new RecordCache(settings);
    this.srv = new RecordCache(settings);
    this.a = new RecordCache(settings);
    this.aaaa = new RecordCache(settings);
  }

  /** Names cached, all record types together. */
  get size(): number {
    return this.naptr.size + this.srv.size + this.a.size + this.aaaa.size;
  }

  /** Forgets everything, e.g. when the network changes and old answers may not hold. */
  clear(): void {
    this.naptr.clear();
    this.srv.clear();
    this.a.clear();
    this.aaaa.clear();
  }

  resolveNaptr(name: string): Promise<readonly NaptrRecord[]> {
    return this.naptr.lookup(name, (n) => this.resolver.resolveNaptr(n));
  }

  resolveSrv(name: string): Promise<readonly SrvRecord[]> {
    return this.srv.lookup(name, (n) => this.resolver.resolveSrv(n));
  }

  resolve4(name: string): Promise<readonly AddressRecord[]> {
    return this.a.lookup(name, (n) => this.resolver.resolve4(n));
  }

  resolve6(name: string): Promise<readonly AddressRecord[]> {
    return this.aaaa.lookup(name, (n) => this.resolver.resolve6(n));
  }
}
