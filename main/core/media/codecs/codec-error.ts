/** A payload or a PCM frame a codec cannot take: the caller drops it (RFC 3550 §5: payloads are untrusted). */
export class CodecError extends Error {
  override readonly name: string = 'CodecError';
  constructor(
    readonly codec: string,
    message: string,
  ) {
    super(`${codec}: ${message}`);
  }
}

/** The codec's implementation could not be loaded on this machine (e.g. the Opus native addon did not build). */
export class CodecUnavailableError extends Error {
  override readonly name: string = 'CodecUnavailableError';
  constructor(
    readonly codec: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${codec}: ${message}`, options);
  }
}
