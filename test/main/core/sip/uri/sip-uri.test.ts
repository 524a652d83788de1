import { describe, expect, it } from 'vitest';
import { SipParseError, SipUri } from '../../../../../main/core/sip/index.js';

describe('SipUri.parse (RFC 3261 §19.1.1)', () => {
  it('reads every component', () => {
    const uri = SipUri.parse('sips:alice:secretword@atlanta.com:5061;transport=tcp;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent');
    expect(uri).toMatchObject({ scheme: 'sips', host: 'atlanta.com', hostKind: 'hostname', port: 5061 });
    expect(uri.user).toBe('alice');
    expect(uri.password).toBe('secretword');
    expect(uri.transport).toBe('tcp');
    expect(uri.lr).toBe(true);
    expect(uri.maddr).toBe('239.255.255.1');
    expect(uri.params).toEqual([
      { name: 'transport', value: 'tcp' },
      { name: 'lr', value: null },
      { name: 'maddr', value: '239.255.255.1' },
    ]);
    expect(uri.headers).toEqual([
      { name: 'subject', value: 'project x' },
      { name: 'priority', value: 'urgent' },
    ]);
  });

  it.each([
    'sip:alice@atlanta.com',
    'SIP:ALICE@AtLanTa.CoM;Transport=udp',
    'sip:+1-212-555-1212:1234@gateway.com;user=phone',
    'sip:alice;day=tuesday@atlanta.com',
    'sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com',
    'sip:[2001:db8::10]:5070;transport=tls',
    'sip:192.0.2.4',
    'sip:user:@host.example.com',
    'sip:example.com.',
    'sip:%61lice@atlanta.com;%6C%72',
  ])('serializes %s back to the same text', (text) => {
    expect(SipUri.parse(text).toString()).toBe(text);
  });

  it('undoes escapes once: "%2541" is "%41", never "A"', () => {
    expect(SipUri.parse('sip:a%2541@h').user).toBe('a%41');
  });

  it('finds a parameter whose name is escaped', () => {
    const uri = SipUri.parse('sip:h;%6C%72;n%61me=v%61lue');
    expect(uri.lr).toBe(true);
    expect(uri.param('NAME')).toBe('value');
  });

  it('reads IPv6 and IPv4 hosts', () => {
    const v6 = SipUri.parse('sip:[2001:DB8::1]');
    expect(v6.hostKind).toBe('ipv6');
    expect(v6.address).toBe('2001:DB8::1');
    expect(Array.from(v6.ipv6Groups ?? [])).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(SipUri.parse('sip:192.0.2.1:5060').hostKind).toBe('ipv4');
    expect(SipUri.parse('sip:192.0.2.1').ipv6Groups).toBeUndefined();
  });

  it.each([
    ['not sip', 'tel:+123'],
    ['no host', 'sip:'],
    ['empty user', 'sip:@host'],
    ['bad escape', 'sip:a%4@host'],
    ['bad escape at the end', 'sip:host;a=%4'],
    ['space', 'sip:a b@host'],
    ['unbracketed IPv6 (RFC 5118 §4.2)', 'sip:2001:db8::10'],
    ['unterminated IPv6', 'sip:[2001:db8::10'],
    ['bad IPv6', 'sip:[2001:db8::10::1]'],
    ['port too big', 'sip:host:65536'],
    ['empty port', 'sip:host:'],
    ['empty parameter name', 'sip:host;;lr'],
    ['empty parameter value', 'sip:host;transport='],
    ['header without value sign', 'sip:host?subject'],
    ['lone question mark', 'sip:host?'],
    ['angle brackets', '<sip:host>'],
    ['bad IPv4-looking host', 'sip:256.1.1.1'],
    ['empty label', 'sip:a..b'],
  ])('refuses %s: %s', (_what, text) => {
    expect(() => SipUri.parse(text)).toThrow(SipParseError);
  });

  it('uses the Reason-Phrase it is given', () => {
    expect(() => SipUri.parse('sip:', 'Bad Request-URI')).toThrow(expect.objectContaining({ reason: 'Bad Request-URI' }));
  });
});

