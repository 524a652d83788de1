/** What `DigestClient.handleChallenge` decides about a 401 or 407 response. */
import type { AuthorizationField } from './authorization-field.js';
import type { ChallengeHeaderName, IgnoredChallenge } from './challenge-selection.js';

export type ChallengeOutcome =
  /** Send the request again (new CSeq, RFC 3261 §22.3) with exactly these credential fields. */
  | {
      readonly kind: 'retry';
      readonly fields: readonly AuthorizationField[];
      /** Realms challenged for which there are no credentials. */
      readonly unanswered: readonly string[];
      readonly ignored: readonly IgnoredChallenge[];
    }
  /**
   * The server refused credentials we had just computed for its challenge: a wrong username or
   * password (`credentials`), or it keeps calling good credentials stale (`stale-loop`). Do not
   * retry; tell the user.
   */
  | { readonly kind: 'rejected'; readonly realm: string; readonly header: ChallengeHeaderName; readonly reason: 'credentials' | 'stale-loop' }
  /** Usable challenges, but no credentials for any of their realms. */
  | { readonly kind: 'no-credentials'; readonly realms: readonly string[]; readonly ignored: readonly IgnoredChallenge[] }
  /** No challenge this stack can answer (unknown schemes or algorithms, malformed ones). */
  | { readonly kind: 'unsupported'; readonly ignored: readonly IgnoredChallenge[] };
