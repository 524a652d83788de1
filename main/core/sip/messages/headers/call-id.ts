/**
 * Call-ID (RFC 3261 §20.8):
 *
 *   callid = word [ "@" word ]
 *
 * Compared byte for byte (§8.1.1.4); this only checks that it is made of words.
 */
import { WORD, allIn } from '../../grammar/char-classes.js';
import { SipParseError } from '../../grammar/sip-parse-error.js';

export function isCallId(text: string, start = 0, end = text.length): boolean {
  const at = text.indexOf('@', start);
  if (at < 0 || at >= end) return allIn(text, WORD, start, end);
  return allIn(text, WORD, start, at) && allIn(text, WORD, at + 1, end);
}

export function parseCallId(value: string): string {
  if (!isCallId(value)) throw new SipParseError('malformed', 'Bad Call-ID header field');
  return value;
}

/** `parseCallId(text.slice(start, end))`, checked before the slice is made. */
export function parseCallIdAt(text: string, start: number, end: number): string {
  if (!isCallId(text, start, end)) throw new SipParseError('malformed', 'Bad Call-ID header field');
  return text.slice(start, end);
}
