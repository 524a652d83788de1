/**
 * SRTP key derivation (RFC 3711 §4.3) with the AES-CM PRF (§4.3.3), for a key derivation rate
 * of 0: the session keys are derived once, from index 0.
 */
import { createCipheriv } from 'node:crypto';
import type { SrtpCryptoSuite } from './srtp-crypto-suite.js';

/** §4.3.2 labels. */
export const LABEL_SRTP_ENCRYPTION = 0x00;
export const LABEL_SRTP_AUTHENTICATION = 0x01;
export const LABEL_SRTP_SALT = 0x02;
export const LABEL_SRTCP_ENCRYPTION = 0x03;
export const LABEL_SRTCP_AUTHENTICATION = 0x04;
export const LABEL_SRTCP_SALT = 0x05;

/** AES in counter mode (§4.1.1): `length` octets of keystream from the 16-octet initial counter. */
export function aesCmKeystream(key: Uint8Array, iv: Uint8Array, length: number): Uint8Array {
  const cipher = createCipheriv(`aes-${key.length * 8}-ctr`, key, iv);
  return new Uint8Array(cipher.update(new Uint8Array(length)));
}

/**
 * §4.3.1: key_id = label || (index DIV kdr), x = key_id XOR master_salt, and the PRF output is
 * AES-CM keyed with the master key from x·2^16. A master salt shorter than 14 octets (GCM's 12,
 * RFC 7714 §11) is padded with zeros on the right, as libsrtp does.
 */
export function deriveSessionKey(masterKey: Uint8Array, masterSalt: Uint8Array, label: number, length: number): Uint8Array {
  const iv = new Uint8Array(16);
  iv.set(masterSalt.subarray(0, 14));
  // key_id is 7 octets (label, then a 48-bit r = 0), aligned with the end of the 14-octet salt.
  iv[7] = (iv[7] ?? 0) ^ label;
  return aesCmKeystream(masterKey, iv, length);
}

export interface SrtpSessionKeys {
  readonly encryptionKey: Uint8Array;
  readonly authenticationKey: Uint8Array;
  readonly salt: Uint8Array;
}

export function deriveSrtpKeys(suite: SrtpCryptoSuite, masterKey: Uint8Array, masterSalt: Uint8Array): { rtp: SrtpSessionKeys; rtcp: SrtpSessionKeys } {
  const derive = (encryption: number, authentication: number, salt: number): SrtpSessionKeys => ({
    encryptionKey: deriveSessionKey(masterKey, masterSalt, encryption, suite.keyLength),
    authenticationKey: deriveSessionKey(masterKey, masterSalt, authentication, suite.authKeyLength),
    salt: deriveSessionKey(masterKey, masterSalt, salt, suite.saltLength),
  });
  return {
    rtp: derive(LABEL_SRTP_ENCRYPTION, LABEL_SRTP_AUTHENTICATION, LABEL_SRTP_SALT),
    rtcp: derive(LABEL_SRTCP_ENCRYPTION, LABEL_SRTCP_AUTHENTICATION, LABEL_SRTCP_SALT),
  };
}
