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

export function parseCSeq(value: string): CSeq {
  const s = new Scanner(value, 'Bad CSeq header field');
  s.skipWs();
  const seq = s.number(MAX_CSEQ);
  if (!isWsp(s.peek())) s.fail(`expected white space at ${s.pos}`);
  s.skipWs();
  const method = s.token();
  s.expectEnd();
  return new CSeq(seq, method);
}
