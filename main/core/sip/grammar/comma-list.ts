/**
 * Splitting a header value into its list elements (RFC 3261 §7.3.1: a field whose grammar is a
 * comma-separated list may be written as one field or several). A comma inside a quoted-string
 * or inside <...> separates nothing. Linear: each quoted-string is skipped in one step.
 */
import { DQUOTE, isWsp } from './char-classes.js';
import { scanQuotedString } from './quoted-string.js';

const COMMA = 0x2c;
const LAQUOT = 0x3c;
const RAQUOT = 0x3e;

export function splitCommaList(value: string): string[] {
  const items: string[] = [];
  const n = value.length;
  let start = 0;
  let inAngle = false;
  const push = (end: number) => {
    let a = start;
    let b = end;
    while (a < b && isWsp(value.charCodeAt(a))) a++;
    while (b > a && isWsp(value.charCodeAt(b - 1))) b--;
    if (b > a) items.push(value.slice(a, b));
  };
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === DQUOTE) {
      const after = scanQuotedString(value, i, n);
      if (after < 0) break;
      i = after - 1;
    } else if (c === LAQUOT) {
      inAngle = true;
    } else if (c === RAQUOT) {
      inAngle = false;
    } else if (c === COMMA && !inAngle) {
      push(i);
      start = i + 1;
    }
  }
  push(n);
  return items;
}
