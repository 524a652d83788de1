import { describe, expect, it } from 'vitest';
import { escape, normalizeEscapes, scanEscaped, unescape } from '../../../../../main/core/sip/index.js';
import { PARAM, USER } from '../../../../../main/core/sip/grammar/char-classes.js';

describe('URI escapes (RFC 3261 §19.1.2)', () => {
  it('undoes each escape once', () => {
    expect(unescape('v%61lue%25%34%31')).toBe('value%41');
    expect(unescape('null-%00-null')).toBe('null-\0-null');
    expect(unescape('%C3%A4%e2%82%ac')).toBe('ä€');
    expect(unescape('plain')).toBe('plain');
    expect(unescape('100%')).toBe('100%');
  });

  it('escapes what a component may not hold, as UTF-8', () => {
    expect(escape('I have spaces', USER)).toBe('I%20have%20spaces');
    expect(escape('ä@;', PARAM)).toBe('%C3%A4%40%3B');
    expect(escape('a;b?c', USER)).toBe('a;b?c');
  });

  it('scans a run with valid escapes, and reports a bad one', () => {
    expect(scanEscaped('ab%20c>', USER, 0)).toBe(6);
    expect(scanEscaped('ab%2', USER, 0)).toBe(-1);
    expect(scanEscaped('ab%zz', USER, 0)).toBe(-1);
    expect(scanEscaped('ab%20', USER, 0, 4)).toBe(-1);
  });

  it('normalises escapes for comparison, keeping reserved characters escaped (§19.1.4)', () => {
    expect(normalizeEscapes('%61lice')).toBe('alice');
    expect(normalizeEscapes('a%3bb')).toBe('a%3Bb');
    expect(normalizeEscapes('%25%C3')).toBe('%25%C3');
  });
});
