/**
 * RFC 5118 "SIP Torture Test Messages for IPv6". The fixtures hold the archive bytes (bare LF
 * line ends, `archive/`), the same with CRLF (`wire/`), and — for the three messages whose
 * printed Content-Length matches neither — the CRLF form with only Content-Length corrected
 * (`wire-cl-corrected/`). See test/fixtures/sip/README.md.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SipParseError, parseMessage, uriEquals, type SipMessage, type SipUri } from '../../../../../main/core/sip/index.js';
import { fixture, fixtureNames, fixtureSums } from '../fixtures.js';

const forms = ['archive', 'wire'] as const;

function parse(path: string): SipMessage {
  return parseMessage(fixture(`rfc5118/${path}.dat`));
}

function sipUri(uri: unknown): SipUri {
  expect((uri as SipUri).kind).toBe('sip');
  return uri as SipUri;
}

function requestUri(message: SipMessage): SipUri {
  if (message.kind !== 'request') throw new Error('not a request');
  return sipUri(message.uri);
}

describe('RFC 5118 fixtures', () => {
  it('are the 12 archive messages, their CRLF forms and 3 corrected forms, byte for byte', () => {
    const sums = fixtureSums('rfc5118');
    expect(sums.size).toBe(27);
    for (const folder of ['archive', 'wire', 'wire-cl-corrected']) {
      for (const name of fixtureNames(`rfc5118/${folder}`)) {
        const path = `${folder}/${name}`;
        expect(createHash('sha256').update(fixture(`rfc5118/${path}`)).digest('hex'), path).toBe(sums.get(path));
      }
    }
  });

  it('archive files use bare LF, wire files CRLF', () => {
    expect(fixture('rfc5118/archive/ipv6-good.dat').includes('\r')).toBe(false);
    expect(fixture('rfc5118/wire/ipv6-good.dat').toString().split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r'))).toBe(true);
  });
});

describe.each(forms)('RFC 5118 §4 messages (%s form)', (form) => {
  const at = (name: string) => `${form}/${name}`;

  it('§4.1 ipv6-good: IPv6 references in the Request-URI, Via and Contact', () => {
    const m = parse(at('ipv6-good'));
    expect(m.kind === 'request' && m.method).toBe('REGISTER');
    const uri = requestUri(m);
    expect(uri.toString()).toBe('sip:[2001:db8::10]');
    expect(uri.host).toBe('[2001:db8::10]');
    expect(uri.hostKind).toBe('ipv6');
    expect(uri.address).toBe('2001:db8::10');
    expect(m.topVia?.sentBy).toBe('[2001:db8::9:1]');
    const contact = m.contacts[0];
    expect(contact !== undefined && !contact.wildcard && contact.uri.toString()).toBe('sip:caller@[2001:db8::1]');
    expect(m.callId).toBe('SSG9559905523997077@hlau_4100');
    expect(m.cseq).toMatchObject({ seq: 98176, method: 'REGISTER' });
  });

  it('§4.2 ipv6-bad: an IPv6 address without brackets in the Request-URI is refused, 400', () => {
    let error: unknown;
    try {
      parse(at('ipv6-bad'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SipParseError);
    expect(error).toMatchObject({ code: 'malformed', statusCode: 400, reason: 'Bad Request-URI', startLine: 'request' });
    expect((error as SipParseError).isAnswerable).toBe(true);
  });

  it('§4.3 port-ambiguous: the colon and digits inside the brackets are part of the address', () => {
    const uri = requestUri(parse(at('port-ambiguous')));
    expect(uri.host).toBe('[2001:db8::10:5070]');
    expect(uri.port).toBeUndefined();
  });

  it('§4.4 port-unambiguous: the port after the brackets', () => {
    const uri = requestUri(parse(at('port-unambiguous')));
    expect(uri.host).toBe('[2001:db8::10]');
    expect(uri.port).toBe(5070);
  });

  it('§4.5 via-received-param-with-delim: received with brackets is read (robustness)', () => {
    const m = parse(at('via-received-param-with-delim'));
    expect(m.kind === 'request' && m.method).toBe('BYE');
    expect(m.topVia?.received).toBe('[2001:db8::9:255]');
    expect(m.topVia?.branch).toBe('z9hG4bKas3-111');
    expect(m.cseq).toMatchObject({ seq: 321, method: 'BYE' });
  });

  it('§4.5 via-received-param-no-delim: received without brackets', () => {
    const m = parse(at('via-received-param-no-delim'));
    expect(m.kind === 'request' && m.method).toBe('OPTIONS');
    expect(m.topVia?.received).toBe('2001:db8::9:255');
    expect(m.topVia?.branch).toBe('z9hG4bKas3');
    expect(m.callId).toBe('SSG95523997077@hlau_4100');
    expect(m.cseq).toMatchObject({ seq: 921, method: 'OPTIONS' });
  });

  it('§4.7 mult-ip-in-header: Via values mixing IPv4 and IPv6', () => {
    const m = parse(at('mult-ip-in-header'));
    expect(m.kind === 'request' && m.method).toBe('BYE');
    expect(m.via.map((v) => [v.transport, v.sentBy, v.received])).toEqual([
      ['UDP', '[2001:db8::9:1]:6050', undefined],
      ['UDP', '192.0.2.1', undefined],
      ['TCP', '[2001:db8::9:255]', '192.0.2.200'],
    ]);
    expect(m.via[0]?.port).toBe(6050);
    expect(m.callId).toBe('997077@lau_4100');
  });

  it('§4.9 ipv4-mapped-ipv6: IPv4-mapped IPv6 addresses in Via and Contact', () => {
    const m = parse(at('ipv4-mapped-ipv6'));
    expect(m.via.map((v) => [v.sentBy, v.branch])).toEqual([
      ['[::ffff:192.0.2.10]:19823', 'z9hG4bKbh19'],
      ['[::ffff:192.0.2.2]', 'z9hG4bKas3-111'],
    ]);
    const contact = m.contacts[0];
    expect(contact !== undefined && !contact.wildcard && contact.uri.toString()).toBe('sip:ted@[::ffff:192.0.2.2]');
    expect(m.contentLength).toBe(236);
    expect(Buffer.from(m.body).toString()).toContain('c=IN IP6 ::ffff:192.0.2.2');
  });

  it('§4.10 ipv6-bug-abnf-3-colons: the three-colon form is tolerated and equals the two-colon one', () => {
    const three = parse(at('ipv6-bug-abnf-3-colons'));
    const two = parse(at('ipv6-correct-abnf-2-colons'));
    expect(requestUri(three).host).toBe('[2001:db8:::192.0.2.1]');
    expect(requestUri(two).host).toBe('[2001:db8::192.0.2.1]');
    expect(three.to.uri.toString()).toBe('sip:user@[2001:db8:::192.0.2.1]');
    expect(uriEquals(requestUri(three), requestUri(two))).toBe(true);
    expect(three.body).toHaveLength(0);
  });
});

describe('RFC 5118 §4.6 and §4.8: SDP bodies whose printed Content-Length is wrong', () => {
  it.each([
    ['archive/ipv6-in-sdp', 268, 242],
    ['wire/ipv6-in-sdp', 268, 251],
    ['archive/mult-ip-in-sdp', 181, 180],
  ])('%s as printed (Content-Length %i, %i body bytes) is refused like RFC 4475 clerr (§18.3)', (path) => {
    expect(() => parse(path)).toThrow(expect.objectContaining({ name: 'SipParseError', reason: 'Content-Length exceeds the message' }));
  });

  it('wire/mult-ip-in-sdp (Content-Length 181 < 189 CRLF body bytes) is accepted, the body cut at 181', () => {
    expect(parse('wire/mult-ip-in-sdp').body).toHaveLength(181);
  });

  it('§4.6 ipv6-in-sdp with Content-Length corrected: IPv6 addresses without brackets in SDP', () => {
    const m = parse('wire-cl-corrected/ipv6-in-sdp');
    expect(m.kind === 'request' && m.method).toBe('INVITE');
    expect(requestUri(m).toString()).toBe('sip:user@[2001:db8::10]');
    const sdp = Buffer.from(m.body).toString();
    expect(sdp).toContain('o=assistant 971731711378798081 0 IN IP6 2001:db8::20\r\n');
    expect(sdp).toContain('c=IN IP6 2001:db8::20\r\n');
    expect(sdp).toContain('m=audio 6000 RTP/AVP 2\r\n');
    expect(sdp).toContain('m=video 6024 RTP/AVP 107\r\n');
  });

  it('§4.8 mult-ip-in-sdp with Content-Length corrected: one connection address per media line', () => {
    const sdp = Buffer.from(parse('wire-cl-corrected/mult-ip-in-sdp').body).toString();
    expect(sdp).toMatch(/m=audio 22334 RTP\/AVP 0\r\nc=IN IP4 192\.0\.2\.1\r\n/);
    expect(sdp).toMatch(/m=video 6024 RTP\/AVP 107\r\nc=IN IP6 2001:db8::1\r\n/);
  });

  it('§4.9 ipv4-mapped-ipv6 with Content-Length corrected keeps the whole CRLF body', () => {
    expect(parse('wire-cl-corrected/ipv4-mapped-ipv6').body).toHaveLength(245);
  });
});
