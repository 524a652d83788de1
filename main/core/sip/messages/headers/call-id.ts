/**
 * Call-ID (RFC 3261 §20.8):
 *
 *   callid = word [ "@" word ]
 *
 * Compared byte for byte (§8.1.1.4); this only checks that it is made of words.
 */
import { WORD, allIn } from '../../grammar/char-classes.js';
import { SipParseError } from '../../grammar/sip-parse-error.js';

export function isCallId(text: string): boolean {
  const at = text.indexOf('@');
  if (at < 0) return allIn(text, WORD);
  return allIn(text, WORD, 0, at) && allIn(text, WORD, at + 1);
}

export function parseCallId(value: string): string {
  if (!isCallId(value)) throw new SipParseError('malformed', 'Bad Call-ID header field');
  return value;
}
