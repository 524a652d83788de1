/**
 * The exception the transport layer's `send` rejects with (RFC 3261 §18.4: a transport error is
 * reported to the transaction layer, which treats it as a failure of the destination, §8.1.3.1,
 * RFC 3263 §4.3). The code says what went wrong, so the caller can choose: try the next
 * destination, or show the user a TLS trust question.
 */
export type TransportErrorCode =
  /** No listening point of that transport and address family to send from. */
  | 'no_listening_point'
  /** The peer refused the connection (TCP RST). */
  | 'connection_refused'
  /** The connection could not be set up in time. */
  | 'connect_timeout'
  /** Any other failure to open a connection. */
  | 'connect_failed'
  /** The server's certificate does not chain to a trusted CA (nor has an accepted fingerprint). */
  | 'tls_untrusted'
  /** The certificate is valid but not for the name we asked for (RFC 5922 §7.2). */
  | 'tls_hostname_mismatch'
  /** The certificate is expired or not yet valid. */
  | 'tls_expired'
  /** Any other TLS failure (handshake, protocol). */
  | 'tls_failed'
  /** Writing to the socket failed, or the connection closed under the write. */
  | 'send_failed'
  /** The connection limit is reached. */
  | 'too_many_connections'
  /** The message cannot be sent as it is (no Via, no route for a response). */
  | 'bad_message'
  /** The transport layer is closed. */
  | 'closed';

export class TransportError extends Error {
  override readonly name: string = 'TransportError';

  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
