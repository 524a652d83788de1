/**
 * The client side of Digest authentication for one account (RFC 3261 §22.2–§22.4, RFC 7616,
 * RFC 8760). It remembers, per realm, the last challenge, so later requests carry credentials
 * before being asked (RFC 3261 §22.3 allows this; nc counts the uses of each nonce), and it
 * decides what a 401 or 407 means: answer it, retry after a stale nonce, or give up because the
 * server refused credentials computed for its own challenge — never a retry loop.
 *
 *   request ──401/407──▶ handleChallenge ──retry──▶ same request, new CSeq, `fields` ──▶ …
 *                              │ └─rejected (wrong password) / no-credentials / unsupported
 *   later requests: authorize(request) ──▶ pre-authenticated fields, nc incremented
 *
 * The client keeps no password: it asks `credentials` each time it needs one.
 * ACK for a non-2xx and CANCEL reuse the INVITE's fields as they are (RFC 3261 §22.1).
 */
import { randomBytes } from 'node:crypto';
import type { AuthorizationField, CredentialsHeaderName } from './authorization-field.js';
import type { ChallengeOutcome } from './challenge-outcome.js';
import { selectDigestChallenges, type ChallengeHeaderName } from './challenge-selection.js';
import type { ChallengeInput, DigestChallenge } from './digest-challenge.js';
import { createDigestCredentials } from './digest-credentials.js';
import { MAX_NONCE_COUNT } from './nonce-count.js';

export interface DigestUserCredentials {
  /** The authentication user: the account's auth user if it has one, else its user. */
  readonly username: string;
  readonly password: string;
}

export interface DigestClientOptions {
  /** The credentials for a realm, or undefined if the account has none for it. */
  readonly credentials: (realm: string, header: ChallengeHeaderName) => DigestUserCredentials | undefined;
  /** A fresh client nonce (RFC 7616 §3.4); default: 128 random bits in hex. */
  readonly cnonce?: () => string;
  /** stale=true answers allowed in a row for one request before giving up; default 2. */
  readonly maxStaleRetries?: number;
}

/** What the digest covers of a request. */
export interface DigestRequest {
  readonly method: string;
  /** The Request-URI exactly as sent. */
  readonly uri: string;
  readonly body?: string | Uint8Array;
}

/** A 401 or 407; a `SipResponse` fits. */
export interface ChallengeResponse {
  readonly status: number;
  readonly wwwAuthenticate: readonly ChallengeInput[];
  readonly proxyAuthenticate: readonly ChallengeInput[];
}

interface RealmState {
  readonly header: ChallengeHeaderName;
  readonly challenge: DigestChallenge;
  /** Uses of `challenge.nonce` so far. */
  nonceCount: number;
  /** -sess: one cnonce per nonce, so the session key stays the same for every nc (RFC 2617 §3.2.2.2). */
  sessionCnonce: string | undefined;
}

const CREDENTIALS_HEADER: Record<ChallengeHeaderName, CredentialsHeaderName> = {
  'WWW-Authenticate': 'Authorization',
  'Proxy-Authenticate': 'Proxy-Authorization',
};

function realmKey(header: ChallengeHeaderName, realm: string): string {
  return `${header}\n${realm}`;
}

export class DigestClient {
  private readonly realms = new Map<string, RealmState>();
  private readonly newCnonce: () => string;
  private readonly maxStaleRetries: number;

  constructor(private readonly options: DigestClientOptions) {
    this.newCnonce = options.cnonce ?? (() => randomBytes(16).toString('hex'));
    this.maxStaleRetries = options.maxStaleRetries ?? 2;
  }

  /** Credentials for every remembered realm, to send before being challenged (nc + 1 each). */
  authorize(request: DigestRequest): AuthorizationField[] {
    return this.fields(request, new Map());
  }

