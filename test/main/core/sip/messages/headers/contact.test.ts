import { describe, expect, it } from 'vitest';
import { Contact, ContactWildcard, SipParseError, SipUri, parseContact } from '../../../../../../main/core/sip/index.js';

describe('Contact (RFC 3261 §20.10)', () => {
  it('reads several values with q and expires', () => {
    const [a, b] = parseContact('<sip:a@h1>;q=0.7;expires=3600, "B" <sip:b@h2>;q=1.0');
    expect(a instanceof Contact && a.q).toBe(0.7);
    expect(a instanceof Contact && a.expires).toBe(3600);
    expect(b instanceof Contact && b.displayName).toBe('B');
    expect(b instanceof Contact && b.q).toBe(1);
    expect(b instanceof Contact && b.expires).toBeUndefined();
  });

  it('reads the "*" of a REGISTER that removes every binding (§10.2.2)', () => {
    const [star] = parseContact(' * ');
    expect(star).toBeInstanceOf(ContactWildcard);
    expect(star?.wildcard).toBe(true);
    expect(star?.toString()).toBe('*');
  });

  it.each(['*, <sip:a@b>', '<sip:a@b>, *', '* ;expires=0'])('refuses "*" with anything else: %s', (value) => {
    expect(() => parseContact(value)).toThrow(SipParseError);
  });

  it.each([
    ['expires=280297596632815', 'expires'],
    ['expires', 'expires'],
    ['expires=-1', 'expires'],
    ['q=1.5', 'q'],
    ['q=0.1234', 'q'],
    ['q', 'q'],
  ])('reads a bad %s as a SipParseError when asked', (param, name) => {
    const [c] = parseContact(`<sip:a@b>;${param}`);
    if (!(c instanceof Contact)) throw new Error('no contact');
    expect(() => (name === 'q' ? c.q : c.expires)).toThrow(SipParseError);
  });

  it('keeps its kind when modified', () => {
    const c = new Contact(SipUri.parse('sip:alice@192.0.2.1'));
    const d = c.withParam('expires', '60');
    expect(d).toBeInstanceOf(Contact);
    expect(d.expires).toBe(60);
    expect(d.wildcard).toBe(false);
  });
});
