/**
 * The SRTP crypto suites we offer and accept over SDES: RFC 4568 §6.2 (AES-CM with HMAC-SHA1,
 * RFC 3711 §4) and RFC 7714 §14.2 (AES-GCM).
 */
export type SrtpCryptoSuiteName = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32' | 'AEAD_AES_128_GCM';

export interface SrtpCryptoSuite {
  readonly name: SrtpCryptoSuiteName;
  readonly cipher: 'aes-cm' | 'aes-gcm';
  /** Master and session key length, octets. */
  readonly keyLength: number;
  /** Master and session salt length, octets (112 bits for AES-CM, 96 for GCM). */
  readonly saltLength: number;
  /** Session authentication key for HMAC-SHA1 (RFC 3711 §4.2: 160 bits); 0 for AEAD. */
  readonly authKeyLength: number;
  /** Tag appended to SRTP packets: 80 or 32 bits for HMAC, 128 bits for GCM (RFC 7714 §12). */
  readonly srtpTagLength: number;
  /** RFC 4568 §6.2.2: SRTCP keeps the 80-bit tag even in the _32 suite. */
  readonly srtcpTagLength: number;
}

export const SRTP_CRYPTO_SUITES: Readonly<Record<SrtpCryptoSuiteName, SrtpCryptoSuite>> = {
  AES_CM_128_HMAC_SHA1_80: { name: 'AES_CM_128_HMAC_SHA1_80', cipher: 'aes-cm', keyLength: 16, saltLength: 14, authKeyLength: 20, srtpTagLength: 10, srtcpTagLength: 10 },
  AES_CM_128_HMAC_SHA1_32: { name: 'AES_CM_128_HMAC_SHA1_32', cipher: 'aes-cm', keyLength: 16, saltLength: 14, authKeyLength: 20, srtpTagLength: 4, srtcpTagLength: 10 },
  AEAD_AES_128_GCM: { name: 'AEAD_AES_128_GCM', cipher: 'aes-gcm', keyLength: 16, saltLength: 12, authKeyLength: 0, srtpTagLength: 16, srtcpTagLength: 16 },
};

export function isSrtpCryptoSuiteName(name: string): name is SrtpCryptoSuiteName {
  return Object.hasOwn(SRTP_CRYPTO_SUITES, name);
}