  /**
   * Reads a 401 or 407 to `request`, which carried `sent` (the fields `authorize` or a previous
   * `retry` gave it; [] if none). Both header kinds are read whatever the status: a proxy may merge
   * 401s and 407s into one response (RFC 3261 §16.7 step 6). Throws `DigestCredentialsError` if
   * the account's credentials are unusable.
   */
  handleChallenge(response: ChallengeResponse, request: DigestRequest, sent: readonly AuthorizationField[]): ChallengeOutcome {
    if (response.status !== 401 && response.status !== 407) throw new RangeError(`not a challenge: status ${response.status}`);
    const proxy = selectDigestChallenges('Proxy-Authenticate', response.proxyAuthenticate);
    const www = selectDigestChallenges('WWW-Authenticate', response.wwwAuthenticate);
    const selected = [...proxy.selected, ...www.selected];
    const ignored = [...proxy.ignored, ...www.ignored];
    if (selected.length === 0) return { kind: 'unsupported', ignored };

    const attempts = new Map<string, number>();
    const unanswered: string[] = [];
    for (const { header, challenge } of selected) {
      const key = realmKey(header, challenge.realm);
      const previous = sent.find((f) => f.name === CREDENTIALS_HEADER[header] && f.realm === challenge.realm);
      let attempt = 1;
      if (previous !== undefined && previous.attempt > 0) {
        // We had just answered this realm's challenge. RFC 7616 §3.3 / RFC 2617 §3.2.1: without
        // stale=true the credentials themselves were refused; with it, only the nonce was old.
        const reason = !challenge.stale
          ? 'credentials'
          : challenge.nonce === previous.nonce || previous.attempt > this.maxStaleRetries
            ? 'stale-loop'
            : undefined;
        if (reason !== undefined) {
          this.realms.delete(key);
          return { kind: 'rejected', realm: challenge.realm, header, reason };
        }
        attempt = previous.attempt + 1;
      }
      if (this.options.credentials(challenge.realm, header) === undefined) {
        this.realms.delete(key);
        unanswered.push(challenge.realm);
        continue;
      }
      this.remember(key, header, challenge);
      attempts.set(key, attempt);
    }
    if (attempts.size === 0) return { kind: 'no-credentials', realms: unanswered, ignored };
    return { kind: 'retry', fields: this.fields(request, attempts), unanswered, ignored };
  }

  /** Drops what is remembered for `realm` (both header kinds), or for every realm. */
  forget(realm?: string): void {
    if (realm === undefined) this.realms.clear();
    else for (const header of ['WWW-Authenticate', 'Proxy-Authenticate'] as const) this.realms.delete(realmKey(header, realm));
  }

  private remember(key: string, header: ChallengeHeaderName, challenge: DigestChallenge): void {
    const known = this.realms.get(key);
    // The same nonce again keeps counting: a server refuses an nc it has seen (RFC 7616 §3.4).
    const sameNonce = known !== undefined && known.challenge.nonce === challenge.nonce;
    this.realms.set(key, {
      header,
      challenge,
      nonceCount: sameNonce ? known.nonceCount : 0,
      sessionCnonce: sameNonce ? known.sessionCnonce : undefined,
    });
  }

  private fields(request: DigestRequest, attempts: ReadonlyMap<string, number>): AuthorizationField[] {
    const fields: AuthorizationField[] = [];
    for (const [key, state] of this.realms) {
      const { header, challenge } = state;
      const credentials = this.options.credentials(challenge.realm, header);
      if (credentials === undefined) continue;
      if (state.nonceCount >= MAX_NONCE_COUNT) {
        // nc is 8 hex digits: past that, wait for a fresh challenge.
        this.realms.delete(key);
        continue;
      }
      state.nonceCount++;
      const cnonce = challenge.algorithm.session ? (state.sessionCnonce ??= this.newCnonce()) : this.newCnonce();
      const value = createDigestCredentials({
        challenge,
        username: credentials.username,
        password: credentials.password,
        method: request.method,
        uri: request.uri,
        body: request.body,
        nonceCount: state.nonceCount,
        cnonce,
      });
      fields.push({ name: CREDENTIALS_HEADER[header], value, realm: challenge.realm, nonce: challenge.nonce, attempt: attempts.get(key) ?? 0 });
    }
    return fields;
  }
}
