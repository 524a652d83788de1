/**
 * What the user typed in the dialpad, turned into the SIP URI to call: a SIP/SIPS URI as it is,
 * `user@host` as `sip:user@host`, a telephone number or extension as a user at the account's
 * domain (`;user=phone` for a global number, RFC 3261 §19.1.1), `tel:` likewise (RFC 3966).
 */
import { PhoneError } from '../../../shared/errors.js';
import { SipParseError } from '../sip/grammar/index.js';
import { isSipUri, parseUri } from '../sip/uri/index.js';
import { dialledNumber, type Numbering } from '../contacts/index.js';

/** Visual separators people type in numbers (RFC 3966 §5.1.1 visual-separator). */
const separators = /[\s().\-/]/g;

/**
 * With the account's `numbering` (country, dial plan), a dialled number is normalised and
 * rewritten for its server first; SIP addresses are never touched.
 */
export function dialTarget(input: string, domain: string, numbering?: Numbering): string {
  const text = input.trim();
  const refuse = (why: string) => new PhoneError('invalid_params', `calls.dial: target: ${why}`, 'target');
  if (/^sips?:/i.test(text)) {
    try {
      const uri = parseUri(text.replace(/^sips?:/i, (scheme) => scheme.toLowerCase()));
      if (!isSipUri(uri)) throw refuse('not a SIP address');
      // Headers in a dialled URI (`?Route=...`) would inject fields into our INVITE (RFC 3261 §19.1.5).
      if (uri.headerList.length > 0) throw refuse('a SIP address to call cannot carry headers');
      return uri.toString();
    } catch (error) {
      if (error instanceof SipParseError) throw refuse('not a valid SIP address');
      throw error;
    }
  }
  const tel = /^tel:([^;]+)/i.exec(text);
  const typed = (tel?.[1] ?? text).replace(separators, '');
  if (/^\+?[0-9*#]{1,32}$/.test(typed)) {
    const number = numbering === undefined ? typed : dialledNumber(typed, numbering);
    const user = number.replace(/#/g, '%23');
    return number.startsWith('+') ? `sip:${user}@${domain};user=phone` : `sip:${user}@${domain}`;
  }
  if (tel !== null) throw refuse('not a telephone number');
  const at = text.indexOf('@');
  const candidate = at > 0 ? `sip:${text}` : `sip:${text}@${domain}`;
  try {
    const uri = parseUri(candidate);
    if (!isSipUri(uri) || uri.headerList.length > 0) throw refuse('not a number or SIP address');
    return uri.toString();
  } catch (error) {
    if (error instanceof SipParseError) throw refuse('not a number or SIP address');
    throw error;
  }
}
