/**
 * How much a parser accepts before it refuses a message: everything from the network is
 * untrusted, so the size of a message, the number of its header fields and the length of each
 * are bounded (a refusal is a `SipParseError` with code `too_large`, `too_many_headers` or
 * `header_too_long`).
 */

export interface SipParseLimits {
  /** Bytes in the whole message, body included. UDP cannot carry more than 65,507 anyway. */
  readonly maxMessageSize: number;
  /** Header fields (lines, folds included in their field), not comma-separated values. */
  readonly maxHeaders: number;
  /** Characters in the start-line or in one header field, folds included. */
  readonly maxHeaderLength: number;
}

export const defaultParseLimits: SipParseLimits = {
  maxMessageSize: 64 * 1024,
  maxHeaders: 256,
  maxHeaderLength: 8 * 1024,
};

export interface SipParseOptions extends Partial<SipParseLimits> {
  /**
   * How the message was carried (RFC 3261 §18.3). A datagram (UDP) is one message: without
   * Content-Length the body runs to its end, bytes after the body are ignored, and a body
   * shorter than Content-Length is an error. On a stream (TCP, TLS) Content-Length is
   * mandatory. Default: 'datagram'.
   */
  readonly framing?: 'datagram' | 'stream';
}

export function resolveLimits(options: SipParseOptions | undefined): SipParseLimits {
  if (options === undefined) return defaultParseLimits;
  return {
    maxMessageSize: options.maxMessageSize ?? defaultParseLimits.maxMessageSize,
    maxHeaders: options.maxHeaders ?? defaultParseLimits.maxHeaders,
    maxHeaderLength: options.maxHeaderLength ?? defaultParseLimits.maxHeaderLength,
  };
}
