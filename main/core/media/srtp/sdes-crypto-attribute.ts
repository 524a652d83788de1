/**
 * SDES keying (RFC 4568): the a=crypto attribute, read and written as §9.1's grammar has it.
 *
 *   a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20
 *            tag suite                   key-method:key||salt (base64)          |lifetime
 *
 * We read one inline key without MKI (§6.1: an MKI exists to switch between several keys, which
 * we never do) and refuse, with a reason, everything else — other suites, MKI, more keys, and
 * session parameters that change SRTP's behaviour.
 */
import { randomBytes } from 'node:crypto';
import { isSrtpCryptoSuiteName, SRTP_CRYPTO_SUITES, type SrtpCryptoSuiteName } from './srtp-crypto-suite.js';
import type { SrtpKeyMaterial } from './srtp-context.js';

export type SdesCryptoErrorCode =
  /** Not the §9.1 grammar. */
  | 'malformed'
  /** A crypto suite we do not implement (§6.2, RFC 7714 §14.2 are what we know). */
  | 'unknown_suite'
  /** An MKI, or more than one key (§6.1): we key each direction once. */
  | 'mki_unsupported'
  /** The key||salt is not the length the suite needs (§6.1). */
  | 'bad_key_length'
  /** A session parameter we do not honour (§6.3): KDR, UNENCRYPTED_*, UNAUTHENTICATED_SRTP, FEC_*, unknown ones. */
  | 'unsupported_parameter';

export class SdesCryptoError extends Error {
  override readonly name: string = 'SdesCryptoError';

