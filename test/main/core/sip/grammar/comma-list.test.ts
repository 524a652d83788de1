import { describe, expect, it } from 'vitest';
import { splitCommaList } from '../../../../../main/core/sip/index.js';

describe('splitCommaList (RFC 3261 §7.3.1)', () => {
  it('splits at commas outside quoted strings and angle brackets', () => {
    expect(splitCommaList('"Doe, John" <sip:a@b;x=1,2>;q=1 , <sip:c@d> ,sip:e@f')).toEqual([
      '"Doe, John" <sip:a@b;x=1,2>;q=1',
      '<sip:c@d>',
      'sip:e@f',
    ]);
  });

  it('skips quoted-pairs inside quoted strings', () => {
    expect(splitCommaList('"a\\",b", c')).toEqual(['"a\\",b"', 'c']);
  });

  it('drops empty elements and keeps an unterminated quote whole', () => {
    expect(splitCommaList(' a ,, b ,')).toEqual(['a', 'b']);
    expect(splitCommaList('a, "b, c')).toEqual(['a', '"b, c']);
    expect(splitCommaList('')).toEqual([]);
  });
});
