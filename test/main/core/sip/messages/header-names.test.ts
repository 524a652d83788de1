import { describe, expect, it } from 'vitest';
import { canonicalName, compactName, headerKey } from '../../../../../main/core/sip/index.js';

describe('header names (RFC 3261 §7.3.1, §7.3.3)', () => {
  it.each([
    ['Via', 'via'],
    ['v', 'via'],
    ['V', 'via'],
    ['vIa', 'via'],
    ['i', 'call-id'],
    ['CALL-ID', 'call-id'],
    ['m', 'contact'],
    ['o', 'event'],
    ['r', 'refer-to'],
    ['x', 'session-expires'],
    ['X-Custom', 'x-custom'],
    ['z', 'z'],
  ])('%s has the key %s', (name, key) => {
    expect(headerKey(name)).toBe(key);
    expect(headerKey(name)).toBe(key);
  });

  it('spells known names the usual way and keeps a compact form compact', () => {
    expect(canonicalName('call-id')).toBe('Call-ID');
    expect(canonicalName('WWW-AUTHENTICATE')).toBe('WWW-Authenticate');
    expect(canonicalName('cseq')).toBe('CSeq');
    expect(canonicalName('V')).toBe('v');
    expect(canonicalName('X-Mine')).toBe('X-Mine');
  });

  it('knows the compact form of a name', () => {
    expect(compactName('Content-Type')).toBe('c');
    expect(compactName('CSeq')).toBeUndefined();
  });

  it('does not mistake a non-token for a compact form', () => {
    expect(headerKey('\u212A')).not.toBe('supported');
  });
});
