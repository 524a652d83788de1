/**
 * Why a received session description could not be read.
 */
export type SdpParseErrorCode =
  /** Larger than the size limit: refused before parsing. */
  | 'too_large'
  /** More media descriptions (m= lines) than we are willing to look at. */
  | 'too_many_media'
  /** A line, field or value that RFC 4566 does not allow (or that we cannot represent). */
  | 'malformed';

/**
 * A session description from the network that we refuse to read (RFC 4566 §5). The caller answers
 * the request carrying it with 400 Bad Request (RFC 3261 §21.4.1) or, inside an established dialog,
 * 488 with the Warning below (RFC 3261 §20.43, code 399 "Miscellaneous warning").
 */
export class SdpParseError extends Error {
  override readonly name: string = 'SdpParseError';
  /** Warning header code (RFC 3261 §20.43). */
  readonly warnCode = 399;

  constructor(
    readonly code: SdpParseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
