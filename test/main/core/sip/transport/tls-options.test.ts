import { describe, expect, it } from 'vitest';
import { tlsConnectOptions, tlsErrorCode } from '../../../../../main/core/sip/transport/tls-options.js';

describe('TLS options (RFC 5922)', () => {
  it('sends the URI domain as SNI, never an IP literal', () => {
    expect(tlsConnectOptions('192.0.2.1', 5061, 'example.test', {}).servername).toBe('example.test');
    expect(tlsConnectOptions('192.0.2.1', 5061, '192.0.2.1', {}).servername).toBeUndefined();
    expect(tlsConnectOptions('192.0.2.1', 5061, undefined, {}).servername).toBeUndefined();
  });

  it('groups node verification codes', () => {
    expect(tlsErrorCode('ERR_TLS_CERT_ALTNAME_INVALID')).toBe('tls_hostname_mismatch');
    expect(tlsErrorCode('SELF_SIGNED_CERT_IN_CHAIN')).toBe('tls_untrusted');
    expect(tlsErrorCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBe('tls_untrusted');
    expect(tlsErrorCode('CERT_HAS_EXPIRED')).toBe('tls_expired');
    expect(tlsErrorCode('ERR_SSL_WRONG_VERSION_NUMBER')).toBe('tls_failed');
  });
});
