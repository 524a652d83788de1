/**
 * Choosing among the challenges of one response (RFC 8760 §2.4, RFC 3261 §22.3).
 *
 * A 401 or 407 may carry several challenges: one per algorithm the server offers for a realm,
 * and several realms when a forking proxy merged responses (RFC 3261 §16.7 step 6). We answer
 * each realm once, with the strongest algorithm we support (SHA-512-256 > SHA-256 > MD5; RFC 8760
 * §2.4 lets local policy override "topmost"); among equals, the topmost wins. Challenges we
 * cannot answer are ignored, each with its reason.
 */
import { readDigestChallenge, type ChallengeInput, type DigestChallenge } from './digest-challenge.js';

export type ChallengeHeaderName = 'WWW-Authenticate' | 'Proxy-Authenticate';

export interface IgnoredChallenge {
  readonly header: ChallengeHeaderName;
  /** Position among that header's values, from 0. */
  readonly index: number;
  readonly scheme: string;
  readonly realm: string | undefined;
  readonly reason: string;
}

export interface SelectedChallenge {
  readonly header: ChallengeHeaderName;
  readonly challenge: DigestChallenge;
}

export interface ChallengeSelection {
  /** One per realm, in the order the realms first appear. */
  readonly selected: readonly SelectedChallenge[];
  readonly ignored: readonly IgnoredChallenge[];
}

export function selectDigestChallenges(header: ChallengeHeaderName, challenges: readonly ChallengeInput[]): ChallengeSelection {
  const byRealm = new Map<string, DigestChallenge>();
  const ignored: IgnoredChallenge[] = [];
  challenges.forEach((input, index) => {
    const reading = readDigestChallenge(input);
    if (!reading.ok) {
      ignored.push({ header, index, scheme: input.scheme, realm: reading.realm, reason: reading.reason });
      return;
    }
    const c = reading.challenge;
    const best = byRealm.get(c.realm);
    if (best === undefined || c.algorithm.strength > best.algorithm.strength) byRealm.set(c.realm, c);
  });
  return { selected: [...byRealm.values()].map((challenge) => ({ header, challenge })), ignored };
}
