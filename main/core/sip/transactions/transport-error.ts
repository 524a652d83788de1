/**
 * The transport failed to send a message of a transaction (RFC 3261 §17.1.1.2, §17.1.2.2,
 * §17.2.4): the transaction reports it to its TU and terminates. `cause` holds what the
 * transport rejected with.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
