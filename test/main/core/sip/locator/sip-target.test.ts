import { describe, expect, it } from 'vitest';
import { isNoDataError, toDnsError } from '../../../../../main/core/sip/locator/dns-resolver.js';
import { LocatorError } from '../../../../../main/core/sip/locator/locator-error.js';
import type { SipTarget } from '../../../../../main/core/sip/locator/sip-target.js';
import { targetName } from '../../../../../main/core/sip/locator/sip-target.js';

describe('targetName (RFC 3263 §4 TARGET)', () => {
  it.each<[string, SipTarget, string, 4 | 6 | undefined]>([
    ['a domain, lower-cased, root dot dropped', { host: 'PBX.Example.COM.', secure: false }, 'pbx.example.com', undefined],
    ['an IPv4 address', { host: '192.0.2.1', secure: false }, '192.0.2.1', 4],
    ['an IPv6 reference loses its brackets', { host: '[2001:DB8::1]', secure: false }, '2001:db8::1', 6],
    ['an IPv6 address without brackets', { host: '::1', secure: false }, '::1', 6],
    ['maddr replaces the host', { host: 'example.com', maddr: '[::2]', secure: false }, '::2', 6],
    ['a domain maddr', { host: '192.0.2.1', maddr: 'Proxy.example.org', secure: false }, 'proxy.example.org', undefined],
    ['underscores, as in SRV-style names', { host: '_sip.example.com', secure: false }, '_sip.example.com', undefined],
  ])('%s', (_name, target, name, family) => {
    expect(targetName(target)).toEqual({ name, numericFamily: family });
  });

  const notHosts = [
    '',
    '.',
    'a..b',
    'exa mple.com',
    '[example.com]',
    '[192.0.2.1]',
    '-a.example.com',
    'a-.example.com',
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(127)}com`,
  ];
  it.each(notHosts)(
    'refuses %j',
    (host) => {
      let thrown: unknown;
      try {
        targetName({ host, secure: false });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(LocatorError);
      expect(thrown).toMatchObject({ name: 'LocatorError', code: 'invalid_target' });
    },
  );
});

describe('DNS error helpers', () => {
  it('reads node-style errors and foreign rejections', () => {
    const nodeStyle = Object.assign(new Error('queryNaptr ENODATA'), { code: 'ENODATA' });
    expect(isNoDataError(nodeStyle)).toBe(true);
    expect(isNoDataError(new Error('no code'))).toBe(false);
    expect(isNoDataError('ENODATA')).toBe(false);
    expect(toDnsError(nodeStyle, 'NAPTR', 'example.com')).toMatchObject({ code: 'ENODATA', rrtype: 'NAPTR', cause: nodeStyle });
    expect(toDnsError('weird', 'A', 'example.com')).toMatchObject({ name: 'DnsError', code: 'EUNKNOWN', message: 'A example.com: EUNKNOWN' });
  });
});