describe('SipUri.from and with…', () => {
  it('escapes what the grammar needs', () => {
    const uri = SipUri.from({ user: 'I have spaces', host: 'example.net', params: { name: 'a;b' }, headers: { Subject: 'a&b' } });
    expect(uri.toString()).toBe('sip:I%20have%20spaces@example.net;name=a%3Bb?Subject=a%26b');
    expect(SipUri.parse(uri.toString()).user).toBe('I have spaces');
  });

  it('brackets an IPv6 address and keeps parameter order', () => {
    const uri = SipUri.from({ scheme: 'sips', host: '2001:db8::1', port: 5061, params: [['transport', 'tls'], ['lr', null]] });
    expect(uri.toString()).toBe('sips:[2001:db8::1]:5061;transport=tls;lr');
  });

  it('changes one component and leaves the original alone', () => {
    const base = SipUri.parse('sip:bob@biloxi.com;transport=udp?subject=x');
    expect(base.with({ port: 5070 }).toString()).toBe('sip:bob@biloxi.com:5070;transport=udp?subject=x');
    expect(base.withParam('Transport', 'tcp').toString()).toBe('sip:bob@biloxi.com;Transport=tcp?subject=x');
    expect(base.withoutParam('transport').toString()).toBe('sip:bob@biloxi.com?subject=x');
    expect(base.withoutHeaders().toString()).toBe('sip:bob@biloxi.com;transport=udp');
    expect(base.with({ user: undefined }).toString()).toBe('sip:biloxi.com;transport=udp?subject=x');
    expect(base.toString()).toBe('sip:bob@biloxi.com;transport=udp?subject=x');
  });

  it.each([
    ['a bad host', { host: 'bad host' }],
    ['a bad port', { host: 'h', port: 70000 }],
    ['an empty user', { host: 'h', user: '' }],
  ])('refuses %s with a RangeError', (_what, init) => {
    expect(() => SipUri.from(init)).toThrow(RangeError);
  });
});

describe('a parsed SIP URI is checked at once and taken apart on first use', () => {
  it('gives every component as written', () => {
    const uri = SipUri.parse('SIPS:a%40b:pw@[2001:db8::1]:5061;transport=TCP;lr?subject=x&h=%20');
    expect(uri.hostKind).toBe('ipv6');
    expect(uri.schemeText).toBe('SIPS');
    expect(uri.userText).toBe('a%40b');
    expect(uri.passwordText).toBe('pw');
    expect(uri.host).toBe('[2001:db8::1]');
    expect(uri.portText).toBe('5061');
    expect(uri.paramList).toEqual([
      { name: 'transport', value: 'TCP' },
      { name: 'lr', value: null },
    ]);
    expect(uri.headerList).toEqual([
      { name: 'subject', value: 'x' },
      { name: 'h', value: '%20' },
    ]);
    expect(uri.toString()).toBe('SIPS:a%40b:pw@[2001:db8::1]:5061;transport=TCP;lr?subject=x&h=%20');
  });

  it('reads a URI without userinfo, port or parameters', () => {
    const uri = SipUri.parse('sip:192.0.2.1');
    expect([uri.userText, uri.passwordText, uri.portText, uri.host, uri.hostKind]).toEqual([undefined, undefined, undefined, '192.0.2.1', 'ipv4']);
    expect(uri.paramList).toEqual([]);
  });

  it.each(['sip:a@.example.com', 'sip:a@b..c', 'sip:1.2.3.256', 'sip:a@', 'sip:a@b:65536', 'sip:a@b:', 'sip:a@b:123456'])('refuses %s', (text) => {
    expect(() => SipUri.parse(text)).toThrow(SipParseError);
  });
});
