import { describe, expect, it } from 'vitest';
import { SipParseError, deltaSeconds, parseInteger } from '../../../../../../main/core/sip/index.js';

describe('integer header fields', () => {
  it('reads a number in range, leading zeros and LWS included', () => {
    expect(parseInteger(' 0068 ', 'Max-Forwards', 0, 255)).toBe(68);
    expect(parseInteger('1', 'RSeq', 1, 0x7fffffff)).toBe(1);
  });

  it.each([
    ['300', 0, 255],
    ['0', 1, 10],
    ['-999', 0, 100],
    ['five', 0, 100],
    ['1 2', 0, 100],
    ['', 0, 100],
    [`1${'0'.repeat(100)}`, 0, 0xffffffff],
  ])('refuses %j outside %i..%i', (value, min, max) => {
    expect(() => parseInteger(value, 'Expires', min, max)).toThrow(SipParseError);
  });

  it('reads delta-seconds up to 2**32-1', () => {
    expect(deltaSeconds('4294967295')).toBe(4294967295);
    expect(deltaSeconds('4294967296')).toBeUndefined();
    expect(deltaSeconds('')).toBeUndefined();
    expect(deltaSeconds('1a')).toBeUndefined();
  });
});
