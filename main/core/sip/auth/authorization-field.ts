/**
 * A credentials header field the client asks to add to a request: Authorization answers a
 * WWW-Authenticate challenge, Proxy-Authorization a Proxy-Authenticate one (RFC 3261 §22.2, §22.3).
 */
export type CredentialsHeaderName = 'Authorization' | 'Proxy-Authorization';

export interface AuthorizationField {
  readonly name: CredentialsHeaderName;
  /** The header field value, `Digest username="…", …`. */
  readonly value: string;
  readonly realm: string;
  readonly nonce: string;
  /**
   * 0 when pre-authenticating with a remembered challenge; n ≥ 1 for the n-th answer to a
   * challenge in this request's chain (the first answer, then one per stale retry). Hand the
   * fields back to `DigestClient.handleChallenge` with the response they drew: that is how a
   * wrong password is told from a first challenge.
   */
  readonly attempt: number;
}

/** The fields as header name/value pairs to add to the request being built again. */
export function credentialHeaders(fields: readonly AuthorizationField[]): [string, string][] {
  return fields.map((f): [string, string] => [f.name, f.value]);
}
