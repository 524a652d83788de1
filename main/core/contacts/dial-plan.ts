/**
 * An account's dial plan applied both ways: to a number the user dials (what the server is
 * sent) and to a number a call comes from (what the contacts are searched for).
 */
import type { CountryCode } from 'libphonenumber-js/min';
import type { DialPlan } from '../../../shared/model.js';
import { compileDialPattern } from './dial-pattern.js';
import { numberDigits, numberVariants, parseNumber } from './phone-number.js';

/** What an account says about numbers: its country and its dial plan. */
export interface Numbering {
  readonly defaultCountry?: string | undefined;
  readonly dialPlan?: DialPlan | undefined;
}

const defaultInternalMaxDigits = 5;

function isInternal(number: string, plan: DialPlan | undefined): boolean {
  if (/[*#]/.test(number)) return true;
  return !number.startsWith('+') && number.length <= (plan?.internalMaxDigits ?? defaultInternalMaxDigits);
}

function stripPrefix(number: string, plan: DialPlan | undefined): string {
  const prefix = plan?.stripPrefixes.find((p) => number.startsWith(p) && number.length > p.length);
  return prefix === undefined ? number : number.slice(prefix.length);
}

/**
 * The number to send for what the user dialled (separators already gone): extensions and
 * feature codes as typed; external numbers stripped, normalised, formatted, rewritten and put
 * behind the outside line. Without a country or a plan a number goes as typed.
 */
export function dialledNumber(number: string, numbering: Numbering): string {
  const plan = numbering.dialPlan;
  let result = stripPrefix(number, plan);
  if (isInternal(result, plan)) return result;
  const parsed = parseNumber(result, numbering.defaultCountry);
  if (parsed !== undefined) {
    if (plan?.format === 'national' && numbering.defaultCountry !== undefined) {
      result = parsed.format('IDD', { fromCountry: numbering.defaultCountry as CountryCode }).replace(/\D/g, '');
    } else {
      result = parsed.number;
    }
  }
  const rule = plan?.rewrites.find((r) => compileDialPattern(r.match).test(result));
  if (rule !== undefined) result = `${rule.prefix}${result}`;
  if (plan?.outsideLine !== undefined) result = `${plan.outsideLine}${result}`;
  return result;
}

/**
 * The digit strings an incoming number may be stored as in the contacts: every way of writing
 * it from the account's country (see `numberVariants`), as it came and without the outside line
 * and stripped prefixes (a PBX that shows `0 030 123…`) — both, since `0049…` behind an outside
 * line `0` may be either.
 */
export function callerNumberVariants(text: string, numbering: Numbering): string[] {
  const number = numberDigits(text);
  if (number === undefined) return [];
  const plan = numbering.dialPlan;
  const readings = new Set([number]);
  const outside = plan?.outsideLine;
  if (plan !== undefined && outside !== undefined && number.startsWith(outside) && number.length - outside.length > plan.internalMaxDigits) {
    readings.add(number.slice(outside.length));
  }
  for (const reading of [...readings]) if (!isInternal(reading, plan)) readings.add(stripPrefix(reading, plan));
  return [...new Set([...readings].flatMap((reading) => numberVariants(reading, numbering.defaultCountry)))];
}
