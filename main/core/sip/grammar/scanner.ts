/**
 * A cursor over one header field value, with the separators of RFC 3261 §25.1:
 *
 *   SWS = [LWS]           LWS = [*WSP CRLF] 1*WSP
 *   SEMI = SWS ";" SWS    COMMA = SWS "," SWS    EQUAL = SWS "=" SWS    SLASH = SWS "/" SWS
 *
 * Values reach it already unfolded (each fold is one SP), so LWS is just a run of SP / HTAB.
 * Every method moves forward only, so a scan is linear in the length of the value.
 */
import { DIGIT, DQUOTE, GEN_VALUE, TOKEN, isIn, isWsp, spanOf } from './char-classes.js';
import { scanQuotedString, unquote } from './quoted-string.js';
import { SipParseError } from './sip-parse-error.js';

export class Scanner {
  pos: number;
  /** Whether the last `genValue()` was a quoted-string. */
  quoted = false;

  constructor(
    readonly text: string,
    /** The Reason-Phrase for a failure here, e.g. "Bad Via header field". */
    readonly reason: string,
    start = 0,
    readonly end = text.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The character code at the cursor, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  skipWs(): void {
    while (this.pos < this.end && isWsp(this.text.charCodeAt(this.pos))) this.pos++;
  }

  /** SWS c SWS: consumes the separator `c` with the white space around it, if it is next. */
  eatSep(c: number): boolean {
    this.skipWs();
    if (this.peek() !== c) return false;
    this.pos++;
    this.skipWs();
    return true;
  }

  expectSep(c: number): void {
    if (!this.eatSep(c)) this.fail(`expected "${String.fromCharCode(c)}" at ${this.pos}`);
  }

  /** A token (1*token-char). */
  token(): string {
    const start = this.pos;
    this.pos = spanOf(this.text, TOKEN, start, this.end);
    if (this.pos === start) this.fail(`expected a token at ${start}`);
    return this.text.slice(start, this.pos);
  }

  /** A run of characters in `flags`, at least one. */
  run(flags: number, what: string): string {
    const start = this.pos;
    this.pos = spanOf(this.text, flags, start, this.end);
    if (this.pos === start) this.fail(`expected ${what} at ${start}`);
    return this.text.slice(start, this.pos);
  }

  /** A quoted-string at the cursor, returned with its quoted-pairs undone. */
  quotedString(): string {
    const start = this.pos;
    if (this.peek() !== DQUOTE) this.fail(`expected a quoted-string at ${start}`);
    const after = scanQuotedString(this.text, start, this.end);
    if (after < 0) this.fail(`unterminated quoted-string at ${start}`);
    this.pos = after;
    return unquote(this.text, start, after);
  }

  /**
   * gen-value = token / host / quoted-string. `quoted` then says which form was used: it
   * matters for some parameters (RFC 3840 feature tags) and is kept for writing the value back.
   */
  genValue(): string {
    this.quoted = this.peek() === DQUOTE;
    return this.quoted ? this.quotedString() : this.run(GEN_VALUE, 'a parameter value');
  }

  /** Moves past a gen-value as `genValue` reads it, without making its string. */
  skipGenValue(): void {
    const start = this.pos;
    if (this.peek() === DQUOTE) {
      const after = scanQuotedString(this.text, start, this.end);
      if (after < 0) this.fail(`unterminated quoted-string at ${start}`);
      this.pos = after;
    } else {
      this.pos = spanOf(this.text, GEN_VALUE, start, this.end);
      if (this.pos === start) this.fail(`expected a parameter value at ${start}`);
    }
  }

  /**
   * 1*DIGIT as a number no greater than `max`. Leading zeros are allowed ("0068"); a longer
   * run is still scanned to its end, so a huge value costs its length and no more.
   */
  number(max: number): number {
    const start = this.pos;
    let value = 0;
    while (this.pos < this.end && isIn(this.text.charCodeAt(this.pos), DIGIT)) {
      if (value <= max) value = value * 10 + (this.text.charCodeAt(this.pos) - 0x30);
      this.pos++;
    }
    if (this.pos === start) this.fail(`expected digits at ${start}`);
    if (value > max) this.fail(`number at ${start} is larger than ${max}`);
    return value;
  }

  /** Requires that only white space is left. */
  expectEnd(): void {
    this.skipWs();
    if (this.pos < this.end) this.fail(`unexpected character at ${this.pos}`);
  }

  fail(detail: string): never {
    throw new SipParseError('malformed', this.reason, detail);
  }
}
