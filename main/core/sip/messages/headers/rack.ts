/**
 * RAck (RFC 3262 §7.2):
 *
 *   RAck = "RAck" HCOLON response-num LWS CSeq-num LWS Method
 */
import { isWsp } from '../../grammar/char-classes.js';
import { Scanner } from '../../grammar/scanner.js';
import { MAX_CSEQ } from './cseq.js';

/** response-num: 1 .. 2**31-1 (RFC 3262 §3). */
export const MAX_RSEQ = 0x7fffffff;

export class RAck {
  constructor(
    readonly rseq: number,
    readonly cseq: number,
    readonly method: string,
  ) {}

  toString(): string {
    return `${this.rseq} ${this.cseq} ${this.method}`;
  }
}

export function parseRAck(value: string): RAck {
  const s = new Scanner(value, 'Bad RAck header field');
  s.skipWs();
  const rseq = s.number(MAX_RSEQ);
  if (!isWsp(s.peek())) s.fail(`expected white space at ${s.pos}`);
  s.skipWs();
  const cseq = s.number(MAX_CSEQ);
  if (!isWsp(s.peek())) s.fail(`expected white space at ${s.pos}`);
  s.skipWs();
  const method = s.token();
  s.expectEnd();
  if (rseq === 0) s.fail('response-num 0');
  return new RAck(rseq, cseq, method);
}
