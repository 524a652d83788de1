/**
 * Authentication header fields (RFC 3261 §20.7, §20.27, §20.28, §20.44, §22.4; digest
 * parameters from RFC 2617 and RFC 7616):
 *
 *   WWW-Authenticate / Proxy-Authenticate = HCOLON challenge
 *   Authorization / Proxy-Authorization   = HCOLON credentials
 *   challenge / credentials = auth-scheme LWS auth-param *(COMMA auth-param)
 *   auth-param = auth-param-name EQUAL ( token / quoted-string )
 *
 * Each header field holds one challenge or credentials; several are several fields. An unknown
 * scheme is read the same way (RFC 4475 §3.3.7) so it can be passed on or ignored.
 */
import { Parameters, sameName, type Parameter } from '../../grammar/parameters.js';
import { quote } from '../../grammar/quoted-string.js';
import { Scanner } from '../../grammar/scanner.js';

const COMMA = 0x2c;
const EQUAL = 0x3d;

/** A challenge (WWW-Authenticate, Proxy-Authenticate) or credentials (Authorization...). */
export class AuthHeader {
  constructor(
    /** "Digest", or another auth-scheme as written. Compare with `isScheme`. */
    readonly scheme: string,
    readonly params: Parameters = Parameters.empty,
  ) {}

  /** Case-insensitive scheme comparison ("digest" = "Digest"). */
  isScheme(scheme: string): boolean {
    return sameName(this.scheme, scheme);
  }

  param(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  get realm(): string | undefined {
    return this.param('realm');
  }

  get nonce(): string | undefined {
    return this.param('nonce');
  }

  get opaque(): string | undefined {
    return this.param('opaque');
  }

  get algorithm(): string | undefined {
    return this.param('algorithm');
  }

  /** qop values: a challenge offers a quoted list ("auth,auth-int"), credentials name one. */
  get qop(): string[] {
    const raw = this.param('qop');
    return raw === undefined ? [] : raw.split(',').map((q) => q.trim()).filter((q) => q.length > 0);
  }

  /** The stale flag of a challenge (RFC 2617 §3.2.1). */
  get stale(): boolean {
    return this.param('stale')?.toLowerCase() === 'true';
  }

  get username(): string | undefined {
    return this.param('username');
  }

  /** `scheme name=value, name="value", ...` */
  toString(): string {
    const params: string[] = [];
    for (const p of this.params) params.push(formatAuthParam(p));
    return params.length === 0 ? this.scheme : `${this.scheme} ${params.join(', ')}`;
  }
}

function formatAuthParam(p: Parameter): string {
  if (p.value === null) return p.name;
  return `${p.name}=${p.quoted ? quote(p.value) : p.value}`;
}

export function parseAuthHeader(value: string, header: string): AuthHeader {
  const s = new Scanner(value, `Bad ${header} header field`);
  s.skipWs();
  const scheme = s.token();
  s.skipWs();
  const list: Parameter[] = [];
  while (!s.done) {
    const name = s.token();
    s.expectSep(EQUAL);
    const v = s.genValue();
    list.push({ name, value: v, quoted: s.quoted });
    s.skipWs();
    if (!s.done) {
      s.expectSep(COMMA);
      if (s.done) s.fail('nothing after ","');
    }
  }
  return new AuthHeader(scheme, list.length === 0 ? Parameters.empty : new Parameters(list));
}
