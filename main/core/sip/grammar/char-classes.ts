/**
 * Character classes of the SIP grammar (RFC 3261 §25.1), as one lookup table of bit flags so
 * every scanner tests a character with one array read instead of a regular expression.
 * Only US-ASCII is classified: every class here is ASCII-only, so a code ≥ 128 is in none.
 */

/** token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" */
export const TOKEN = 1 << 0;
/** word (Call-ID): token characters plus ( ) < > : \ DQUOTE / [ ] ? { } */
export const WORD = 1 << 1;
/** unreserved = alphanum / mark (RFC 3261 §25.1, after RFC 2396) */
export const UNRESERVED = 1 << 2;
/** user = 1*( unreserved / escaped / user-unreserved ), without the escape */
export const USER = 1 << 3;
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ), without the escape */
export const PASSWORD = 1 << 4;
/** paramchar = param-unreserved / unreserved / escaped, without the escape */
export const PARAM = 1 << 5;
/** hname / hvalue = *( hnv-unreserved / unreserved / escaped ), without the escape */
export const HNV = 1 << 6;
/** The characters a hostname or IPv4address is made of (plus "_", seen in the wild). */
export const HOST = 1 << 7;
export const DIGIT = 1 << 8;
export const HEX = 1 << 9;
export const ALPHA = 1 << 10;
/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) — the characters after the first */
export const SCHEME = 1 << 11;
/** reserved = ";" / "/" / "?" / ":" / "@" / "&" / "=" / "+" / "$" / "," */
export const RESERVED = 1 << 12;
/** uric = reserved / unreserved / escaped, plus "#", "[" and "]" of RFC 3986 (absoluteURI) */
export const URIC = 1 << 13;
/** A generic-param value when not quoted: token / host, so ":" "[" "]" for IPv6 too. */
export const GEN_VALUE = 1 << 14;

const table = new Uint16Array(128);

function add(chars: string, flags: number): void {
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)]! |= flags;
}

const alpha = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';
const alphanum = alpha + digits;
const mark = "-_.!~*'()";

add(alpha, ALPHA);
add('abcdefABCDEF' + digits, HEX);
add(digits, DIGIT);
add(alphanum, TOKEN | WORD | UNRESERVED | USER | PASSWORD | PARAM | HNV | HOST | SCHEME | URIC | GEN_VALUE);
add("-.!%*_+`'~", TOKEN | WORD | GEN_VALUE);
add('()<>:\\"/[]?{}', WORD);
add(mark, UNRESERVED | USER | PASSWORD | PARAM | HNV | URIC);
add('&=+$,;?/', USER);
add('&=+$,', PASSWORD);
add('[]/:&+$', PARAM);
add('[]/?:+$', HNV);
add('-._', HOST);
add('+-.', SCHEME);
add(';/?:@&=+$,', RESERVED | URIC);
add('#[]%', URIC);
add(':[]', GEN_VALUE);

/** Whether the character code `c` is in one of the classes of `flags`. */
export function isIn(c: number, flags: number): boolean {
  return c < 128 && (table[c]! & flags) !== 0;
}

/** Whether every character of `text` from `start` to `end` is in `flags` (and there is at least one). */
export function allIn(text: string, flags: number, start = 0, end = text.length): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (table[c]! & flags) === 0) return false;
  }
  return true;
}

/** Index of the first character at or after `start` that is not in `flags`, or `end`. */
export function spanOf(text: string, flags: number, start: number, end = text.length): number {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (table[c]! & flags) === 0) break;
    i++;
  }
  return i;
}

/** `spanOf` in bytes read one character per byte (the message parser's all-ASCII path). */
export function spanOfBytes(bytes: Uint8Array, flags: number, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = bytes[i]!;
    if (c >= 128 || (table[c]! & flags) === 0) break;
    i++;
  }
  return i;
}

export const SP = 0x20;
export const HTAB = 0x09;
export const CR = 0x0d;
export const LF = 0x0a;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const PERCENT = 0x25;

export function isWsp(c: number): boolean {
  return c === SP || c === HTAB;
}
