/**
 * Any other absoluteURI (RFC 3261 §25.1, RFC 3986 §3): kept opaque, as written. SIP elements
 * must carry URIs of schemes they do not know (RFC 4475 §3.3.2–3.3.4) without understanding them.
 */
import { ALPHA, SCHEME, URIC, isIn, spanOf } from '../grammar/char-classes.js';
import { scanEscaped } from '../grammar/percent-encoding.js';
import { SipParseError } from '../grammar/sip-parse-error.js';

/** Index of the ":" ending a scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )) at 0, or -1. */
export function schemeEnd(text: string): number {
  if (!isIn(text.charCodeAt(0), ALPHA)) return -1;
  const end = spanOf(text, SCHEME, 1);
  return text.charCodeAt(end) === 0x3a ? end : -1;
}

export class AbsoluteUri {
  readonly kind = 'absolute';
  /** The scheme in lower case. */
  readonly scheme: string;

  private constructor(private readonly text: string, colon: number) {
    this.scheme = text.slice(0, colon).toLowerCase();
  }

  static parse(text: string, reason = 'Bad URI'): AbsoluteUri {
    const colon = schemeEnd(text);
    if (colon < 0) throw new SipParseError('malformed', reason, 'no URI scheme');
    const end = scanEscaped(text, URIC, colon + 1);
    if (end !== text.length || end === colon + 1) throw new SipParseError('malformed', reason, 'bad character in URI');
    return new AbsoluteUri(text, colon);
  }

  /** Everything after "scheme:". */
  get opaque(): string {
    return this.text.slice(this.scheme.length + 1);
  }

  toString(): string {
    return this.text;
  }
}
