/** Concealment asked of frames it cannot handle: a caller's mistake. */
export class PlcError extends Error {
  override readonly name: string = 'PlcError';
}
