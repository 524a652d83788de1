/** Numbers the user dials, rewritten by the account's country and dial plan; callers read back. */
import { describe, expect, it } from 'vitest';
import { DialPlan, type DialPlanInput } from '../../../../shared/model.js';
import { callerNumberVariants, compileDialPattern, dialledNumber, DialPatternError, numberVariants, toE164 } from '../../../../main/core/contacts/index.js';
import { dialTarget } from '../../../../main/core/phone/dial-target.js';

const plan = (input: DialPlanInput) => DialPlan.parse(input);

describe('E.164 normalisation', () => {
  it.each([
    ['030 1234567', 'DE', '+49301234567'],
    ['0049 30 1234567', 'DE', '+49301234567'],
    ['+49 (0)30 1234567', undefined, '+49301234567'],
    ['(416) 555-0100', 'US', '+14165550100'],
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['01 23 45 67 89', 'FR', '+33123456789'],
    ['tel:+46-70-123-45-67', undefined, '+46701234567'],
    ['030 1234567', undefined, undefined],
    ['sip:bob@example.com', 'DE', undefined],
    ['12', 'DE', undefined],
  ])('%s in %s → %s', (text, country, e164) => {
    expect(toE164(text, country)).toBe(e164);
  });

  it('writes a number every way it is stored: E.164, national, international prefixes', () => {
    expect(numberVariants('+49 30 1234567', 'DE').sort()).toEqual(['0049301234567', '01149301234567', '0301234567', '49301234567'].sort());
    // From another country, the national form of a foreign number is not a variant.
    expect(numberVariants('+49 30 1234567', 'FR')).not.toContain('0301234567');
  });
});

describe('dial patterns', () => {
  it.each([
    ['0X.', '0301234', true],
    ['0X.', '0', false],
    ['1NXXNXXXXXX', '14165550100', true],
    ['1NXXNXXXXXX', '11165550100', false],
    ['Z', '0', false],
    ['+44.', '+442079460958', true],
    ['*8X', '*81', true],
  ])('%s matches %s: %s', (pattern, number, matches) => {
    expect(compileDialPattern(pattern).test(number)).toBe(matches);
  });

  it('refuses anything else, with the place', () => {
    expect(() => compileDialPattern('0(1|2)')).toThrow(DialPatternError);
    expect(() => compileDialPattern('0.X')).toThrow(/"\." at 2/);
  });
});

describe('dial plan validation', () => {
  it.each([
    [{ outsideLine: '0' }, 'format'],
    [{ outsideLine: 'nine', format: 'national' }, 'outsideLine'],
    [{ stripPrefixes: ['0', '0'] }, 'stripPrefixes'],
    [{ rewrites: [{ match: '0[1-9].*', prefix: '1' }] }, 'rewrites'],
    [{ rewrites: [{ match: '0X.', prefix: '1' }, { match: '0X.', prefix: '2' }] }, 'rewrites'],
    [{ internalMaxDigits: 11 }, 'internalMaxDigits'],
    [{ dialWith: 'magic' }, ''],
  ])('%j is refused at %s', (input, path) => {
    const parsed = DialPlan.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.') ?? '').toContain(path);
    expect(parsed.error?.issues[0]?.message).toBeTruthy();
  });
});

describe('dialling', () => {
  it('leaves numbers as typed without a country or plan, and extensions and codes always', () => {
    expect(dialledNumber('0301234567', {})).toBe('0301234567');
    expect(dialledNumber('1234', { defaultCountry: 'DE' })).toBe('1234');
    expect(dialledNumber('*8123', { defaultCountry: 'DE', dialPlan: plan({ outsideLine: '0', format: 'national' }) })).toBe('*8123');
  });

  it('normalises to E.164 with the account country (Germany, UK, US)', () => {
    expect(dialledNumber('0301234567', { defaultCountry: 'DE' })).toBe('+49301234567');
    expect(dialledNumber('02079460958', { defaultCountry: 'GB' })).toBe('+442079460958');
    expect(dialledNumber('4165550100', { defaultCountry: 'US' })).toBe('+14165550100');
    expect(dialTarget('030 123 4567', 'pbx.example', { defaultCountry: 'DE' })).toBe('sip:+49301234567@pbx.example;user=phone');
    expect(dialTarget('sip:030123@pbx.example', 'pbx.example', { defaultCountry: 'DE' })).toBe('sip:030123@pbx.example');
  });

  it('sends national digits behind an outside line, foreign numbers with the international prefix', () => {
    const de = { defaultCountry: 'DE', dialPlan: plan({ outsideLine: '0', format: 'national' }) };
    expect(dialledNumber('+49 30 1234567', de)).toBe('00301234567');
    expect(dialledNumber('+44 20 7946 0958', de)).toBe('000442079460958');
    expect(dialledNumber('21', de)).toBe('21');
    expect(dialTarget('+49 30 1234567', 'pbx.example', de)).toBe('sip:00301234567@pbx.example');
    const us = { defaultCountry: 'US', dialPlan: plan({ outsideLine: '9', format: 'national' }) };
    expect(dialledNumber('+44 20 7946 0958', us)).toBe('9011442079460958');
    expect(dialledNumber('(416) 555-0100', us)).toBe('914165550100');
  });

  it('strips prefixes first and adds the first matching rewrite', () => {
    const fr = {
      defaultCountry: 'FR',
      dialPlan: plan({ stripPrefixes: ['*31#'], format: 'national', rewrites: [{ match: '0Z.', prefix: '3651' }, { match: '00.', prefix: '*' }] }),
    };
    expect(dialledNumber('*31#0123456789', fr)).toBe('36510123456789');
    expect(dialledNumber('+44 20 7946 0958', fr)).toBe('*00442079460958');
  });
});

describe('caller numbers', () => {
  const de = { defaultCountry: 'DE', dialPlan: plan({ outsideLine: '0', format: 'national' }) };
  it.each(['+49301234567', '0301234567', '0049301234567', '00301234567'])('%s from a German PBX is also 0301234567', (number) => {
    expect(callerNumberVariants(number, de)).toContain('0301234567');
  });
  it('keeps extensions as they are', () => {
    expect(callerNumberVariants('021', de)).toEqual(['021']);
    expect(callerNumberVariants('sip:021@pbx', de)).toEqual([]);
  });
});
