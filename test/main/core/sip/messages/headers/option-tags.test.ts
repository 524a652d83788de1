import { describe, expect, it } from 'vitest';
import { SipParseError, parseTokenList } from '../../../../../../main/core/sip/index.js';

describe('token lists (Require, Supported, Allow...)', () => {
  it('reads tokens separated by commas and LWS', () => {
    expect(parseTokenList('100rel ,timer,  replaces', 'Supported', true)).toEqual(['100rel', 'timer', 'replaces']);
  });

  it('allows an empty list only where the grammar does', () => {
    expect(parseTokenList('  ', 'Supported', true)).toEqual([]);
    expect(() => parseTokenList('', 'Require', false)).toThrow(SipParseError);
  });

  it.each(['a,,b', 'a,', 'a b', '"a"'])('refuses %j', (value) => {
    expect(() => parseTokenList(value, 'Require', false)).toThrow(SipParseError);
  });
});
