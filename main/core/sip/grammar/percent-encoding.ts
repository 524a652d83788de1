/**
 * The "escaped" mechanism of URIs (RFC 3261 §19.1.2, §25.1: escaped = "%" HEXDIG HEXDIG).
 *
 * Escapes are undone exactly once: "%2541" becomes "%41", never "A" (RFC 4475 §3.1.1.3).
 * Unescaped octets are read as UTF-8; an escaped NUL stays a NUL character (§3.1.1.4).
 */
import { HEX, PERCENT, RESERVED, isIn } from './char-classes.js';

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();
const hexDigits = '0123456789ABCDEF';

function hexValue(c: number): number {
  if (c <= 0x39) return c - 0x30;
  return (c | 0x20) - 0x61 + 10;
}

/**
 * The end of the run of characters in `flags` or escapes that starts at `start`.
 * Returns -1 if a "%" there is not followed by two hex digits.
 */
export function scanEscaped(text: string, flags: number, start: number, end = text.length): number {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === PERCENT) {
      if (i + 2 >= end) return -1;
      if (!isIn(text.charCodeAt(i + 1), HEX) || !isIn(text.charCodeAt(i + 2), HEX)) return -1;
      i += 3;
    } else if (isIn(c, flags)) {
      i++;
    } else {
      break;
    }
  }
  return i;
}

/** `scanEscaped` in bytes read one character per byte (the message parser's all-ASCII path). */
export function scanEscapedBytes(bytes: Uint8Array, flags: number, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = bytes[i]!;
    if (c === PERCENT) {
      if (i + 2 >= end) return -1;
      if (!isIn(bytes[i + 1]!, HEX) || !isIn(bytes[i + 2]!, HEX)) return -1;
      i += 3;
    } else if (isIn(c, flags)) {
      i++;
    } else {
      break;
    }
  }
  return i;
}

/** `text` with every "%" HEX HEX replaced by its octet, once; octets are decoded as UTF-8. */
export function unescape(text: string): string {
  const first = text.indexOf('%');
  if (first < 0) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PERCENT && i + 2 < text.length && isIn(text.charCodeAt(i + 1), HEX) && isIn(text.charCodeAt(i + 2), HEX)) {
      bytes.push((hexValue(text.charCodeAt(i + 1)) << 4) | hexValue(text.charCodeAt(i + 2)));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      for (const b of encoder.encode(text[i]!)) bytes.push(b);
    }
  }
  return utf8.decode(new Uint8Array(bytes));
}

/** `text` with every character outside `flags` written as %HH of its UTF-8 octets. */
export function escape(text: string, flags: number): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (!isIn(text.charCodeAt(i), flags)) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  let out = '';
  for (const b of encoder.encode(text)) {
    if (b < 0x80 && isIn(b, flags)) out += String.fromCharCode(b);
    else out += `%${hexDigits[b >> 4]!}${hexDigits[b & 15]!}`;
  }
  return out;
}

/**
 * The form in which two URI components are compared (§19.1.4): a character other than the
 * "reserved" ones is equivalent to its escape, so such escapes are undone; escapes of reserved
 * characters and of non-ASCII octets are kept, with upper-case hex.
 */
export function normalizeEscapes(text: string): string {
  if (text.indexOf('%') < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PERCENT && i + 2 < text.length) {
      const b = (hexValue(text.charCodeAt(i + 1)) << 4) | hexValue(text.charCodeAt(i + 2));
      out += b < 0x80 && !isIn(b, RESERVED) && b !== PERCENT ? String.fromCharCode(b) : `%${hexDigits[b >> 4]!}${hexDigits[b & 15]!}`;
      i += 2;
    } else {
      out += text[i]!;
    }
  }
  return out;
}
