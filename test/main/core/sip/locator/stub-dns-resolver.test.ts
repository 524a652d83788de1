import { describe, expect, it } from 'vitest';
import { StubDnsResolver } from '../../../../../main/core/sip/locator/stub-dns-resolver.js';

describe('StubDnsResolver', () => {
  const stub = (): StubDnsResolver =>
    new StubDnsResolver({
      A: { 'pbx.example.com': ['192.0.2.1', { address: '192.0.2.2', ttl: 5 }] },
      AAAA: { 'broken.example.com': { error: 'ESERVFAIL' } },
    });

  it('answers from its table, names compared without case or trailing dot', async () => {
    expect(await stub().resolve4('PBX.example.com.')).toEqual([{ address: '192.0.2.1' }, { address: '192.0.2.2', ttl: 5 }]);
  });

  it('says NODATA for a known name lacking that type, NXDOMAIN for an unknown name, like DNS', async () => {
    await expect(stub().resolve6('pbx.example.com')).rejects.toMatchObject({ code: 'ENODATA', isNoData: true });
    await expect(stub().resolveSrv('_sip._udp.nowhere.example')).rejects.toMatchObject({ code: 'ENOTFOUND', isNoData: true });
  });

  it('rejects with the error code given in the table', async () => {
    await expect(stub().resolve6('broken.example.com')).rejects.toMatchObject({ name: 'DnsError', code: 'ESERVFAIL', isNoData: false });
  });

  it('records each lookup and can change answers between them', async () => {
    const resolver = stub();
    await resolver.resolve4('pbx.example.com');
    resolver.set('A', 'pbx.example.com', undefined);
    resolver.set('NAPTR', 'example.com', []);
    await expect(resolver.resolve4('pbx.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(await resolver.resolveNaptr('example.com')).toEqual([]);
    expect(resolver.queries).toEqual(['A pbx.example.com', 'A pbx.example.com', 'NAPTR example.com']);
    expect(resolver.count('A', 'pbx.example.com')).toBe(2);
  });
});
