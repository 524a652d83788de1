import { describe, expect, it } from 'vitest';
import { AbsoluteUri, SipParseError, isSipUri, parseUri } from '../../../../../main/core/sip/index.js';

describe('parseUri', () => {
  it.each([
    ['sip:alice@atlanta.com', 'sip'],
    ['SIPS:alice@atlanta.com', 'sip'],
    ['tel:+358-555-1234567', 'tel'],
    ['Tel:+358-555-1234567', 'tel'],
    ['mailto:alice@atlanta.com', 'absolute'],
    ['urn:service:sos', 'absolute'],
    ['sipx:whatever', 'absolute'],
    ['te:1', 'absolute'],
  ])('reads %s as a %s URI', (text, kind) => {
    const uri = parseUri(text);
    expect(uri.kind).toBe(kind);
    expect(uri.toString()).toBe(text);
    expect(isSipUri(uri)).toBe(kind === 'sip');
  });

  it('keeps other schemes opaque, scheme in lower case (RFC 4475 §3.3.2)', () => {
    const uri = AbsoluteUri.parse('nobodyKnowsThisScheme:totallyopaquecontent');
    expect(uri.scheme).toBe('nobodyknowsthisscheme');
    expect(uri.opaque).toBe('totallyopaquecontent');
  });

  it.each(['', 'noscheme', ':x', '1sip:x', 'http:', 'http://a b', 'http://a"b', 'a:%zz'])('refuses %j', (text) => {
    expect(() => parseUri(text, 'Bad Contact header field')).toThrow(expect.objectContaining({ reason: 'Bad Contact header field' }));
    expect(() => parseUri(text)).toThrow(SipParseError);
  });
});