  constructor(
    readonly code: SdesCryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SdesCrypto {
  /** §9.1: 1 to 9 digits; the answer repeats the tag of the offer it accepts (§7.1.2). */
  readonly tag: number;
  readonly suite: SrtpCryptoSuiteName;
  readonly masterKey: Uint8Array;
  readonly masterSalt: Uint8Array;
  /** Packets the key may protect (§6.1 lifetime), when given. */
  readonly lifetime?: number;
  /** §6.3.7 WSH: the replay window the sender suggests, at least 64. */
  readonly windowSizeHint?: number;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_LIFETIME_EXPONENT = 48;

function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Node's decoder is lenient; insist that the text is the canonical encoding of what it decoded.
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

function parseLifetime(text: string): number {
  const match = /^(2\^)?(\d{1,16})$/.exec(text);
  if (!match?.[2]) throw new SdesCryptoError('malformed', `lifetime is not [2^]digits: ${text}`);
  const value = Number(match[2]);
  if (match[1]) {
    if (value > MAX_LIFETIME_EXPONENT) throw new SdesCryptoError('malformed', `lifetime 2^${value} exceeds SRTP's 2^48 (RFC 3711 §9.2)`);
    return 2 ** value;
  }
  if (value === 0 || value > 2 ** MAX_LIFETIME_EXPONENT) throw new SdesCryptoError('malformed', `lifetime out of range: ${text}`);
  return value;
}

/** Reads an a=crypto value, with or without the `a=crypto:` prefix. */
export function parseSdesCrypto(line: string): SdesCrypto {
  const value = line.startsWith('a=crypto:') ? line.slice('a=crypto:'.length) : line;
  const fields = value.trim().split(/[ \t]+/);
  const [tagText, suiteName, keyParams, ...sessionParams] = fields;
  if (tagText === undefined || suiteName === undefined || keyParams === undefined || !/^\d{1,9}$/.test(tagText)) {
    throw new SdesCryptoError('malformed', `not "tag suite key-params": ${value}`);
  }
  if (!isSrtpCryptoSuiteName(suiteName)) throw new SdesCryptoError('unknown_suite', `crypto suite ${suiteName} is not supported`);
  const suite = SRTP_CRYPTO_SUITES[suiteName];
  if (keyParams.includes(';')) throw new SdesCryptoError('mki_unsupported', 'several keys (needs MKI) are not supported');
  if (!keyParams.startsWith('inline:')) throw new SdesCryptoError('malformed', `key method must be inline: ${keyParams}`);
  const [keySalt = '', lifetimeText, mki, ...rest] = keyParams.slice('inline:'.length).split('|');
  if (rest.length > 0) throw new SdesCryptoError('malformed', 'too many | in the key parameter');
  // §9.1: lifetime and MKI are both optional; an MKI is the one with a colon.
  let lifetime: number | undefined;
  if (lifetimeText !== undefined && lifetimeText.includes(':')) throw new SdesCryptoError('mki_unsupported', `MKI ${lifetimeText} is not supported`);
  if (lifetimeText !== undefined) lifetime = parseLifetime(lifetimeText);
  if (mki !== undefined) throw new SdesCryptoError('mki_unsupported', `MKI ${mki} is not supported`);
  const material = decodeBase64(keySalt);
  if (!material) throw new SdesCryptoError('malformed', 'key||salt is not base64');
  if (material.length !== suite.keyLength + suite.saltLength) {
    throw new SdesCryptoError('bad_key_length', `${suiteName} needs ${suite.keyLength + suite.saltLength} octets of key||salt, got ${material.length}`);
  }
  let windowSizeHint: number | undefined;
  for (const param of sessionParams) {
    const wsh = /^WSH=(\d{2,5})$/.exec(param);
    if (wsh?.[1] && Number(wsh[1]) >= 64) windowSizeHint = Number(wsh[1]);
    else throw new SdesCryptoError('unsupported_parameter', `session parameter ${param} is not supported`);
  }
  return {
    tag: Number(tagText),
    suite: suiteName,
    masterKey: material.slice(0, suite.keyLength),
    masterSalt: material.slice(suite.keyLength),
    ...(lifetime === undefined ? {} : { lifetime }),
    ...(windowSizeHint === undefined ? {} : { windowSizeHint }),
  };
}

/** Writes an a=crypto value without the `a=crypto:` prefix, as the SDP module carries them. */
export function formatSdesCrypto(crypto: SdesCrypto): string {
  const suite = SRTP_CRYPTO_SUITES[crypto.suite];
  if (!Number.isInteger(crypto.tag) || crypto.tag < 0 || crypto.tag > 999_999_999) throw new RangeError(`tag must have 1-9 digits: ${crypto.tag}`);
  if (crypto.masterKey.length !== suite.keyLength || crypto.masterSalt.length !== suite.saltLength) throw new RangeError(`key or salt length wrong for ${crypto.suite}`);
  const material = Buffer.concat([crypto.masterKey, crypto.masterSalt]).toString('base64');
  let line = `${crypto.tag} ${crypto.suite} inline:${material}`;
  if (crypto.lifetime !== undefined) {
    const exponent = Math.log2(crypto.lifetime);
    line += Number.isInteger(exponent) ? `|2^${exponent}` : `|${crypto.lifetime}`;
  }
  if (crypto.windowSizeHint !== undefined) line += ` WSH=${crypto.windowSizeHint}`;
  return line;
}

/** A fresh master key and salt from node:crypto's CSPRNG (RFC 4568 §6.1, RFC 3711 §8.1). */
export function generateSdesCrypto(tag: number, suite: SrtpCryptoSuiteName, random: (size: number) => Uint8Array = randomBytes): SdesCrypto {
  const { keyLength, saltLength } = SRTP_CRYPTO_SUITES[suite];
  const material = random(keyLength + saltLength);
  if (material.length !== keyLength + saltLength) throw new RangeError('random source returned the wrong length');
  return { tag, suite, masterKey: material.slice(0, keyLength), masterSalt: material.slice(keyLength) };
}

/**
 * RFC 4568 §7.1.2: the answerer picks one offered line it supports, in the offer's order, and
 * answers with its own key under the same tag and suite. Undefined when none is acceptable.
 */
export function answerSdesCrypto(offered: readonly string[], random?: (size: number) => Uint8Array): { remote: SdesCrypto; local: SdesCrypto } | undefined {
  for (const line of offered) {
    let remote: SdesCrypto;
    try {
      remote = parseSdesCrypto(line);
    } catch (error: unknown) {
      if (error instanceof SdesCryptoError) continue;
      throw error;
    }
    return { remote, local: generateSdesCrypto(remote.tag, remote.suite, random) };
  }
  return undefined;
}

/** The key material an SrtpContext needs. */
export function srtpKeyMaterial(crypto: SdesCrypto): SrtpKeyMaterial {
  return {
    suite: crypto.suite,
    masterKey: crypto.masterKey,
    masterSalt: crypto.masterSalt,
    ...(crypto.lifetime === undefined ? {} : { lifetime: crypto.lifetime }),
  };
}
