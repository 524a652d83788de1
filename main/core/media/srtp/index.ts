/** SRTP (RFC 3711, RFC 7714) keyed by SDES (RFC 4568). */
export { SRTP_CRYPTO_SUITES, isSrtpCryptoSuiteName } from './srtp-crypto-suite.js';
export type { SrtpCryptoSuite, SrtpCryptoSuiteName } from './srtp-crypto-suite.js';
export { aesCmIv, SrtpContext, SrtpSession } from './srtp-context.js';
export type { SrtpContextOptions, SrtpKeyMaterial } from './srtp-context.js';
export { SrtpError } from './srtp-error.js';
export type { SrtpErrorCode } from './srtp-error.js';
export { aesCmKeystream, deriveSessionKey, deriveSrtpKeys } from './srtp-key-derivation.js';
export type { SrtpSessionKeys } from './srtp-key-derivation.js';
export { SrtpReplayWindow } from './srtp-replay-window.js';
export { answerSdesCrypto, formatSdesCrypto, generateSdesCrypto, parseSdesCrypto, SdesCryptoError, srtpKeyMaterial } from './sdes-crypto-attribute.js';
export type { SdesCrypto, SdesCryptoErrorCode } from './sdes-crypto-attribute.js';
