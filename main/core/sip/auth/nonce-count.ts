/**
 * nc-value = 8LHEX (RFC 7616 §3.4, RFC 2617 §3.2.2): how many requests, this one included, the
 * client has sent with the same nonce. The server uses it to detect replays.
 */
export const MAX_NONCE_COUNT = 0xffffffff;

export function formatNonceCount(count: number): string {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NONCE_COUNT) throw new RangeError(`not a nonce count: ${count}`);
  return count.toString(16).padStart(8, '0');
}
