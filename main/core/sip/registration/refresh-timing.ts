/**
 * When to refresh a binding (RFC 3261 §10.2.4 only asks that it be before it expires):
 *
 *   refresh at granted − min(granted / 2, margin),   margin = 32 s by default
 *
 * 32 s is Timer F (64·T1) over UDP: a refresh that gets no answer at all still times out, and
 * the failure is reported and the retry scheduled, while the old binding holds — the phone
 * never looks registered while it is not. An answer normally takes well under a second, so
 * the margin costs nothing at the usual 600–3600 s. For short grants (a registrar handing out
 * 60 s behind a NAT) halfway is the cap, so two refreshes fit in each lifetime. No jitter
 * here: after a failure, the RFC 5626 §4.5 backoff is what spreads phones apart.
 */
export const defaultRefreshMarginSeconds = 32;

/** Seconds from the 2xx to the refresh. */
export function refreshDelaySeconds(grantedSeconds: number, marginSeconds = defaultRefreshMarginSeconds): number {
  return grantedSeconds - Math.min(grantedSeconds / 2, marginSeconds);
}
