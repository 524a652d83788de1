/**
 * The credentials answering one Digest challenge: the value of an Authorization or
 * Proxy-Authorization header field (RFC 3261 §22.2, §22.3, §25.1 `digest-response`;
 * RFC 7616 §3.4):
 *
 *   Digest username="bob", realm="biloxi.com", nonce="…", uri="sip:bob@biloxi.com",
 *     response="…", algorithm=MD5, cnonce="…", qop=auth, nc=00000001, opaque="…"
 *
 * Quoted parameters are quoted-strings (`"` and `\` escaped); algorithm, qop and nc are tokens.
 */
import { quote } from '../grammar/quoted-string.js';
import type { DigestChallenge } from './digest-challenge.js';
import { DigestCredentialsError } from './digest-credentials-error.js';
import { computeEntityBodyHash, computeHa1, computeHa2, computeRequestDigest, computeUserhash } from './digest-response.js';
import { encodeExtValue } from './ext-value.js';
import { formatNonceCount } from './nonce-count.js';

export interface DigestCredentialsInput {
  readonly challenge: DigestChallenge;
  readonly username: string;
  readonly password: string;
  readonly method: string;
  /** The Request-URI exactly as the request carries it (RFC 3261 §22.4 item 7). */
  readonly uri: string;
  /** The message body, hashed for qop=auth-int; absent = empty. */
  readonly body?: string | Uint8Array;
  /** How many times this nonce has been used, this request included (from 1). */
  readonly nonceCount: number;
  /** The client nonce; unused for an RFC 2069 challenge (no qop). */
  readonly cnonce: string;
}

// Printable ASCII: what a quoted username can hold without `username*` (RFC 7616 §3.4.4).
const PLAIN_USERNAME = /^[\x20-\x7e]*$/;

export function createDigestCredentials(input: DigestCredentialsInput): string {
  const { challenge, username } = input;
  const { algorithm, qop, realm, nonce } = challenge;
  if (username.length === 0) throw new DigestCredentialsError(realm, 'the username is empty');

  const nc = qop === undefined ? undefined : formatNonceCount(input.nonceCount);
  const cnonce = qop === undefined ? undefined : input.cnonce;
  const ha1 = computeHa1(algorithm, { username, realm, password: input.password, nonce, cnonce });
  const entityBodyHash = qop === 'auth-int' ? computeEntityBodyHash(algorithm, input.body) : undefined;
  const ha2 = computeHa2(algorithm, { method: input.method, uri: input.uri, qop, entityBodyHash });
  const response = computeRequestDigest(algorithm, { ha1, ha2, nonce, qop, nc, cnonce });

  const params: string[] = [];
  // RFC 7616 §3.4.4: a hashed username; else a username that is not plain ASCII goes as username*.
  if (challenge.userhash) params.push(`username=${quote(computeUserhash(algorithm, username, realm))}`);
  else if (PLAIN_USERNAME.test(username)) params.push(`username=${quote(username)}`);
  else params.push(`username*=${encodeExtValue(username)}`);
  params.push(`realm=${quote(realm)}`, `nonce=${quote(nonce)}`, `uri=${quote(input.uri)}`, `response=${quote(response)}`);
  if (challenge.algorithmToken !== undefined) params.push(`algorithm=${challenge.algorithmToken}`);
  if (qop !== undefined) params.push(`cnonce=${quote(input.cnonce)}`, `qop=${qop}`, `nc=${nc ?? ''}`);
  if (challenge.opaque !== undefined) params.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.userhash) params.push('userhash=true');
  return `Digest ${params.join(', ')}`;
}
