/**
 * Telephone numbers as E.164 (ITU-T E.164: `+` country code, national significant number),
 * read with libphonenumber-js from what people type or store: national numbers with the
 * account's country, international ones with `+` or the country's international prefix.
 */
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/min';

/** Visual separators people type in numbers (RFC 3966 §5.1.1 visual-separator). */
const separators = /[\s().\-/]/g;

/** The number as dialled digits (`+` kept first), or undefined when it is not a number at all. */
export function numberDigits(text: string): string | undefined {
  const value = text.trim().replace(/^tel:/i, '').replace(/;.*$/, '').replace(separators, '');
  return /^\+?[0-9]{1,32}$/.test(value) ? value : undefined;
}

/** The parsed number, when libphonenumber finds it possible (right length for its country). */
export function parseNumber(text: string, country: string | undefined): PhoneNumber | undefined {
  const digits = numberDigits(text);
  if (digits === undefined) return undefined;
  if (!digits.startsWith('+') && country === undefined) return undefined;
  const parsed = parsePhoneNumberFromString(digits, country as CountryCode | undefined);
  return parsed !== undefined && parsed.isPossible() ? parsed : undefined;
}

/** `+4930123456` from `030 123456` (DE), `0049 30 123456` (DE) or `+49 (0)30 123456`. */
export function toE164(text: string, country: string | undefined): string | undefined {
  return parseNumber(text, country)?.number;
}

/**
 * The digit strings the same number is written as from `country`: E.164 digits, the national
 * form (with its trunk prefix) and the common international prefixes (00, 011) before the
 * E.164 digits — so a number stored any of these ways is found from any other.
 */
export function numberVariants(text: string, country: string | undefined): string[] {
  const digits = numberDigits(text);
  if (digits === undefined) return [];
  const variants = new Set([digits.replace('+', '')]);
  const parsed = parseNumber(digits, country);
  if (parsed !== undefined) {
    const e164 = parsed.number.slice(1);
    variants.add(e164);
    variants.add(`00${e164}`);
    variants.add(`011${e164}`);
    if (country === undefined || parsed.country === country || parsed.countryCallingCode === getCountryCallingCode(country as CountryCode)) {
      variants.add(parsed.format('NATIONAL').replace(/\D/g, ''));
    }
  }
  return [...variants].filter((v) => v.length >= 3);
}
