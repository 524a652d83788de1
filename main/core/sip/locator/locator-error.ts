/** The failure callers of the locator must handle: no destination could be found for a target. */
import type { DnsError } from './dns-resolver.js';

export type LocatorErrorCode =
  /** The host (or maddr) or port is not something a request can be sent to. */
  | 'invalid_target'
  /** The URI's transport, or the only transport RFC 3263 allows for it, is not supported here. */
  | 'unsupported_transport'
  /** DNS answered, but there are no usable records for the target (NXDOMAIN or no data). */
  | 'not_found'
  /** The only SRV answer was the target "." — RFC 2782: "decidedly not available at this domain". */
  | 'service_unavailable'
  /** Nothing was found and at least one query failed (SERVFAIL, timeout, refused…): worth a retry later. */
  | 'dns_failure';

export class LocatorError extends Error {
  override readonly name: string = 'LocatorError';

  constructor(
    readonly code: LocatorErrorCode,
    message: string,
    /** The DNS failures met on the way, for logs; empty unless `code` is `dns_failure`. */
    readonly failures: readonly DnsError[] = [],
  ) {
    super(message, failures.length > 0 ? { cause: failures[0] } : undefined);
  }
}
