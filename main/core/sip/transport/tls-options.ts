/**
 * TLS for SIP (RFC 3261 §26.3.1, RFC 5922): the client checks the server's certificate against
 * the trusted CAs and against the domain it meant to reach, and turns node's verdict into a
 * `TransportError` code the user interface can explain.
 */
import { isIP } from 'node:net';
import tls from 'node:tls';
import { TransportError, type TransportErrorCode } from './transport-error.js';

export interface TlsClientOptions {
  /**
   * Extra trusted CA certificates (PEM), added to node's root store. Default: the root store
   * alone.
   */
  readonly ca?: readonly string[];
  /**
   * SHA-256 fingerprints ("AB:CD:..." as node's `fingerprint256`, case and colons ignored) of
   * certificates the user chose to trust even though they failed verification.
   */
  readonly trustedFingerprints?: readonly string[];
}

/** A TLS listening point's identity (PEM). */
export interface TlsServerOptions {
  readonly key: string;
  readonly cert: string;
}

/** The options for `tls.connect` to `address`, checking the certificate against `serverName`. */
export function tlsConnectOptions(
  address: string,
  port: number,
  serverName: string | undefined,
  options: TlsClientOptions,
): tls.ConnectionOptions {
  const connect: tls.ConnectionOptions = {
    host: address,
    port,
    // The verdict is taken in `checkPeer`, after the handshake and before any byte is written,
    // so that an accepted fingerprint can override it.
    rejectUnauthorized: false,
  };
  // RFC 5922 §4: the identity is the domain of the URI; SNI carries it (RFC 6066 §3 forbids
  // an IP literal there).
  if (serverName !== undefined && isIP(serverName) === 0) connect.servername = serverName;
  if (options.ca !== undefined && options.ca.length > 0) connect.ca = [...tls.rootCertificates, ...options.ca];
  return connect;
}

function normalizeFingerprint(text: string): string {
  return text.replace(/:/g, '').toLowerCase();
}

/**
 * After the handshake: undefined if the peer may be trusted, else the error to fail with.
 * Node has already run `checkServerIdentity` against the servername (or the address).
 */
export function checkPeer(socket: tls.TLSSocket, options: TlsClientOptions): TransportError | undefined {
  if (socket.authorized) return undefined;
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  if (fingerprint !== undefined && options.trustedFingerprints !== undefined) {
    const seen = normalizeFingerprint(fingerprint);
    if (options.trustedFingerprints.some((f) => normalizeFingerprint(f) === seen)) return undefined;
  }
  const reason = String(socket.authorizationError ?? 'unknown');
  return new TransportError(tlsErrorCode(reason), `TLS peer not trusted: ${reason}`);
}

/** Node's (OpenSSL's) verification codes, grouped as the user will be told about them. */
export function tlsErrorCode(nodeCode: string): TransportErrorCode {
  switch (nodeCode) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'ERR_TLS_CERT_ALTNAME_FORMAT':
      return 'tls_hostname_mismatch';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'tls_expired';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_UNTRUSTED':
    case 'CERT_SIGNATURE_FAILURE':
    case 'CERT_REVOKED':
      return 'tls_untrusted';
    default:
      return 'tls_failed';
  }
}
