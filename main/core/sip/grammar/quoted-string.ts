/**
 * quoted-string (RFC 3261 §25.1):
 *
 *   quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
 *   qdtext        = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 *   quoted-pair   = "\" (%x00-09 / %x0B-0C / %x0E-7F)
 */
import { BACKSLASH, CR, DQUOTE, LF } from './char-classes.js';

/**
 * Scans the quoted-string whose opening DQUOTE is at `start`. Returns the index just past the
 * closing DQUOTE, or -1 if the string is unterminated or holds a character it may not.
 */
export function scanQuotedString(text: string, start: number, end = text.length): number {
  let i = start + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === DQUOTE) return i + 1;
    if (c === BACKSLASH) {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
      if (next < 0 || next > 0x7f || next === CR || next === LF) return -1;
      i += 2;
      continue;
    }
    if (c === CR || c === LF) return -1;
    i++;
  }
  return -1;
}

/** `scanQuotedString` in bytes read one character per byte (the message parser's all-ASCII path). */
export function scanQuotedStringBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start + 1;
  while (i < end) {
    const c = bytes[i]!;
    if (c === DQUOTE) return i + 1;
    if (c === BACKSLASH) {
      const next = i + 1 < end ? bytes[i + 1]! : -1;
      if (next < 0 || next > 0x7f || next === CR || next === LF) return -1;
      i += 2;
      continue;
    }
    if (c === CR || c === LF) return -1;
    i++;
  }
  return -1;
}

/** The text between the quotes of a scanned quoted-string, with each quoted-pair undone. */
export function unquote(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && i + 1 < inner.length) {
      out += inner[i + 1]!;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * The quoted-string for `value`: DQUOTE and backslash become quoted-pairs. CR and LF cannot be
 * written in a quoted-string at all, so a value holding one is a caller's bug.
 */
export function quote(value: string): string {
  if (/[\r\n]/.test(value)) throw new RangeError('a quoted-string cannot hold CR or LF');
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
