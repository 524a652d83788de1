/** A jitter buffer created with settings it cannot work with (a caller's mistake to handle). */
export class JitterBufferError extends Error {
  override readonly name: string = 'JitterBufferError';
}
