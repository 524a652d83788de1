import { describe, expect, it } from 'vitest';
import { Scanner, SipParseError } from '../../../../../main/core/sip/index.js';

describe('Scanner', () => {
  it('reads tokens, separators with LWS, numbers and quoted strings', () => {
    const s = new Scanner('  SIP  /  2.0 0068 "a \\"b\\"" rest', 'Bad test header field');
    s.skipWs();
    expect(s.token()).toBe('SIP');
    s.expectSep(0x2f);
    expect(s.token()).toBe('2.0');
    s.skipWs();
    expect(s.number(255)).toBe(68);
    s.skipWs();
    expect(s.quotedString()).toBe('a "b"');
    expect(s.eatSep(0x3b)).toBe(false);
    expect(s.token()).toBe('rest');
    s.expectEnd();
    expect(s.done).toBe(true);
  });

  it('fails with its Reason-Phrase', () => {
    const s = new Scanner('x', 'Bad Foo header field');
    expect(() => s.expectSep(0x2f)).toThrow(expect.objectContaining({ name: 'SipParseError', reason: 'Bad Foo header field' }));
  });

  it('refuses a number above its maximum, however many digits', () => {
    expect(() => new Scanner('4294967296', 'r').number(0xffffffff)).toThrow(SipParseError);
    expect(() => new Scanner('9'.repeat(5000), 'r').number(0xffffffff)).toThrow(SipParseError);
    expect(new Scanner(`${'0'.repeat(50)}1`, 'r').number(1)).toBe(1);
    expect(() => new Scanner('x', 'r').number(10)).toThrow(SipParseError);
  });

  it('tells a quoted gen-value from a token', () => {
    const s = new Scanner('"a b"', 'r');
    expect(s.genValue()).toBe('a b');
    expect(s.quoted).toBe(true);
    const t = new Scanner('[2001:db8::1]', 'r');
    expect(t.genValue()).toBe('[2001:db8::1]');
    expect(t.quoted).toBe(false);
  });
});
