/**
 * What can go wrong talking to a directory server, as a `PhoneError` (so it crosses the
 * contract with a code the UI understands) that also says which kind of failure it was.
 */
import { PhoneError, type ErrorCode } from '../../../shared/errors.js';

export type DirectoryFailure =
  /** No CardDAV address book or LDAP directory has been set up. */
  | 'not_configured'
  /** The server refused our credentials (HTTP 401/403, LDAP invalidCredentials). */
  | 'authentication'
  /** No connection, DNS failure. */
  | 'unreachable'
  /** The server's certificate does not verify against the configured CA, or TLS cannot be set up. */
  | 'tls'
  /** The server did not answer within the configured bound. */
  | 'timeout'
  /** The filter template is not an RFC 4515 filter. */
  | 'bad_filter'
  /** No address book at the configured URL, or none found by discovery. */
  | 'no_address_book'
  /** Anything else the server said no to. */
  | 'server';

const codeOf: Record<DirectoryFailure, ErrorCode> = {
  not_configured: 'invalid_state',
  authentication: 'unavailable',
  unreachable: 'unavailable',
  tls: 'unavailable',
  timeout: 'unavailable',
  bad_filter: 'invalid_params',
  no_address_book: 'not_found',
  server: 'unavailable',
};

export class DirectoryError extends PhoneError {
  override readonly name = 'DirectoryError';
  constructor(
    readonly failure: DirectoryFailure,
    message: string,
    field?: string,
  ) {
    super(codeOf[failure], message.slice(0, 500), field);
  }
}
