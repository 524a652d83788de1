import { describe, expect, it } from 'vitest';
import { Parameters, Scanner, SipParseError, parseParameters } from '../../../../../main/core/sip/index.js';

const parse = (text: string) => {
  const s = new Scanner(text, 'Bad test header field');
  const params = parseParameters(s);
  s.expectEnd();
  return params;
};

describe('header parameters (RFC 3261 §7.3.1)', () => {
  it('reads names with and without values, LWS around separators, quoted values', () => {
    const params = parse(' ; tag = 1918181833n ;lr; +sip.instance="<urn:uuid:1>" ;received=2001:db8::9:255');
    expect(params.toRecord()).toEqual({ tag: '1918181833n', lr: null, '+sip.instance': '<urn:uuid:1>', received: '2001:db8::9:255' });
    expect(params.get('TAG')).toBe('1918181833n');
    expect(params.get('lr')).toBeNull();
    expect(params.get('absent')).toBeUndefined();
    expect(params.has('LR')).toBe(true);
    expect(params.toString()).toBe(';tag=1918181833n;lr;+sip.instance="<urn:uuid:1>";received=2001:db8::9:255');
  });

  it('keeps a quoted token value quoted when written back (RFC 3840 feature tags)', () => {
    expect(parse(';methods="INVITE"').toString()).toBe(';methods="INVITE"');
  });

  it.each([';', ';;', ';=x', ';a=', ';a="x', ';a b'])('refuses %j', (text) => {
    expect(() => parse(text)).toThrow(SipParseError);
  });

  it('is immutable: with and without return new lists', () => {
    const base = Parameters.from({ tag: 'a', lr: null });
    const changed = base.with('Tag', 'b').with('q', '0.5').without('lr');
    expect(base.toString()).toBe(';tag=a;lr');
    expect(changed.toString()).toBe(';Tag=b;q=0.5');
    expect(base.with('display', 'two words').toString()).toBe(';tag=a;lr;display="two words"');
    expect(base.without('absent')).toBe(base);
    expect(() => base.with('bad name')).toThrow(RangeError);
    expect([...changed].map((p) => p.name)).toEqual(['Tag', 'q']);
    expect(changed.size).toBe(2);
  });
});

describe('parseParameters read in place', () => {
  it('stops past the white space after the last parameter, before anything else', () => {
    const s = new Scanner(' ; a ; b = c ;d="q;\\"x"  , next', 'Bad test');
    const params = parseParameters(s);
    expect(s.pos).toBe(' ; a ; b = c ;d="q;\\"x"  '.length);
    expect([...params]).toEqual([
      { name: 'a', value: null, quoted: false },
      { name: 'b', value: 'c', quoted: false },
      { name: 'd', value: 'q;"x', quoted: true },
    ]);
  });

  it.each([
    [';', 'expected a token'],
    [';a=', 'expected a parameter value'],
    [';a="x', 'unterminated quoted-string'],
  ])('refuses %s with the detail of the scanner', (text, detail) => {
    expect(() => parseParameters(new Scanner(text, 'Bad test'))).toThrow(detail);
  });
});
