import { describe, expect, it } from 'vitest';
import { NameAddr, Parameters, SipParseError, SipUri, parseNameAddr, parseNameAddrList } from '../../../../../../main/core/sip/index.js';

describe('name-addr / addr-spec (RFC 3261 §20.10, §20.20, §20.39)', () => {
  it('reads a quoted display name, the URI and the header parameters', () => {
    const na = parseNameAddr('"Alice \\"A\\" Liddell" <sip:alice@atlanta.com;transport=tcp> ; tag = 1928301774', 'From');
    expect(na.displayName).toBe('Alice "A" Liddell');
    expect(na.uri.toString()).toBe('sip:alice@atlanta.com;transport=tcp');
    expect(na.tag).toBe('1928301774');
  });

  it('reads a display name of tokens, with or without LWS before "<" (RFC 4475 §3.1.1.6)', () => {
    expect(parseNameAddr('A. G.  Bell <sip:agb@bell-telephone.com>', 'To').displayName).toBe('A. G.  Bell');
    expect(parseNameAddr('caller<sip:caller@example.com>;tag=323', 'From').displayName).toBe('caller');
  });

  it('gives the parameters after an addr-spec to the header, not the URI (RFC 4475 §3.3.12)', () => {
    const na = parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam;tag=1', 'From');
    expect(na.uri.toString()).toBe('sip:+19725552222@gw1.example.net');
    expect(na.params.toRecord()).toEqual({ unknownparam: null, tag: '1' });
  });

  it('reads URIs of any scheme', () => {
    expect(parseNameAddr('<http://www.example.com>;tag=3234233', 'From').uri.kind).toBe('absolute');
    expect(parseNameAddr('tel:+1-201-555-0123', 'To').uri.kind).toBe('tel');
  });

  it('ignores white space just inside the brackets (RFC 4475 §3.1.2.14)', () => {
    expect(parseNameAddr('"Watson, Thomas" < sip:t.watson@example.org >', 'To').uri.toString()).toBe('sip:t.watson@example.org');
  });

  it.each([
    ['an unterminated quoted string (RFC 4475 §3.1.2.6)', '"Mr. J. User <sip:j.user@example.com>'],
    ['a display name with a comma (RFC 4475 §3.1.2.15)', 'Watson, Thomas <sip:t.watson@example.org>'],
    ['"?" in an addr-spec (RFC 4475 §3.1.2.13)', 'sip:user@example.com?Route=%3Csip:sip.example.com%3E'],
    ['a missing ">"', '<sip:a@b'],
    ['a quoted name without "<"', '"Bob" sip:bob@b'],
    ['an empty value', ''],
    ['extraneous separators (RFC 4475 §3.1.2.1)', '"Joe" <sip:joe@example.org>;;;;'],
    ['something after the value', '<sip:a@b> junk'],
    ['a URI without a scheme', '<a@b>'],
  ])('refuses %s', (_what, value) => {
    expect(() => parseNameAddr(value, 'To')).toThrow(SipParseError);
  });

  it('reads a list, commas inside quotes and brackets included', () => {
    const list = parseNameAddrList('"Doe, J" <sip:p1.example.com;lr>, <sip:p2.example.com;lr>,sip:p3.example.com', 'Record-Route');
    expect(list.map((r) => r.uri.toString())).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr', 'sip:p3.example.com']);
    expect(list[0]?.displayName).toBe('Doe, J');
  });

  it('is written in name-addr form, so URI parameters stay in the URI', () => {
    const na = new NameAddr(SipUri.parse('sip:bob@biloxi.com;transport=tcp'), 'Bob "B"', Parameters.empty);
    expect(na.withTag('a6c85cf').toString()).toBe('"Bob \\"B\\"" <sip:bob@biloxi.com;transport=tcp>;tag=a6c85cf');
    expect(na.toString()).toBe('"Bob \\"B\\"" <sip:bob@biloxi.com;transport=tcp>');
    expect(parseNameAddr(na.withParam('x').toString(), 'To').params.has('x')).toBe(true);
    expect(na.withTag('1').withoutParam('tag').tag).toBeUndefined();
  });
});

describe('name-addr read without the scanner (the usual "name" <uri>;params form)', () => {
  const usual = [
    '"Alice Liddell" <sip:alice@atlanta.example.com>;tag=1928301774',
    '<sip:bob@biloxi.example.com>;tag=ffd2',
    '  "Bob"<sip:bob@biloxi.example.com> ',
    '<sip:proxy.atlanta.example.com;lr>',
    '"" <sips:x@[2001:db8::1]:5061>;lr ;expires = 60;q=0.5;+sip.instance="<urn:uuid:1>"',
    '"ünicode" <tel:+1-201-555-0123>;tag=x',
  ];
  it.each(usual)('gives what the general reading gives: %s', (value) => {
    const na = parseNameAddr(value, 'From');
    // The same value with a fold-free detour through the general path: a display name of tokens
    // or white space inside the brackets is never taken by the fast path.
    expect(na.toString()).toBe(parseNameAddr(na.toString(), 'From').toString());
    expect([...na.params]).toEqual([...parseNameAddr(value.replace('<', '< '), 'From').params]);
    expect(na.displayName).toBe(parseNameAddr(value.replace('<', '< '), 'From').displayName);
    expect(na.uri.toString()).toBe(parseNameAddr(value.replace('<', '< '), 'From').uri.toString());
  });

  it.each([
    ['"Alice <sip:a@b.example>', 'unterminated'],
    ['<sip:a@b.example>;tag=', 'expected a parameter value'],
    ['<sip:a@b.example>;=x', 'expected a token'],
    ['<sip:a@b.example> x', 'unexpected character'],
    ['<sip:a@b..example>', 'bad host'],
    ['<>', ''],
  ])('refuses %s as the scanner does', (value, detail) => {
    const error = (() => {
      try {
        parseNameAddr(value, 'From');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SipParseError);
    expect((error as SipParseError).reason).toBe('Bad From header field');
    expect((error as SipParseError).message).toContain(detail);
  });
});
