/**
 * Digest hash algorithms (RFC 7616 §3.3, §6.1; RFC 8760 §2 brings SHA-256 and SHA-512/256 to
 * SIP). A `-sess` variant differs only in how HA1 is built (RFC 7616 §3.4.2).
 */
import { createHash, getHashes } from 'node:crypto';

export type DigestAlgorithmName = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export interface DigestAlgorithm {
  readonly name: DigestAlgorithmName;
  /** The node:crypto hash. "SHA-512-256" is FIPS 180-4 SHA-512/256 (RFC 7616 §3.3; see erratum 4897). */
  readonly hash: 'md5' | 'sha256' | 'sha512-256';
  /** A `-sess` algorithm: HA1 binds the nonce and cnonce (RFC 7616 §3.4.2). */
  readonly session: boolean;
  /** Higher is stronger: SHA-512-256 > SHA-256 > MD5 (RFC 8760 §2.4, RFC 7616 §3.7). */
  readonly strength: number;
}

const TABLE: readonly DigestAlgorithm[] = [
  { name: 'MD5', hash: 'md5', session: false, strength: 1 },
  { name: 'MD5-sess', hash: 'md5', session: true, strength: 1 },
  { name: 'SHA-256', hash: 'sha256', session: false, strength: 2 },
  { name: 'SHA-256-sess', hash: 'sha256', session: true, strength: 2 },
  { name: 'SHA-512-256', hash: 'sha512-256', session: false, strength: 3 },
  { name: 'SHA-512-256-sess', hash: 'sha512-256', session: true, strength: 3 },
];

/** The algorithms this Node's OpenSSL can compute; a challenge naming another one is ignored. */
export const supportedDigestAlgorithms: readonly DigestAlgorithm[] = (() => {
  const available = new Set(getHashes());
  return TABLE.filter((a) => available.has(a.hash));
})();

/**
 * The algorithm a challenge's `algorithm` parameter names, compared case-insensitively; an
 * absent parameter means MD5 (RFC 7616 §3.3, RFC 2617 §3.2.1). undefined if not supported.
 */
export function digestAlgorithm(token: string | undefined): DigestAlgorithm | undefined {
  const wanted = (token ?? 'MD5').toLowerCase();
  return supportedDigestAlgorithms.find((a) => a.name.toLowerCase() === wanted);
}

/** H(data) as lower-case hex (RFC 7616 §3.4.1); text is hashed as UTF-8. */
export function digestHash(algorithm: DigestAlgorithm, data: string | Uint8Array): string {
  return createHash(algorithm.hash).update(data).digest('hex');
}
