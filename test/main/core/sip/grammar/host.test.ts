import { describe, expect, it } from 'vitest';
import { hostKind, isIpv4, parseIpv6 } from '../../../../../main/core/sip/index.js';

describe('host (RFC 3261 §25.1)', () => {
  it.each([
    ['example.com', 'hostname'],
    ['example.com.', 'hostname'],
    ['a-b_c.example', 'hostname'],
    ['localhost', 'hostname'],
    ['192.0.2.1', 'ipv4'],
    ['0.0.0.0', 'ipv4'],
    ['[2001:db8::1]', 'ipv6'],
    ['[::ffff:192.0.2.10]', 'ipv6'],
    ['[::]', 'ipv6'],
  ])('%s is a %s', (text, kind) => {
    expect(hostKind(text)).toBe(kind);
  });

  it.each(['', '.', 'a..b', '.a', 'a b', 'exa$mple.com', '256.0.0.1', '1.2.3', '1.2.3.4.5', '2001', '2001:db8::1', '[2001:db8::1', '[]', '[gg::1]', 'é.com'])(
    '%j is not a host',
    (text) => {
      expect(hostKind(text)).toBeUndefined();
    },
  );

  it('reads IPv4 addresses strictly', () => {
    expect(isIpv4('255.255.255.255')).toBe(true);
    expect(isIpv4('1.2.3.04')).toBe(true);
    expect(isIpv4('1.2.3.0004')).toBe(false);
    expect(isIpv4('1.2.3.')).toBe(false);
    expect(isIpv4('1.2.3.4.')).toBe(false);
  });
});

describe('parseIpv6 (RFC 4291, with RFC 5118 §4.10)', () => {
  const groups = (text: string) => {
    const g = parseIpv6(text);
    return g === undefined ? undefined : Array.from(g);
  };

  it.each([
    ['2001:db8::10', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10]],
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3:4:5:6:7::', [1, 2, 3, 4, 5, 6, 7, 0]],
    ['::ffff:192.0.2.10', [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x20a]],
    ['1:2:3:4:5:6:192.0.2.1', [1, 2, 3, 4, 5, 6, 0xc000, 0x201]],
    ['2001:db8::192.0.2.1', [0x2001, 0xdb8, 0, 0, 0, 0, 0xc000, 0x201]],
    ['2001:db8:::192.0.2.1', [0x2001, 0xdb8, 0, 0, 0, 0, 0xc000, 0x201]],
  ])('%s', (text, expected) => {
    expect(groups(text)).toEqual(expected);
  });

  it.each([
    '',
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '1.2.3.4',
    '::1.2.3',
    '::1.2.3.4:5',
    '1:2:3:4:5:6:7:1.2.3.4',
    'g::1',
    `${'1:'.repeat(40)}1`,
  ])('refuses %j', (text) => {
    expect(parseIpv6(text)).toBeUndefined();
  });
});
