import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServerLocator } from '../../../../../main/core/sip/locator/default-server-locator.js';
import { DnsError } from '../../../../../main/core/sip/locator/dns-resolver.js';
import type { NodeResolverLike } from '../../../../../main/core/sip/locator/node-dns-resolver.js';
import { NodeDnsResolver } from '../../../../../main/core/sip/locator/node-dns-resolver.js';
import { naptr, srv } from './dns-fixtures.js';

/** node:dns rejects with a plain Error carrying `code`, as here. */
function nodeError(code: string): Error {
  return Object.assign(new Error(`queryA ${code} example.com`), { code });
}

/** A stand-in for node's promise Resolver: no network is touched by these tests. */
function fakeNode(overrides: Partial<NodeResolverLike>): NodeResolverLike {
  const none = (): Promise<never> => Promise.reject(nodeError('ENODATA'));
  return { resolveNaptr: none, resolveSrv: none, resolve4: none, resolve6: none, ...overrides };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('NodeDnsResolver', () => {
  it('asks node for A and AAAA with TTLs and passes them on', async () => {
    const resolve4 = vi.fn((_name: string, _options: { ttl: true }) => Promise.resolve([{ address: '192.0.2.1', ttl: 42 }]));
    const resolve6 = vi.fn((_name: string, _options: { ttl: true }) => Promise.resolve([{ address: '2001:db8::1', ttl: 7 }]));
    const resolver = new NodeDnsResolver({ resolver: fakeNode({ resolve4, resolve6 }) });
    expect(await resolver.resolve4('example.com')).toEqual([{ address: '192.0.2.1', ttl: 42 }]);
    expect(await resolver.resolve6('example.com')).toEqual([{ address: '2001:db8::1', ttl: 7 }]);
    expect(resolve4).toHaveBeenCalledWith('example.com', { ttl: true });
    expect(resolve6).toHaveBeenCalledWith('example.com', { ttl: true });
  });

  it('passes NAPTR and SRV records through as node gives them (no TTL)', async () => {
    const resolver = new NodeDnsResolver({
      resolver: fakeNode({
        resolveNaptr: () => Promise.resolve([naptr(10, 10, 'SIP+D2U', '_sip._udp.example.com')]),
        resolveSrv: () => Promise.resolve([srv(0, 5, 5060, 'pbx.example.com')]),
      }),
    });
    expect(await resolver.resolveNaptr('example.com')).toEqual([naptr(10, 10, 'SIP+D2U', '_sip._udp.example.com')]);
    expect(await resolver.resolveSrv('_sip._udp.example.com')).toEqual([srv(0, 5, 5060, 'pbx.example.com')]);
  });

  it.each([
    ['ENODATA', true],
    ['ENOTFOUND', true],
    ['ESERVFAIL', false],
    ['ETIMEOUT', false],
    ['EREFUSED', false],
  ])('turns node error %s into a DnsError (no data: %s)', async (code, noData) => {
    const resolver = new NodeDnsResolver({ resolver: fakeNode({ resolveSrv: () => Promise.reject(nodeError(code)) }) });
    const error = await resolver.resolveSrv('_sip._tcp.example.com').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnsError);
    expect(error).toMatchObject({ name: 'DnsError', code, rrtype: 'SRV', hostname: '_sip._tcp.example.com', isNoData: noData });
  });

  it('gives up with ETIMEOUT at its own deadline, however long node would take', async () => {
    vi.useFakeTimers();
    const resolver = new NodeDnsResolver({
      timeoutMs: 1500,
      resolver: fakeNode({ resolve4: () => new Promise(() => undefined) }),
    });
    const outcome = resolver.resolve4('slow.example.com').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1499);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ name: 'DnsError', code: 'ETIMEOUT', rrtype: 'A', hostname: 'slow.example.com' });
  });

  it('clears its deadline timer once node answers', async () => {
    vi.useFakeTimers();
    const resolver = new NodeDnsResolver({ resolver: fakeNode({ resolve4: () => Promise.resolve([{ address: '192.0.2.1', ttl: 1 }]) }) });
    await resolver.resolve4('example.com');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createServerLocator', () => {
  it('locates a literal address with the node-backed stack and no lookup', async () => {
    const locator = createServerLocator({ dns: { servers: ['127.0.0.1'] } });
    expect(await locator.locate({ host: '[2001:db8::5]', secure: true })).toEqual([
      { transport: 'tls', address: '2001:db8::5', port: 5061, family: 6 },
    ]);
  });
});
