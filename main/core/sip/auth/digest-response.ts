/**
 * The digest computation (RFC 7616 §3.4.1–§3.4.3, RFC 2617 §3.2.2, RFC 3261 §22.4):
 *
 *   HA1      = H(username ":" realm ":" password)                 algorithm without -sess
 *   HA1      = H(H(username ":" realm ":" password) ":" nonce ":" cnonce)        -sess
 *   HA2      = H(method ":" uri)                                  qop=auth or no qop
 *   HA2      = H(method ":" uri ":" H(entity-body))               qop=auth-int
 *   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)  qop present
 *   response = H(HA1 ":" nonce ":" HA2)                           no qop (RFC 2069)
 *
 * Each step is its own function so that test vectors giving only intermediate values (a body's
 * hash, an HA1) can be checked.
 */
import { digestHash, type DigestAlgorithm } from './digest-algorithm.js';
import type { Qop } from './qop.js';

export interface Ha1Input {
  readonly username: string;
  readonly realm: string;
  readonly password: string;
  /** Needed by -sess algorithms only. */
  readonly nonce?: string;
  readonly cnonce?: string;
}

export function computeHa1(algorithm: DigestAlgorithm, input: Ha1Input): string {
  const secret = digestHash(algorithm, `${input.username}:${input.realm}:${input.password}`);
  if (!algorithm.session) return secret;
  // RFC 7616 §3.4.2: the session key binds the server's nonce and the client's cnonce.
  if (input.nonce === undefined || input.cnonce === undefined) throw new Error(`${algorithm.name} needs the nonce and the cnonce`);
  return digestHash(algorithm, `${secret}:${input.nonce}:${input.cnonce}`);
}

/** H(entity-body) for auth-int; no body is hashed as the empty string (RFC 3261 §22.4 item 8). */
export function computeEntityBodyHash(algorithm: DigestAlgorithm, body: string | Uint8Array | undefined): string {
  return digestHash(algorithm, body ?? '');
}

export interface Ha2Input {
  readonly method: string;
  /** The digest-uri: the Request-URI as sent (RFC 3261 §22.4 item 7). */
  readonly uri: string;
  readonly qop: Qop | undefined;
  /** H(entity-body), used with qop=auth-int only. */
  readonly entityBodyHash?: string;
}

export function computeHa2(algorithm: DigestAlgorithm, input: Ha2Input): string {
  if (input.qop !== 'auth-int') return digestHash(algorithm, `${input.method}:${input.uri}`);
  if (input.entityBodyHash === undefined) throw new Error('qop=auth-int needs the hash of the body');
  return digestHash(algorithm, `${input.method}:${input.uri}:${input.entityBodyHash}`);
}

export interface RequestDigestInput {
  readonly ha1: string;
  readonly ha2: string;
  readonly nonce: string;
  /** Absent: the RFC 2069 form, without nc and cnonce. */
  readonly qop: Qop | undefined;
  /** nc-value, 8 hex digits. */
  readonly nc?: string;
  readonly cnonce?: string;
}

/** The request-digest, the `response` parameter (RFC 7616 §3.4.1 KD(secret, data) = H(secret:data)). */
export function computeRequestDigest(algorithm: DigestAlgorithm, input: RequestDigestInput): string {
  if (input.qop === undefined) return digestHash(algorithm, `${input.ha1}:${input.nonce}:${input.ha2}`);
  if (input.nc === undefined || input.cnonce === undefined) throw new Error(`qop=${input.qop} needs nc and cnonce`);
  return digestHash(algorithm, `${input.ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${input.ha2}`);
}

/** userhash (RFC 7616 §3.4.4): username = H(username ":" realm), with the algorithm's own hash. */
export function computeUserhash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return digestHash(algorithm, `${username}:${realm}`);
}
