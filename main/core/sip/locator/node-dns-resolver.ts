/** The app's `DnsResolver`: node:dns/promises, on its own `Resolver` so it has its own timeout. */
import { Resolver } from 'node:dns/promises';
import type { AddressRecord, DnsRecordType, DnsResolver, NaptrRecord, SrvRecord } from './dns-resolver.js';
import { DnsError, toDnsError } from './dns-resolver.js';

/** The part of node's promise `Resolver` used here (so tests can hand in a fake one). */
export interface NodeResolverLike {
  resolveNaptr(hostname: string): Promise<NaptrRecord[]>;
  resolveSrv(hostname: string): Promise<SrvRecord[]>;
  resolve4(hostname: string, options: { ttl: true }): Promise<{ address: string; ttl: number }[]>;
  resolve6(hostname: string, options: { ttl: true }): Promise<{ address: string; ttl: number }[]>;
}

export interface NodeDnsResolverOptions {
  /**
   * How long one lookup may take in all, in ms (default 5000). A request waiting on DNS is a
   * call not ringing; RFC 3261's own budget for a whole transaction is 32 s (Timer B/F).
   */
  readonly timeoutMs?: number;
  /** Attempts per name server (default 2); each gets `timeoutMs / tries`. */
  readonly tries?: number;
  /** Name servers to ask instead of the system's (`'192.0.2.53'`, `'[2001:db8::53]:5353'`). */
  readonly servers?: readonly string[];
  /** For tests: the resolver to wrap instead of a new node:dns one. */
  readonly resolver?: NodeResolverLike;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_TRIES = 2;

export class NodeDnsResolver implements DnsResolver {
  private readonly resolver: NodeResolverLike;
  private readonly timeoutMs: number;

  constructor(options: NodeDnsResolverOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.resolver !== undefined) {
      this.resolver = options.resolver;
    } else {
      const tries = options.tries ?? DEFAULT_TRIES;
      const resolver = new Resolver({ timeout: Math.max(1, Math.floor(this.timeoutMs / tries)), tries });
      if (options.servers !== undefined) resolver.setServers([...options.servers]);
      this.resolver = resolver;
    }
  }

  /** NAPTR and SRV answers from node carry no TTL; `CachingDnsResolver` supplies a default. */
  resolveNaptr(name: string): Promise<readonly NaptrRecord[]> {
    return this.query('NAPTR', name, () => this.resolver.resolveNaptr(name));
  }

  resolveSrv(name: string): Promise<readonly SrvRecord[]> {
    return this.query('SRV', name, () => this.resolver.resolveSrv(name));
  }

  resolve4(name: string): Promise<readonly AddressRecord[]> {
    return this.query('A', name, () => this.resolver.resolve4(name, { ttl: true }));
  }

  resolve6(name: string): Promise<readonly AddressRecord[]> {
    return this.query('AAAA', name, () => this.resolver.resolve6(name, { ttl: true }));
  }

  /**
   * Runs one lookup under an overall deadline (c-ares backs off between tries, so its own
   * per-try timeout does not bound the total) and turns every rejection into a `DnsError`.
   */
  private async query<T>(rrtype: DnsRecordType, name: string, lookup: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DnsError('ETIMEOUT', rrtype, name)), this.timeoutMs);
    });
    try {
      return await Promise.race([lookup(), deadline]);
    } catch (error) {
      throw toDnsError(error, rrtype, name);
    } finally {
      clearTimeout(timer);
    }
  }
}
