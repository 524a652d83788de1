/**
 * CSeq (RFC 3261 §20.16, §8.1.1.5):
 *
 *   CSeq = "CSeq" HCOLON 1*DIGIT LWS Method
 *
 * "The sequence number MUST be expressible as a 32-bit unsigned integer": a larger one is
 * malformed (RFC 4475 §3.1.2.4, §3.1.2.5). Methods are case-sensitive (§7.1).
 */
import { isWsp } from '../../grammar/char-classes.js';
import { Scanner } from '../../grammar/scanner.js';

export const MAX_CSEQ = 0xffffffff;

export class CSeq {
  constructor(
    readonly seq: number,
    readonly method: string,
  ) {}

  toString(): string {
    return `${this.seq} ${this.method}`;
  }
}

/** The usual methods, so a parsed CSeq shares one string rather than holding a copy. */
const METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'NOTIFY', 'SUBSCRIBE', 'REFER', 'MESSAGE', 'INFO', 'PRACK', 'UPDATE', 'PUBLISH'];

/**
 * `text` from `start` to `n` read as below when it is "digits SP method" exactly, the method a
 * usual one; undefined otherwise.
 */
function quickCSeq(text: string, start: number, n: number, bytes?: Uint8Array, d = 0): CSeq | undefined {
  let seq = 0;
  let i = start;
  for (; i < n; i++) {
    const c = bytes !== undefined ? bytes[i + d]! : text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    if (seq <= MAX_CSEQ) seq = seq * 10 + (c - 0x30);
  }
  if (i === start || seq > MAX_CSEQ || i >= n || text.charCodeAt(i) !== 0x20) return undefined;
  const method = usualMethodAt(text, i + 1, n);
  return method === undefined ? undefined : new CSeq(seq, method);
}

/** The usual method written in `text` from `start` to `end`, as one shared string; or undefined. */
export function usualMethodAt(text: string, start: number, end: number): string | undefined {
  const length = end - start;
  // Compared code by code (`startsWith` at an offset costs several times as much), the first
  // code and the length first: most methods differ there.
  const first = text.charCodeAt(start);
  for (let k = 0; k < METHODS.length; k++) {
    const m = METHODS[k]!;
    if (m.length !== length || m.charCodeAt(0) !== first) continue;
    let i = 1;
    while (i < length && text.charCodeAt(start + i) === m.charCodeAt(i)) i++;
    if (i === length) return m;
  }
  return undefined;
}

/** `parseCSeq(text.slice(start, end))`, read in place when in the usual form. */
export function parseCSeqAt(text: string, start: number, end: number, bytes?: Uint8Array, d = 0): CSeq {
  return quickCSeq(text, start, end, bytes, d) ?? parseCSeq(text.slice(start, end));
}

export function parseCSeq(value: string): CSeq {
  const quick = quickCSeq(value, 0, value.length);
  if (quick !== undefined) return quick;
  const s = new Scanner(value, 'Bad CSeq header field');
  s.skipWs();
  const seq = s.number(MAX_CSEQ);
  if (!isWsp(s.peek())) s.fail(`expected white space at ${s.pos}`);
  s.skipWs();
  const method = s.token();
  s.expectEnd();
  return new CSeq(seq, method);
}
