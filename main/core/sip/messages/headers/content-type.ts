/**
 * Content-Type (RFC 3261 §20.15):
 *
 *   media-type  = m-type SLASH m-subtype *(SEMI m-parameter)
 *   m-parameter = m-attribute EQUAL m-value      m-value = token / quoted-string
 *
 * Type, subtype and parameter names are case-insensitive; `type` and `subtype` are kept in
 * lower case so they can be compared directly.
 */
import { Parameters, parseParameters } from '../../grammar/parameters.js';
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

export function parseMediaType(value: string): MediaType {
  const s = new Scanner(value, 'Bad Content-Type header field');
  s.skipWs();
  const type = s.token();
  s.expectSep(SLASH);
  const subtype = s.token();
  const params = parseParameters(s);
  s.expectEnd();
  return new MediaType(type, subtype, params);
}
