/**
 * Replaces (RFC 3891 §6.1):
 *
 *   Replaces = "Replaces" HCOLON callid *(SEMI replaces-param)
 *   replaces-param = to-tag / from-tag / early-flag / generic-param
 *   to-tag = "to-tag" EQUAL token     from-tag = "from-tag" EQUAL token     early-flag = "early-only"
 *
 * It also travels escaped inside a Refer-To URI ("?Replaces=..."); `parseReplaces` reads the
 * unescaped value from there too.
 */
import { WORD, spanOf } from '../../grammar/char-classes.js';
import { Parameters, parseParameters } from '../../grammar/parameters.js';
import { Scanner } from '../../grammar/scanner.js';
import { isCallId } from './call-id.js';

export class Replaces {
  constructor(
    readonly callId: string,
    readonly params: Parameters = Parameters.empty,
  ) {}

  get toTag(): string | undefined {
    return this.params.get('to-tag') ?? undefined;
  }

  get fromTag(): string | undefined {
    return this.params.get('from-tag') ?? undefined;
  }

  /** Whether only an early dialog may be replaced (RFC 3891 §3). */
  get earlyOnly(): boolean {
    return this.params.has('early-only');
  }

  toString(): string {
    return `${this.callId}${this.params.toString()}`;
  }
}

export function parseReplaces(value: string): Replaces {
  const s = new Scanner(value, 'Bad Replaces header field');
  s.skipWs();
  const start = s.pos;
  // ";" is not a word character, so the Call-ID ends at the first parameter.
  s.pos = spanOf(s.text, WORD, start);
  if (s.text.charCodeAt(s.pos) === 0x40) s.pos = spanOf(s.text, WORD, s.pos + 1);
  const callId = s.text.slice(start, s.pos);
  if (!isCallId(callId)) s.fail('bad callid');
  const params = parseParameters(s);
  s.expectEnd();
  return new Replaces(callId, params);
}
