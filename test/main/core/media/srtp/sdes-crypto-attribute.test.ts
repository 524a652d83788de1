import { describe, expect, it } from 'vitest';
import {
  answerSdesCrypto,
  formatSdesCrypto,
  generateSdesCrypto,
  parseSdesCrypto,
  SdesCryptoError,
  srtpKeyMaterial,
  type SdesCryptoErrorCode,
} from '../../../../../main/core/media/srtp/sdes-crypto-attribute.js';
import { SrtpSession } from '../../../../../main/core/media/srtp/srtp-context.js';

// The key of RFC 4568 §8.1's example offer (30 octets: 16 key, 14 salt).
const KEY = 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz';

function parseError(line: string): SdesCryptoErrorCode {
  try {
    parseSdesCrypto(line);
  } catch (error: unknown) {
    if (error instanceof SdesCryptoError) return error.code;
    throw error;
  }
  throw new Error(`parsed: ${line}`);
}

describe('a=crypto (RFC 4568 §9.1)', () => {
  it('reads tag, suite, key and salt, and lifetime', () => {
    const crypto = parseSdesCrypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20`);
    expect(crypto.tag).toBe(1);
    expect(crypto.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(Buffer.from(crypto.masterKey).toString('hex')).toBe(Buffer.from(KEY, 'base64').subarray(0, 16).toString('hex'));
    expect(Buffer.from(crypto.masterSalt).toString('hex')).toBe(Buffer.from(KEY, 'base64').subarray(16).toString('hex'));
    expect(crypto.lifetime).toBe(2 ** 20);
  });

  it.each([
    `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`,
    `2 AES_CM_128_HMAC_SHA1_32 inline:${KEY}|2^31`,
    `3 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|1000000`,
    `123456789 AES_CM_128_HMAC_SHA1_80 inline:${KEY} WSH=128`,
    `4 AEAD_AES_128_GCM inline:${Buffer.alloc(28, 7).toString('base64')}`,
  ])('writes back what it read, byte for byte: %s', (line) => {
    expect(formatSdesCrypto(parseSdesCrypto(line))).toBe(line);
  });

  it('takes the value with its a=crypto: prefix too', () => {
    expect(parseSdesCrypto(`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`).tag).toBe(1);
  });

  it.each<[string, string, SdesCryptoErrorCode]>([
    ['an MKI (RFC 4568 §8.1 example)', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20|1:4`, 'mki_unsupported'],
    ['an MKI without lifetime', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|1:4`, 'mki_unsupported'],
    ['two keys', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20|1:4;inline:${KEY}|2^20|2:4`, 'mki_unsupported'],
    ['an unknown suite', `1 F8_128_HMAC_SHA1_80 inline:${KEY}`, 'unknown_suite'],
    ['AES-256 (not implemented)', `1 AES_256_CM_HMAC_SHA1_80 inline:${KEY}`, 'unknown_suite'],
    ['a short key', `1 AES_CM_128_HMAC_SHA1_80 inline:${Buffer.alloc(29).toString('base64')}`, 'bad_key_length'],
    ['a GCM key of AES-CM length', `1 AEAD_AES_128_GCM inline:${KEY}`, 'bad_key_length'],
    ['KDR', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} KDR=1`, 'unsupported_parameter'],
    ['UNENCRYPTED_SRTP', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} UNENCRYPTED_SRTP`, 'unsupported_parameter'],
    ['UNAUTHENTICATED_SRTP', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} UNAUTHENTICATED_SRTP`, 'unsupported_parameter'],
    ['a window below 64', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} WSH=32`, 'unsupported_parameter'],
    ['no key', '1 AES_CM_128_HMAC_SHA1_80', 'malformed'],
    ['a ten-digit tag', `1234567890 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`, 'malformed'],
    ['another key method', `1 AES_CM_128_HMAC_SHA1_80 uri:https://example.com/key`, 'malformed'],
    ['base64 with junk', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY.slice(0, 38)}!!`, 'malformed'],
    ['non-canonical base64', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY.slice(0, 39)}`, 'malformed'],
    ['a lifetime beyond 2^48', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^49`, 'malformed'],
    ['a lifetime of letters', `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|forever`, 'malformed'],
  ])('refuses %s', (_name, line, code) => {
    expect(parseError(line)).toBe(code);
  });
});

describe('SDES key generation and answer', () => {
  it('generates a key and salt of the suite’s lengths from the random source', () => {
    let calls = 0;
    const crypto = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', (size) => {
      calls++;
      return new Uint8Array(size).map((_, i) => i);
    });
    expect(calls).toBe(1);
    expect(crypto.masterKey.length).toBe(16);
    expect(crypto.masterSalt.length).toBe(14);
    expect(formatSdesCrypto(crypto)).toBe(`1 AES_CM_128_HMAC_SHA1_80 inline:${Buffer.from(new Uint8Array(30).map((_, i) => i)).toString('base64')}`);
  });

  it('generates different keys with node:crypto by default', () => {
    const a = generateSdesCrypto(1, 'AEAD_AES_128_GCM');
    const b = generateSdesCrypto(1, 'AEAD_AES_128_GCM');
    expect(a.masterKey.length + a.masterSalt.length).toBe(28);
    expect(Buffer.from(a.masterKey).equals(Buffer.from(b.masterKey))).toBe(false);
  });

  it('answers the first offered line it supports, with the same tag and suite (RFC 4568 §7.1.2)', () => {
    const offered = [`1 AES_256_CM_HMAC_SHA1_80 inline:${KEY}`, `2 AES_CM_128_HMAC_SHA1_32 inline:${KEY}|2^20|1:4`, `3 AES_CM_128_HMAC_SHA1_32 inline:${KEY}`];
    const answer = answerSdesCrypto(offered);
    expect(answer?.remote.tag).toBe(3);
    expect(answer?.local.tag).toBe(3);
    expect(answer?.local.suite).toBe('AES_CM_128_HMAC_SHA1_32');
    expect(answerSdesCrypto([`1 F8_128_HMAC_SHA1_80 inline:${KEY}`])).toBeUndefined();
  });

  it('keys a working SRTP session in both directions from offer and answer', () => {
    const offer = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80');
    const answer = answerSdesCrypto([formatSdesCrypto(offer)]);
    if (!answer) throw new Error('no answer');
    const offerer = new SrtpSession(srtpKeyMaterial(offer), srtpKeyMaterial(parseSdesCrypto(formatSdesCrypto(answer.local))));
    const answerer = new SrtpSession(srtpKeyMaterial(answer.local), srtpKeyMaterial(answer.remote));
    const packet = new Uint8Array([0x80, 0, 0, 1, 0, 0, 0, 160, 0, 0, 0, 42, 1, 2, 3]);
    expect(Array.from(answerer.unprotectRtp(offerer.protectRtp(packet)))).toEqual(Array.from(packet));
    expect(Array.from(offerer.unprotectRtp(answerer.protectRtp(packet)))).toEqual(Array.from(packet));
  });
});
