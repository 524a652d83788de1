/**
 * RFC 3261 §14.1: after a 491 to a re-INVITE, "If the UAC is the owner of the Call-ID of the
 * dialog ID (meaning it generated the value), T has a randomly chosen value between 2.1 and 4
 * seconds in units of 10 ms. If the UAC is not the owner of the Call-ID of the dialog ID, T has
 * a randomly chosen value of between 0 and 2 seconds in units of 10 ms." RFC 3311 §5.1 applies
 * the same to UPDATE. `random` is uniform in [0, 1).
 */
export function glareRetryDelay(ownsCallId: boolean, random: () => number): number {
  return ownsCallId ? 2100 + Math.floor(random() * 191) * 10 : Math.floor(random() * 201) * 10;
}
