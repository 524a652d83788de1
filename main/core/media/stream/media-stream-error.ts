export type MediaStreamErrorCode =
  /** The negotiated codec is not one we can encode and decode. */
  | 'unsupported_codec'
  /** SRTP was negotiated (RTP/SAVP or a=crypto) but no key of ours matches the peer's (RFC 4568 §7.1.2). */
  | 'srtp_keys'
  /** start() twice, update() before start(). */
  | 'invalid_state';

/** What the owner of a stream must handle: it cannot carry this call's audio as negotiated. */
export class MediaStreamError extends Error {
  override readonly name: string = 'MediaStreamError';

  constructor(
    readonly code: MediaStreamErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
