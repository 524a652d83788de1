/**
 * A Digest challenge read from a WWW-Authenticate or Proxy-Authenticate value (RFC 3261 §22.1,
 * §25.1 `digest-cln`; RFC 7616 §3.3). The input is a plain `{ scheme, params }`: the message
 * layer's `AuthHeader` fits it, and so does anything a test builds by hand.
 *
 * Reading never throws: a challenge this stack cannot answer comes back with the reason, so the
 * caller can ignore it and log why (RFC 8760 §2.4: unsupported challenges are ignored).
 */
import { digestAlgorithm, type DigestAlgorithm } from './digest-algorithm.js';
import { chooseQop, type Qop } from './qop.js';

export interface AuthParamInput {
  readonly name: string;
  /** null for a parameter written without a value. */
  readonly value: string | null;
}

export interface ChallengeInput {
  readonly scheme: string;
  readonly params: Iterable<AuthParamInput>;
}

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  /** Echoed unchanged in the credentials (RFC 7616 §3.3). */
  readonly opaque: string | undefined;
  readonly algorithm: DigestAlgorithm;
  /** The `algorithm` token as the server wrote it, echoed back; undefined when absent (MD5). */
  readonly algorithmToken: string | undefined;
  /** The values the server offers; empty for an RFC 2069 challenge. */
  readonly qopOptions: readonly string[];
  /** The one we answer with (`chooseQop`); undefined for an RFC 2069 challenge. */
  readonly qop: Qop | undefined;
  /** The previous nonce was only too old; the credentials were right (RFC 7616 §3.3). */
  readonly stale: boolean;
  /** The server wants the username hashed (RFC 7616 §3.4.4). */
  readonly userhash: boolean;
}

export type ChallengeReading =
  | { readonly ok: true; readonly challenge: DigestChallenge }
  | { readonly ok: false; readonly reason: string; readonly realm: string | undefined };

/** A control character other than HTAB cannot be echoed in a quoted-string (RFC 3261 §25.1). */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

export function readDigestChallenge(input: ChallengeInput): ChallengeReading {
  const values = new Map<string, string | null>();
  let duplicate: string | undefined;
  for (const p of input.params) {
    const name = p.name.toLowerCase();
    if (values.has(name)) duplicate ??= name;
    else values.set(name, p.value);
  }
  const realm = values.get('realm') ?? undefined;
  const fail = (reason: string): ChallengeReading => ({ ok: false, reason, realm });

  if (input.scheme.toLowerCase() !== 'digest') return fail(`scheme "${input.scheme}" is not supported`);
  // RFC 7235 §2.1: each parameter name occurs only once in a challenge.
  if (duplicate !== undefined) return fail(`parameter "${duplicate}" appears more than once`);
  if (realm === undefined) return fail('no realm');
  const nonce = values.get('nonce') ?? undefined;
  if (nonce === undefined) return fail('no nonce');
  const opaque = values.get('opaque') ?? undefined;
  for (const [name, value] of [['realm', realm], ['nonce', nonce], ['opaque', opaque]] as const) {
    if (value !== undefined && hasControl(value)) return fail(`control character in ${name}`);
  }

  const algorithmToken = values.get('algorithm') ?? undefined;
  const algorithm = digestAlgorithm(algorithmToken);
  if (algorithm === undefined) return fail(`algorithm "${algorithmToken ?? ''}" is not supported`);

  const qopOptions = (values.get('qop') ?? '').split(',').map((q) => q.trim()).filter((q) => q.length > 0);
  const qop = chooseQop(qopOptions);
  if (qopOptions.length > 0 && qop === undefined) return fail(`no supported qop in "${qopOptions.join(',')}"`);
  // RFC 2617 §3.2.2.2: a session key needs the cnonce, which is sent only along with a qop.
  if (algorithm.session && qop === undefined) return fail(`${algorithm.name} without qop cannot be answered`);

  return {
    ok: true,
    challenge: {
      realm,
      nonce,
      opaque,
      algorithm,
      algorithmToken,
      qopOptions,
      qop,
      stale: values.get('stale')?.toLowerCase() === 'true',
      userhash: values.get('userhash')?.toLowerCase() === 'true',
    },
  };
}
