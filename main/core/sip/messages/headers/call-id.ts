/**
 * Call-ID (RFC 3261 §20.8):
 *
 *   callid = word [ "@" word ]
 *
 * Compared byte for byte (§8.1.1.4); this only checks that it is made of words.
 */
import { WORD, isIn } from '../../grammar/char-classes.js';
import { SipParseError } from '../../grammar/sip-parse-error.js';

export function isCallId(text: string, start = 0, end = text.length): boolean {
  // One pass: words, and at most one "@" with a word on each side.
  let at = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isIn(c, WORD)) continue;
    if (c !== 0x40 || at >= 0) return false;
    at = i;
  }
  return end > start && at !== start && at !== end - 1;
}

/** `isCallId` in bytes read one character per byte (the message parser's all-ASCII path). */
function isCallIdBytes(bytes: Uint8Array, start: number, end: number): boolean {
  let at = -1;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (isIn(c, WORD)) continue;
    if (c !== 0x40 || at >= 0) return false;
    at = i;
  }
  return end > start && at !== start && at !== end - 1;
}

export function parseCallId(value: string): string {
  if (!isCallId(value)) throw new SipParseError('malformed', 'Bad Call-ID header field');
  return value;
}

/** `parseCallId(text.slice(start, end))`, checked before the slice is made. */
export function parseCallIdAt(text: string, start: number, end: number, bytes?: Uint8Array, d = 0): string {
  if (!(bytes !== undefined ? isCallIdBytes(bytes, start + d, end + d) : isCallId(text, start, end))) throw new SipParseError('malformed', 'Bad Call-ID header field');
  return text.slice(start, end);
}
