import { describe, expect, it } from 'vitest';
import { CachingDnsResolver } from '../../../../../main/core/sip/locator/caching-dns-resolver.js';
import { DnsError } from '../../../../../main/core/sip/locator/dns-resolver.js';
import { ServerLocator } from '../../../../../main/core/sip/locator/server-locator.js';
import { StubDnsResolver } from '../../../../../main/core/sip/locator/stub-dns-resolver.js';
import { FakeClock, show, srv } from './dns-fixtures.js';

function setup(options: ConstructorParameters<typeof CachingDnsResolver>[1] = {}) {
  const clock = new FakeClock();
  const stub = new StubDnsResolver({
    A: { 'pbx.example.com': [{ address: '192.0.2.1', ttl: 30 }] },
    SRV: { '_sip._udp.example.com': [srv(10, 0, 5060, 'pbx.example.com')] },
  });
  const cache = new CachingDnsResolver(stub, { now: clock.now, ...options });
  return { clock, stub, cache };
}

describe('CachingDnsResolver', () => {
  it('keeps an A answer for its TTL and asks again once it has passed (RFC 1035 §3.2.1)', async () => {
    const { clock, stub, cache } = setup();
    expect(await cache.resolve4('pbx.example.com')).toEqual([{ address: '192.0.2.1', ttl: 30 }]);
    clock.advance(29);
    stub.set('A', 'pbx.example.com', ['192.0.2.2']);
    expect(await cache.resolve4('PBX.example.com')).toEqual([{ address: '192.0.2.1', ttl: 30 }]);
    expect(stub.count('A', 'pbx.example.com')).toBe(1);
    clock.advance(1);
    expect(await cache.resolve4('pbx.example.com')).toEqual([{ address: '192.0.2.2' }]);
    expect(stub.count('A', 'pbx.example.com')).toBe(2);
  });

  it('an RRset lives as long as its shortest TTL', async () => {
    const { clock, stub, cache } = setup();
    stub.set('AAAA', 'pbx.example.com', [
      { address: '2001:db8::1', ttl: 300 },
      { address: '2001:db8::2', ttl: 10 },
    ]);
    await cache.resolve6('pbx.example.com');
    clock.advance(10);
    await cache.resolve6('pbx.example.com');
    expect(stub.count('AAAA', 'pbx.example.com')).toBe(2);
  });

  it('keeps records without a TTL (node:dns SRV, NAPTR) for the configured default', async () => {
    const { clock, stub, cache } = setup({ defaultTtlSeconds: 120 });
    await cache.resolveSrv('_sip._udp.example.com');
    clock.advance(119);
    await cache.resolveSrv('_sip._udp.example.com');
    expect(stub.count('SRV', '_sip._udp.example.com')).toBe(1);
    clock.advance(1);
    await cache.resolveSrv('_sip._udp.example.com');
    expect(stub.count('SRV', '_sip._udp.example.com')).toBe(2);
  });

  it('the default for records without a TTL is 60 s', async () => {
    const { clock, stub, cache } = setup();
    await cache.resolveSrv('_sip._udp.example.com');
    clock.advance(59);
    await cache.resolveSrv('_sip._udp.example.com');
    clock.advance(1);
    await cache.resolveSrv('_sip._udp.example.com');
    expect(stub.count('SRV', '_sip._udp.example.com')).toBe(2);
  });

  it('caps a long TTL at maxTtlSeconds', async () => {
    const { clock, stub, cache } = setup({ maxTtlSeconds: 100 });
    stub.set('A', 'far.example.com', [{ address: '192.0.2.9', ttl: 86_400 }]);
    await cache.resolve4('far.example.com');
    clock.advance(100);
    await cache.resolve4('far.example.com');
    expect(stub.count('A', 'far.example.com')).toBe(2);
  });

  it('does not keep a TTL of 0', async () => {
    const { stub, cache } = setup();
    stub.set('A', 'zero.example.com', [{ address: '192.0.2.9', ttl: 0 }]);
    await cache.resolve4('zero.example.com');
    await cache.resolve4('zero.example.com');
    expect(stub.count('A', 'zero.example.com')).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('remembers "no records" for negativeTtlSeconds, answering with an empty list', async () => {
    const { clock, stub, cache } = setup({ negativeTtlSeconds: 10 });
    expect(await cache.resolveNaptr('example.com')).toEqual([]);
    clock.advance(9);
    expect(await cache.resolveNaptr('example.com')).toEqual([]);
    expect(stub.count('NAPTR', 'example.com')).toBe(1);
    clock.advance(1);
    await cache.resolveNaptr('example.com');
    expect(stub.count('NAPTR', 'example.com')).toBe(2);
  });

  it('does not remember SERVFAIL or timeouts: the next request asks again', async () => {
    const { stub, cache } = setup();
    stub.set('SRV', '_sip._tcp.example.com', { error: 'ESERVFAIL' });
    await expect(cache.resolveSrv('_sip._tcp.example.com')).rejects.toMatchObject({ name: 'DnsError', code: 'ESERVFAIL' });
    stub.set('SRV', '_sip._tcp.example.com', [srv(0, 0, 5060, 'pbx.example.com')]);
    expect(await cache.resolveSrv('_sip._tcp.example.com')).toEqual([srv(0, 0, 5060, 'pbx.example.com')]);
    expect(stub.count('SRV', '_sip._tcp.example.com')).toBe(2);
  });

  it('sends one query for concurrent requests of the same name', async () => {
    const { stub, cache } = setup();
    const answers = await Promise.all([cache.resolve4('pbx.example.com'), cache.resolve4('pbx.example.com'), cache.resolve4('pbx.example.com')]);
    expect(answers.map((a) => a[0]?.address)).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.1']);
    expect(stub.count('A', 'pbx.example.com')).toBe(1);
  });

  it('shares a failure between concurrent requests, then forgets it', async () => {
    const { stub, cache } = setup();
    stub.set('A', 'bad.example.com', { error: 'ETIMEOUT' });
    const results = await Promise.allSettled([cache.resolve4('bad.example.com'), cache.resolve4('bad.example.com')]);
    expect(results.map((r) => (r.status === 'rejected' && r.reason instanceof DnsError ? r.reason.code : r.status))).toEqual(['ETIMEOUT', 'ETIMEOUT']);
    expect(stub.count('A', 'bad.example.com')).toBe(1);
    await cache.resolve4('bad.example.com').catch(() => undefined);
    expect(stub.count('A', 'bad.example.com')).toBe(2);
  });

  it('holds at most maxEntries names per record type, dropping the least recently used', async () => {
    const { stub, cache } = setup({ maxEntries: 2 });
    for (const name of ['a.example.com', 'b.example.com', 'c.example.com']) stub.set('A', name, [{ address: '192.0.2.1', ttl: 300 }]);
    await cache.resolve4('a.example.com');
    await cache.resolve4('b.example.com');
    await cache.resolve4('a.example.com'); // a is now the most recently used
    await cache.resolve4('c.example.com'); // evicts b
    expect(cache.size).toBe(2);
    await cache.resolve4('a.example.com');
    await cache.resolve4('b.example.com');
    expect([stub.count('A', 'a.example.com'), stub.count('A', 'b.example.com'), stub.count('A', 'c.example.com')]).toEqual([1, 2, 1]);
  });

  it('clear() forgets everything', async () => {
    const { stub, cache } = setup();
    await cache.resolve4('pbx.example.com');
    cache.clear();
    expect(cache.size).toBe(0);
    await cache.resolve4('pbx.example.com');
    expect(stub.count('A', 'pbx.example.com')).toBe(2);
  });

  it('lets a second location within the TTLs run without any lookup (failover stays fast)', async () => {
    const { clock, stub, cache } = setup();
    const locator = new ServerLocator({ resolver: cache, transports: ['udp'], addressFamilies: [4] });
    const first = show(await locator.locate({ host: 'example.com', secure: false }));
    const asked = stub.queries.length;
    clock.advance(20);
    expect(show(await locator.locate({ host: 'example.com', secure: false }))).toEqual(first);
    expect(stub.queries.length).toBe(asked);
    expect(first).toEqual(['udp 192.0.2.1:5060']);
  });
});
