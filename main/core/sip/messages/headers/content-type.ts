/**
 * Content-Type (RFC 3261 §20.15):
 *
 *   media-type  = m-type SLASH m-subtype *(SEMI m-parameter)
 *   m-parameter = m-attribute EQUAL m-value      m-value = token / quoted-string
 *
 * Type, subtype and parameter names are case-insensitive; `type` and `subtype` are kept in
 * lower case so they can be compared directly.
 */
import { TOKEN, isWsp, spanOf } from '../../grammar/char-classes.js';
import { Parameters, parseParameters, skipParameters } from '../../grammar/parameters.js';
import { Scanner } from '../../grammar/scanner.js';

const SLASH = 0x2f;

export class MediaType {
  /** Lower case, e.g. "application". */
  readonly type: string;
  /** Lower case, e.g. "sdp". */
  readonly subtype: string;

  constructor(
    type: string,
    subtype: string,
    readonly params: Parameters = Parameters.empty,
  ) {
    this.type = type.toLowerCase();
    this.subtype = subtype.toLowerCase();
  }

  /** "type/subtype", e.g. "application/sdp". */
  get mimeType(): string {
    return `${this.type}/${this.subtype}`;
  }

  /** The boundary of a multipart body (RFC 2046 §5.1.1). */
  get boundary(): string | undefined {
    return this.params.get('boundary') ?? undefined;
  }

  toString(): string {
    return `${this.mimeType}${this.params.toString()}`;
  }
}

/**
 * `value` read as below when it is "type/subtype" and parameters with no white space around
 * the "/": read in place, without a scanner. Undefined for anything else.
 */
function quickMediaType(value: string): MediaType | undefined {
  const n = value.length;
  const slash = spanOf(value, TOKEN, 0, n);
  if (slash === 0 || slash >= n || value.charCodeAt(slash) !== SLASH) return undefined;
  const subtypeEnd = spanOf(value, TOKEN, slash + 1, n);
  if (subtypeEnd === slash + 1) return undefined;
  const to = skipParameters(value, subtypeEnd, n);
  if (to < 0) return undefined;
  let end = to;
  while (end < n && isWsp(value.charCodeAt(end))) end++;
  if (end !== n) return undefined;
  const params = to === subtypeEnd ? Parameters.empty : Parameters.checked(value, subtypeEnd, to);
  return new MediaType(value.slice(0, slash), value.slice(slash + 1, subtypeEnd), params);
}

export function parseMediaType(value: string): MediaType {
  const quick = quickMediaType(value);
  if (quick !== undefined) return quick;
  const s = new Scanner(value, 'Bad Content-Type header field');
  s.skipWs();
  const type = s.token();
  s.expectSep(SLASH);
  const subtype = s.token();
  const params = parseParameters(s);
  s.expectEnd();
  return new MediaType(type, subtype, params);
}
