/**
 * What became of a target refresh (RFC 3261 §12.2, §14): our new Contact and media description
 * sent by re-INVITE after a network change.
 *
 * - `accepted`: the peer took them (a 2xx to ours, or an exchange of its own we answered).
 * - `refused`: a final refusal that leaves the session as it was (§14.1), e.g. 488.
 * - `failed`: a 408, a 481 or no answer at all: the session is being ended (§12.2.1.2).
 * - `over`: the session ended meanwhile for another reason (BYE, hang-up).
 */
export type TargetRefreshOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'refused'; readonly code: number; readonly reason: string }
  | { readonly kind: 'failed'; readonly code?: number; readonly reason: string }
  | { readonly kind: 'over' };
