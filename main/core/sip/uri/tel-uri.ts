/**
 * tel URIs (RFC 3966 §3):
 *
 *   telephone-uri = "tel:" telephone-subscriber
 *   global-number = "+" *phonedigit DIGIT *phonedigit *par
 *   local-number  = local-number-digits *par context *par
 *   par = ";" pname [ "=" pvalue ]     (ext, isub, phone-context, or any other)
 *
 * Kept as written, like `SipUri`. A local number without phone-context is accepted although
 * RFC 3966 §5.1.5 requires one: such URIs ("tel:100") are common and carry no ambiguity for a
 * phone that only dials them.
 */
import { ALPHA, DIGIT, HEX, PARAM, isIn } from '../grammar/char-classes.js';
import { sameName } from '../grammar/parameters.js';
import { escape, scanEscaped, unescape } from '../grammar/percent-encoding.js';
import { SipParseError } from '../grammar/sip-parse-error.js';
import type { UriComponent } from './sip-uri.js';

const VISUAL_SEPARATORS = '-.()';

function isPhoneDigit(c: number, local: boolean): boolean {
  if (isIn(c, DIGIT)) return true;
  if (local && (isIn(c, HEX) || c === 0x2a || c === 0x23)) return true;
  return VISUAL_SEPARATORS.includes(String.fromCharCode(c));
}

/** The number without visual separators, in lower case (RFC 3966 §4). */
export function stripVisualSeparators(number: string): string {
  return number.replace(/[-.()]/g, '').toLowerCase();
}

function isPnameChar(c: number): boolean {
  return c === 0x2d || isIn(c, ALPHA | DIGIT);
}

/** pname = 1*( alphanum / "-" ) */
function isPname(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isPnameChar(text.charCodeAt(i))) return false;
  return true;
}

export class TelUri {
  readonly kind = 'tel';
  readonly scheme = 'tel';
  private text: string | undefined;

  private constructor(
    readonly schemeText: string,
    /** The number as written, with its "+" and visual separators. */
    readonly number: string,
    /** Parameters as written, in order. */
    readonly paramList: readonly UriComponent[],
    text?: string,
  ) {
    this.text = text;
  }

  static parse(text: string, reason = 'Bad tel URI'): TelUri {
    const fail = (detail: string): never => {
      throw new SipParseError('malformed', reason, detail);
    };
    const colon = text.indexOf(':');
    const schemeText = text.slice(0, colon < 0 ? 0 : colon);
    if (schemeText.toLowerCase() !== 'tel') fail('not a tel URI');
    const n = text.length;
    let i = colon + 1;
    const global = text.charCodeAt(i) === 0x2b;
    const start = global ? i + 1 : i;
    let end = start;
    let digits = 0;
    while (end < n && isPhoneDigit(text.charCodeAt(end), !global)) {
      if (!VISUAL_SEPARATORS.includes(text[end]!)) digits++;
      end++;
    }
    if (digits === 0) fail('no digits in the number');
    const number = text.slice(i, end);
    i = end;
    const paramList: UriComponent[] = [];
    while (text.charCodeAt(i) === 0x3b) {
      let nameEnd = i + 1;
      while (nameEnd < n && isPnameChar(text.charCodeAt(nameEnd))) nameEnd++;
      if (nameEnd === i + 1) fail('bad parameter name');
      const name = text.slice(i + 1, nameEnd);
      i = nameEnd;
      let value: string | null = null;
      if (text.charCodeAt(i) === 0x3d) {
        const valueEnd = scanEscaped(text, PARAM, i + 1, n);
        if (valueEnd <= i + 1) fail('bad parameter value');
        value = text.slice(i + 1, valueEnd);
        i = valueEnd;
      }
      paramList.push({ name, value });
    }
    if (i !== n) fail(`unexpected character at ${i}`);
    return new TelUri(schemeText, number, paramList, text);
  }

  /** Builds a tel URI; parameters are given without escapes. Throws a RangeError on bad input. */
  static from(number: string, params: Record<string, string | null> = {}): TelUri {
    const list = Object.entries(params).map(([name, value]): UriComponent => {
      if (!isPname(name)) throw new RangeError(`not a tel URI parameter name: ${JSON.stringify(name)}`);
      return { name, value: value === null ? null : escape(value, PARAM) };
    });
    const uri = new TelUri('tel', number, list);
    try {
      return TelUri.parse(uri.toString());
    } catch {
      throw new RangeError(`not a telephone number: ${JSON.stringify(number)}`);
    }
  }

  /** Whether the number is global ("+" and an E.164 number) rather than local. */
  get isGlobal(): boolean {
    return this.number.startsWith('+');
  }

  param(name: string): string | null | undefined {
    for (const p of this.paramList) if (sameName(p.name, name)) return p.value === null ? null : unescape(p.value);
    return undefined;
  }

  get phoneContext(): string | undefined {
    return this.param('phone-context') ?? undefined;
  }

  get extension(): string | undefined {
    return this.param('ext') ?? undefined;
  }

  toString(): string {
    if (this.text !== undefined) return this.text;
    let out = `${this.schemeText}:${this.number}`;
    for (const p of this.paramList) out += p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`;
    this.text = out;
    return out;
  }
}
