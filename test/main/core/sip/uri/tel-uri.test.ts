import { describe, expect, it } from 'vitest';
import { SipParseError, TelUri } from '../../../../../main/core/sip/index.js';

describe('TelUri (RFC 3966)', () => {
  it('reads a global number with parameters', () => {
    const uri = TelUri.parse('tel:+1-201-555-0123;ext=1234;isub=%41');
    expect(uri.isGlobal).toBe(true);
    expect(uri.number).toBe('+1-201-555-0123');
    expect(uri.extension).toBe('1234');
    expect(uri.param('ISUB')).toBe('A');
    expect(uri.toString()).toBe('tel:+1-201-555-0123;ext=1234;isub=%41');
  });

  it('reads a local number with its phone-context, and one without (tolerated)', () => {
    const local = TelUri.parse('tel:7042;phone-context=example.com');
    expect(local.isGlobal).toBe(false);
    expect(local.phoneContext).toBe('example.com');
    expect(TelUri.parse('tel:*21#').number).toBe('*21#');
    expect(TelUri.parse('TEL:100').toString()).toBe('TEL:100');
  });

  it.each(['tel:', 'tel:+', 'tel:+-.', 'tel:123;', 'tel:123;=x', 'tel:123;a=', 'tel:12 3', 'tel:+12a'])('refuses %s', (text) => {
    expect(() => TelUri.parse(text)).toThrow(SipParseError);
  });

  it('builds a URI, escaping parameter values', () => {
    expect(TelUri.from('+15551234', { ext: '7', 'phone-context': 'a b' }).toString()).toBe('tel:+15551234;ext=7;phone-context=a%20b');
    expect(() => TelUri.from('not a number')).toThrow(RangeError);
    expect(() => TelUri.from('123', { 'bad name': null })).toThrow(RangeError);
  });
});
