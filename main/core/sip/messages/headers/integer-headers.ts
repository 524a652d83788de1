/**
 * Header fields whose value is one decimal number, each with the range its RFC gives:
 *
 *   Max-Forwards   = 1*DIGIT, 0..255              (RFC 3261 §20.22, §8.1.1.6)
 *   Content-Length = 1*DIGIT                      (§20.14)
 *   Expires        = delta-seconds, 0..2**32-1    (§20.19)
 *   Min-Expires    = delta-seconds                (§20.23)
 *   RSeq           = response-num, 1..2**31-1     (RFC 3262 §7.1)
 *
 * Leading zeros are allowed ("0068"); a value out of range is malformed rather than clamped.
 */
import { Scanner } from '../../grammar/scanner.js';

export const MAX_DELTA_SECONDS = 0xffffffff;

/** delta-seconds = 1*DIGIT, at most 2**32-1; undefined if `text` is not that. */
export function deltaSeconds(text: string): number | undefined {
  if (text.length === 0) return undefined;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return undefined;
    if (value <= MAX_DELTA_SECONDS) value = value * 10 + c;
  }
  return value > MAX_DELTA_SECONDS ? undefined : value;
}

/**
 * `parseInteger(text.slice(start, end), ...)`: a run of digits alone is read in place, anything
 * else by `parseInteger` (which says what is wrong).
 */
export function parseIntegerAt(text: string, start: number, end: number, header: string, min: number, max: number): number {
  let value = 0;
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    if (value <= max) value = value * 10 + c;
  }
  if (i === end && i > start && value >= min && value <= max) return value;
  return parseInteger(text.slice(start, end), header, min, max);
}

/** A header value that is one number between `min` and `max`. */
export function parseInteger(value: string, header: string, min: number, max: number): number {
  const s = new Scanner(value, `Bad ${header} header field`);
  s.skipWs();
  const n = s.number(max);
  s.expectEnd();
  if (n < min) s.fail(`number smaller than ${min}`);
  return n;
}
