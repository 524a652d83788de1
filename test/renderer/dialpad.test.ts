import { describe, expect, it } from 'vitest';
import { dialEntry, dtmfFrequencies, keypadDigits } from '../../renderer/src/lib/dialpad.js';

describe('dialpad letters', () => {
  it('turns letters into keypad digits (E.161)', () => {
    expect(keypadDigits('ABC DEF GHI JKL MNO PQRS TUV WXYZ')).toBe('22233344455566677778889999');
    expect(keypadDigits('flowers')).toBe('3569377');
    expect(keypadDigits('*31#')).toBe('*31#');
  });

  it('reads an entry that starts like a number as one, separators dropped', () => {
    expect(dialEntry('1-800-FLOWERS')).toBe('18003569377');
    expect(dialEntry('+1 (800) flowers')).toBe('+18003569377');
    expect(dialEntry('0044 20.7946/0000')).toBe('00442079460000');
    expect(dialEntry('+44+1')).toBe('+441');
  });

  it('keeps SIP users and addresses as typed', () => {
    expect(dialEntry('bob')).toBe('bob');
    expect(dialEntry('sip:bob@lab.test')).toBe('sip:bob@lab.test');
    expect(dialEntry('1000@pbx.example')).toBe('1000@pbx.example');
    expect(dialEntry('')).toBe('');
  });

  it('knows the DTMF pair of every key', () => {
    expect(dtmfFrequencies['5']).toEqual([770, 1336]);
    expect(dtmfFrequencies['#']).toEqual([941, 1477]);
    expect(Object.keys(dtmfFrequencies)).toHaveLength(16);
  });
});
