import { describe, expect, it } from 'vitest';
import { dateTime, en, localeFor, locales, t, useLocale } from '../../renderer/src/lib/strings.js';

/** Every path to a text (string or function) in a strings table. */
function keys(table: object, prefix = ''): string[] {
  return Object.entries(table).flatMap(([key, value]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return typeof value === 'object' && value !== null ? keys(value as object, path) : [`${path}:${typeof value}`];
  });
}

/** Every text of a table with sample values filled in. */
function texts(table: object): string[] {
  return Object.values(table).flatMap((value): string[] => {
    if (typeof value === 'string') return [value];
    if (typeof value === 'function') return [String((value as (...args: unknown[]) => unknown)('X', 2, 3, 4, 5))];
    return typeof value === 'object' && value !== null ? texts(value as object) : [];
  });
}

describe('the UI’s languages', () => {
  it('German has exactly the keys of English, each a text of the same kind', () => {
    expect(keys(locales.de).sort()).toEqual(keys(en).sort());
  });

  it('German translates: no text left empty, and most differ from English', () => {
    const german = texts(locales.de);
    expect(german.every((text) => text.trim() !== '')).toBe(true);
    const english = texts(en);
    const same = german.filter((text, i) => text === english[i]);
    // Names and technical terms (Softphone, SIP, MOS, Call-ID, Codecs, Audio…) stay as they are.
    expect(same.length / german.length).toBeLessThan(0.1);
  });

  it('picks the chosen language, or the first of the system’s it speaks, else English', () => {
    expect(localeFor('de', ['en-US'])).toBe('de');
    expect(localeFor('en', ['de-DE'])).toBe('en');
    expect(localeFor('system', ['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(localeFor('system', ['fr-FR'])).toBe('en');
    expect(localeFor('system', [])).toBe('en');
  });

  it('swaps the strings in force in place', () => {
    useLocale('de');
    expect(t.nav.settings).toBe('Einstellungen');
    expect(t.call.ended('486 Busy Here')).toBe('Beendet: 486 Busy Here');
    useLocale('en');
    expect(t.nav.settings).toBe('Settings');
  });

  it('writes dates as the chosen language does, not as the system does', () => {
    const at = new Date(2026, 10, 22, 6, 5, 9).getTime();
    useLocale('de');
    expect(dateTime(at)).toBe('22.11.2026, 06:05:09');
    useLocale('en');
    expect(dateTime(at)).toMatch(/^11\/22\/2026, 6:05:09\sAM$/); // ICU versions differ in the space before AM
  });
});
