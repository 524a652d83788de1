/**
 * A transaction was asked to move between states its machine does not allow (RFC 3261 §17),
 * e.g. a TU sending a provisional response after the final one. The caller must handle it.
 */
export class TransactionStateError extends Error {
  override readonly name = 'TransactionStateError';

  constructor(
    readonly transaction: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${transaction}: illegal state transition from ${from} to ${to}`);
  }
}
