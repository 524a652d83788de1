/** The locator the app runs with: node:dns, behind a cache, behind RFC 3263. */
import type { CachingDnsResolverOptions } from './caching-dns-resolver.js';
import { CachingDnsResolver } from './caching-dns-resolver.js';
import type { NodeDnsResolverOptions } from './node-dns-resolver.js';
import { NodeDnsResolver } from './node-dns-resolver.js';
import type { ServerLocatorOptions } from './server-locator.js';
import { ServerLocator } from './server-locator.js';

export interface DefaultServerLocatorOptions extends Omit<ServerLocatorOptions, 'resolver'> {
  readonly dns?: NodeDnsResolverOptions;
  readonly cache?: CachingDnsResolverOptions;
}

export function createServerLocator(options: DefaultServerLocatorOptions = {}): ServerLocator {
  const { dns, cache, ...rest } = options;
  return new ServerLocator({ ...rest, resolver: new CachingDnsResolver(new NodeDnsResolver(dns), cache) });
}
