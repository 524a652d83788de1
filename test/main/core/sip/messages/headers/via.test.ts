import { describe, expect, it } from 'vitest';
import { Parameters, SipParseError, Via, parseVia } from '../../../../../../main/core/sip/index.js';

describe('Via (RFC 3261 §20.42, RFC 3581)', () => {
  it('reads protocol, transport, sent-by and parameters', () => {
    const [via] = parseVia('SIP/2.0/udp [2001:db8::9:1]:5060;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5070;maddr=239.1.1.1;ttl=16');
    expect(via).toMatchObject({ protocolName: 'SIP', protocolVersion: '2.0', transport: 'UDP', host: '[2001:db8::9:1]', port: 5060 });
    expect(via?.branch).toBe('z9hG4bK776asdhds');
    expect(via?.hasRfc3261Branch).toBe(true);
    expect(via?.received).toBe('192.0.2.1');
    expect(via?.hasRport).toBe(true);
    expect(via?.rport).toBe(5070);
    expect(via?.maddr).toBe('239.1.1.1');
    expect(via?.ttl).toBe(16);
    expect(via?.sentBy).toBe('[2001:db8::9:1]:5060');
  });

  it('tells rport without a value from no rport', () => {
    const [asked] = parseVia('SIP/2.0/UDP h;rport;branch=z9hG4bK1');
    expect(asked?.hasRport).toBe(true);
    expect(asked?.rport).toBeUndefined();
    const [none] = parseVia('SIP/2.0/UDP h;branch=z9hG4bK1');
    expect(none?.hasRport).toBe(false);
  });

  it('reads LWS everywhere the grammar allows it, and comma-separated values (RFC 4475 §3.1.1.1)', () => {
    const vias = parseVia('SIP  / 2.0  / TCP     spindle.example.com   ;  branch  =   z9hG4bK9ikj8  , SIP  /    2.0   / UDP  192.168.255.111 : 5060  ; branch= z9hG4bK30239');
    expect(vias.map((v) => [v.transport, v.host, v.port, v.branch])).toEqual([
      ['TCP', 'spindle.example.com', undefined, 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 5060, 'z9hG4bK30239'],
    ]);
  });

  it.each([
    ['extraneous separators (RFC 4475 §3.1.2.1)', 'SIP/2.0/UDP 192.0.2.15;;,;,,'],
    ['no sent-by', 'SIP/2.0/UDP'],
    ['no space before sent-by', 'SIP/2.0/UDPhost'],
    ['a bad host', 'SIP/2.0/UDP bad$host'],
    ['an unbracketed IPv6 sent-by', 'SIP/2.0/UDP 2001:db8::1'],
    ['a port too big', 'SIP/2.0/UDP h:65536'],
    ['an empty element', 'SIP/2.0/UDP h,,SIP/2.0/UDP g'],
    ['a trailing comma', 'SIP/2.0/UDP h,'],
    ['a missing transport', 'SIP/2.0 h'],
  ])('refuses %s', (_what, value) => {
    expect(() => parseVia(value)).toThrow(SipParseError);
  });

  it('reads a bad rport or ttl as a SipParseError when asked', () => {
    const [via] = parseVia('SIP/2.0/UDP h;rport=99999;ttl=300');
    expect(() => via?.rport).toThrow(SipParseError);
    expect(() => via?.ttl).toThrow(SipParseError);
  });

  it('builds and modifies a Via', () => {
    const via = new Via({ transport: 'tcp', host: '192.0.2.1', port: 5060, params: Parameters.from({ branch: 'z9hG4bK1', rport: null }) });
    expect(via.toString()).toBe('SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1;rport');
    const received = via.withReceived('203.0.113.9').withRport(40001);
    expect(received.toString()).toBe('SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1;rport=40001;received=203.0.113.9');
    expect(parseVia(received.toString())[0]?.rport).toBe(40001);
    expect(via.received).toBeUndefined();
  });
});

describe('building a Via', () => {
  it.each([
    ['a transport that is not a token', { transport: 'U DP', host: 'h' }],
    ['a bad host', { transport: 'UDP', host: 'h\r\nX: y' }],
    ['a bad port', { transport: 'UDP', host: 'h', port: -1 }],
  ])('refuses %s with a RangeError', (_what, init) => {
    expect(() => new Via(init)).toThrow(RangeError);
  });
});

describe('Via read without the scanner (the usual "SIP/2.0/UDP host:port;params" form)', () => {
  it.each([
    'SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK776asdhds;rport',
    'SIP/2.0/TLS proxy.example.com;branch=z9hG4bK1;received=203.0.113.10 ',
    'SIP/2.0/WSS df7jal23ls0d.invalid:0443;branch=z9hG4bKx ;lr',
    'SIP/2.0/udp host.example.com:5060;branch=z9hG4bK2',
    'SIP/2.0/UDP  two-spaces.example.com',
    'SIP/2.0/UDP a.example.com : 5060 ; branch = z9hG4bK3',
    'SIP/2.0/UDP a.example.com;branch=z9hG4bK4, SIP/2.0/TCP b.example.com:5061',
  ])('reads %s as the general path does', (value) => {
    const vias = parseVia(value);
    const again = parseVia(` ${value}`); // a leading SP always takes the general path
    expect(vias.map(String)).toEqual(again.map(String));
    expect(vias.map((v) => [v.transport, v.host, v.port, v.branch])).toEqual(again.map((v) => [v.transport, v.host, v.port, v.branch]));
  });

  it.each(['SIP/2.0/UDP a.example.com:65536', 'SIP/2.0/UDP a.example.com:', 'SIP/2.0/UDP a..example.com', 'SIP/2.0/UDP 1.2.3.256', 'SIP/2.0/UDP a.example.com;branch=', 'SIP/2.0/UDP a.example.com x'])(
    'refuses %s',
    (value) => {
      expect(() => parseVia(value)).toThrow(SipParseError);
    },
  );
});
