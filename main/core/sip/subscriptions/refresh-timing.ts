/**
 * When a subscriber refreshes (RFC 6665 §4.1.2.2 only asks that it be before expiry):
 *
 *   base  = expires − min(expires / 2, 32 s)       (32 s = 64·T1: a refresh that gets no
 *                                                   answer still times out before expiry)
 *   delay = base × (1 − jitter × random)           random in [0, 1), jitter in [0, 1]
 *
 * The jitter spreads the refreshes of many subscriptions made at once (a phone subscribing to
 * the presence of 500 contacts at start-up) so they do not all come back in the same second;
 * it only ever brings a refresh earlier, never past the base.
 */
export const refreshMarginSeconds = 32;
export const defaultRefreshJitter = 0.1;

/** Milliseconds from now to the refresh of a subscription that lasts `expiresSeconds`. */
export function refreshDelayMs(expiresSeconds: number, jitter: number, random: () => number): number {
  const base = expiresSeconds - Math.min(expiresSeconds / 2, refreshMarginSeconds);
  const spread = Math.min(Math.max(jitter, 0), 1) * Math.min(Math.max(random(), 0), 1);
  return Math.max(0, Math.floor(base * (1 - spread) * 1000));
}
