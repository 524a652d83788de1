/**
 * One account's registration with its registrar (RFC 3261 §10.2): binds our Contact to the
 * address-of-record, keeps the binding fresh, recovers from failures with the RFC 5626 §4.5
 * backoff, and removes the binding on `unregister()`.
 *
 *   register() ──▶ REGISTER ──401/407──▶ DigestClient ──▶ REGISTER + credentials ──2xx──▶ registered
 *                     │ 423 ──▶ again with Min-Expires         refresh timer ──▶ REGISTER ──▶ …
 *                     └ 5xx, timeout, … ──▶ failed ──backoff──▶ REGISTER
 *
 * Every REGISTER of a registration has the same Call-ID and a higher CSeq (§10.2), so the
 * registrar can order them (§10.3 step 7). Independent registrations share nothing.
 */
import { randomBytes } from 'node:crypto';
import { DigestClient, DigestCredentialsError, type AuthorizationField } from '../auth/index.js';
import type { RandomSource, TransportProtocol } from '../locator/index.js';
import { MinExpiresHeader, NameAddr, ServiceRouteHeader, type SipRequest, type SipResponse } from '../messages/index.js';
import { SipParseError } from '../grammar/sip-parse-error.js';
import { SipRequestError } from '../sip-endpoint.js';
import { IMPLEMENTED_METHODS } from '../transport/index.js';
import { isSipUri, parseUri, type SipUri, type Uri } from '../uri/index.js';
import { defaultFlowRecovery, flowRecoveryWaitMs, type FlowRecoveryOptions } from './flow-recovery.js';
import { grantedExpires } from './granted-expiry.js';
import { refreshDelaySeconds, defaultRefreshMarginSeconds } from './refresh-timing.js';
import { createRegisterRequest } from './register-request.js';
import { systemClock, type RegistrationClock } from './registration-clock.js';
import type { RegistrationOptions, RegistrationSender } from './registration-options.js';
import { RegistrationState, legalRegistrationMoves } from './registration-state.js';
import { RegistrationStateError } from './registration-state-error.js';
import type { RegistrationDelegate, RegistrationStatus } from './registration-status.js';

const S = RegistrationState;

/** The outcome of one REGISTER and the retries it draws (credentials, Min-Expires). */
type Exchange =
  | { readonly kind: 'granted'; readonly response: SipResponse }
  | { readonly kind: 'failed'; readonly code?: number; readonly reason: string; readonly permanent: boolean }
  /** Superseded (unregister, network change): its result means nothing any more. */
  | { readonly kind: 'abandoned' };

/** REGISTERs one exchange may send: the first, a challenge answer, two stale nonces, a 423. */
const MAX_REQUESTS_PER_EXCHANGE = 6;

/**
 * RFC 3327 §5: a UA may say Supported: path. We do: Path concerns only the proxies and the
 * registrar (the UA merely receives it in the 2xx), so claiming it costs nothing, and a
 * registrar behind an edge proxy that inserts Path can then use it without refusing us.
 */
const SUPPORTED = ['path'];

export class Registration {
  private stateValue: RegistrationState = S.Unregistered;
  private statusValue: RegistrationStatus = { state: S.Unregistered };

  private readonly aor: SipUri;
  private readonly registrar: Uri;
  private readonly proxyRoute: readonly NameAddr[];
  private readonly contact: Uri;
  private readonly sender: RegistrationSender;
  private readonly delegate: RegistrationDelegate | undefined;
  private readonly clock: RegistrationClock;
  private readonly random: RandomSource;
  private readonly digest: DigestClient;
  private readonly flowRecovery: FlowRecoveryOptions;
  private readonly refreshMarginSeconds: number;
  private readonly unregisterTimeoutMs: number;
  private readonly allow: readonly string[];
  private readonly userAgent: string | undefined;

  /** §10.2: "All registrations from a UAC SHOULD use the same Call-ID". */
  readonly callId: string;
  private readonly fromTag: string;
  private cseq = 0;
  /** The lifetime asked for; raised by a 423's Min-Expires (§10.2.8). */
  private requestedExpires: number;
  /** Bumped whenever an exchange in flight stops mattering. */
  private generation = 0;
  private consecutiveFailures = 0;
  private timer: unknown;
  private serviceRouteValue: readonly NameAddr[] = [];
  /** When the last binding granted expires (epoch ms), even once we stopped saying registered. */
  private bindingExpiresAt: number | undefined;
  private unregistering: Promise<void> | undefined;
  private registerWhenUnregistered = false;
  private disposed = false;

  constructor(options: RegistrationOptions) {
    this.aor = sipUriOf(options.aor, 'aor');
    if (this.aor.user === undefined) throw new RangeError('the AOR needs a user part (user@domain)');
    const registrar = sipUriOf(options.registrar, 'registrar');
    const proxy = options.outboundProxy === undefined ? undefined : sipUriOf(options.outboundProxy, 'outboundProxy');
    const transport = options.transport ?? (registrar.scheme === 'sips' ? 'tls' : 'udp');
    // The next hop carries the transport, so RFC 3263 picks it (§4.1 "transport parameter").
    if (proxy === undefined) {
      this.registrar = pinTransport(registrar, transport);
      this.proxyRoute = [];
    } else {
      this.registrar = registrar;
      const hop = pinTransport(proxy, transport);
      this.proxyRoute = [new NameAddr(hop.lr ? hop : hop.withParam('lr'))];
    }
    this.contact = typeof options.contact === 'string' ? parseUri(options.contact, 'Bad contact') : options.contact;
    this.sender = options.sender;
    this.delegate = options.delegate;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    const newToken = options.newToken ?? (() => randomBytes(12).toString('hex'));
    this.callId = newToken();
    this.fromTag = newToken();
    const expires = options.expires ?? 600;
    if (!Number.isInteger(expires) || expires < 1) throw new RangeError(`not a registration lifetime: ${expires}`);
    this.requestedExpires = expires;
    this.flowRecovery = { ...defaultFlowRecovery, ...options.flowRecovery };
    this.refreshMarginSeconds = options.refreshMarginSeconds ?? defaultRefreshMarginSeconds;
    this.unregisterTimeoutMs = options.unregisterTimeoutMs ?? 3000;
    this.allow = options.allow ?? IMPLEMENTED_METHODS;
    this.userAgent = options.userAgent;
    const username = options.authUser ?? this.aor.user;
    const credentials = options.credentials;
    this.digest = new DigestClient({
      credentials: (realm) => {
        const password = credentials(realm);
        return password === undefined ? undefined : { username, password };
      },
    });
  }

  get state(): RegistrationState {
    return this.stateValue;
  }

  get status(): RegistrationStatus {
    return this.statusValue;
  }

  /** The Service-Route of the last 2xx (RFC 3608 §6), empty when not registered. */
  get serviceRoute(): readonly NameAddr[] {
    return this.serviceRouteValue;
  }

  /**
   * The Route set to preload on requests of this account (RFC 3608 §6: the Service-Route
   * "as a preloaded Route"), after the outbound proxy that must be the first hop.
   */
  get routeSet(): readonly NameAddr[] {
    return [...this.proxyRoute, ...this.serviceRouteValue];
  }

  /** Starts registering; from `failed`, tries again at once (the user acted). */
  register(): void {
    this.checkAlive();
    switch (this.stateValue) {
      // §10.2: bind the Contact; from failed the user acted, so the backoff starts over
      // (RFC 5626 §4.5 counts consecutive failures of what the phone does on its own).
      case S.Unregistered:
      case S.Failed:
        this.consecutiveFailures = 0;
        this.startRegistering();
        return;
      // The removal in flight finishes first, so the registrar sees the REGISTERs in CSeq order.
      case S.Unregistering:
        this.registerWhenUnregistered = true;
        return;
      case S.Registering:
      case S.Registered:
        return;
    }
  }

  /**
   * Removes our binding: REGISTER with our Contact and expires=0 (§10.2.2; never "*", which
   * would remove the account's other devices too), waiting for the registrar at most
   * `unregisterTimeoutMs`. Resolves once `unregistered`.
   */
  unregister(): Promise<void> {
    this.checkAlive();
    this.registerWhenUnregistered = false;
    switch (this.stateValue) {
      case S.Unregistered:
        return Promise.resolve();
      case S.Unregistering:
        return this.unregistering ?? Promise.resolve();
      // §10.2.4: a binding lives until its expiry, so only one granted and not yet expired
      // can be left to remove.
      case S.Failed:
        if (this.bindingExpiresAt === undefined || this.bindingExpiresAt <= this.clock.now()) {
          this.stopTimer();
          this.generation++;
          this.forgetBinding();
          this.stateTransition(S.Unregistered);
          return Promise.resolve();
        }
        break;
      // §10.2.2: remove our binding; a REGISTER in flight may have made one.
      case S.Registering:
      case S.Registered:
        break;
    }
    this.stopTimer();
    const generation = ++this.generation;
    this.stateTransition(S.Unregistering);
    this.unregistering = this.removeBinding(generation);
    return this.unregistering;
  }

  /**
   * The network changed (new address, wake from sleep): the binding may point nowhere, so
   * register again at once, forgetting past failures — even the permanent ones, since a new
   * network may reach another server.
   */
  networkChanged(): void {
    this.checkAlive();
    if (this.stateValue === S.Unregistered || this.stateValue === S.Unregistering) return;
    this.consecutiveFailures = 0;
    this.startRegistering();
  }

  /**
   * The flow we registered over failed (RFC 5626 §4.4.1: the keep-alive pong went missing;
   * the endpoint's `onFlowFailed`). §4.5: form a new flow and register again after the
   * backoff wait. Only a registered binding is affected: a REGISTER in flight fails by itself.
   */
  flowFailed(): void {
    this.checkAlive();
    if (this.stateValue !== S.Registered) return;
    this.generation++;
    this.fail({ kind: 'failed', reason: 'the connection to the registrar failed', permanent: false });
  }

  /** Stops every timer without sending anything (shutting down); the object is then unusable. */
  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.stopTimer();
  }

  private startRegistering(): void {
    this.stopTimer();
    const generation = ++this.generation;
    if (this.stateValue !== S.Registering) this.stateTransition(S.Registering);
    void this.refresh(generation);
  }

  /** One REGISTER exchange for `requestedExpires`, and what its outcome means for the state. */
  private async refresh(generation: number): Promise<void> {
    const outcome = await this.exchange(this.requestedExpires, generation);
    if (outcome.kind === 'abandoned' || generation !== this.generation) return;
    if (outcome.kind === 'failed') {
      this.fail(outcome);
      return;
    }
    const { response } = outcome;
    const granted = grantedExpires(response, this.contact, this.requestedExpires);
    if (granted <= 0) {
      this.fail({ kind: 'failed', code: response.status, reason: 'the registrar kept no binding', permanent: false });
      return;
    }
    this.consecutiveFailures = 0;
    // RFC 3608 §6: each 2xx's Service-Route replaces the last; none means an empty set.
    this.serviceRouteValue = readOrEmpty(() => response.typed(ServiceRouteHeader));
    const now = this.clock.now();
    this.bindingExpiresAt = now + granted * 1000;
    this.stateTransition(S.Registered, { code: response.status, reason: response.reason, expiresAt: this.bindingExpiresAt });
    // §10.2.4: refresh before the binding expires (see refresh-timing.ts for when).
    this.startTimer(refreshDelaySeconds(granted, this.refreshMarginSeconds) * 1000, () => void this.refresh(++this.generation));
  }

  /** §10.2.2 removal, bounded; resolves once `unregistered`. */
  private async removeBinding(generation: number): Promise<void> {
    let timeout: unknown;
    const timedOut = new Promise<Exchange>((resolve) => {
      timeout = this.clock.setTimeout(
        () => resolve({ kind: 'failed', code: 408, reason: 'no answer to the unregistration', permanent: false }),
        this.unregisterTimeoutMs,
      );
    });
    const outcome = await Promise.race([this.exchange(0, generation), timedOut]);
    this.clock.clearTimeout(timeout);
    if (generation !== this.generation) return;
    this.generation++;
    this.forgetBinding();
    this.unregistering = undefined;
    // Whatever the answer, the user asked to be offline: a binding left behind simply expires.
    this.stateTransition(S.Unregistered, outcome.kind === 'failed' ? { ...(outcome.code === undefined ? {} : { code: outcome.code }), reason: outcome.reason } : {});
    if (this.registerWhenUnregistered) {
      this.registerWhenUnregistered = false;
      this.register();
    }
  }

  /**
   * Sends REGISTER until it is granted or failed: answering challenges through the
   * `DigestClient` (§22.2; stale nonces are its business) and a 423 with its Min-Expires.
   */
  private async exchange(expires: number, generation: number): Promise<Exchange> {
    let credentials: readonly AuthorizationField[] | undefined;
    for (let sent = 0; sent < MAX_REQUESTS_PER_EXCHANGE; sent++) {
      const { request, carried } = this.createRequest(expires, credentials);
      credentials = undefined;
      const digestRequest = { method: request.method, uri: request.uri.toString() };
      let response: SipResponse;
      try {
        response = await this.sender.send(request);
      } catch (error) {
        if (generation !== this.generation) return { kind: 'abandoned' };
        return failureOfError(error);
      }
      if (generation !== this.generation) return { kind: 'abandoned' };
      const status = response.status;
      if (status >= 200 && status < 300) return { kind: 'granted', response };

      // §22.2, §22.3: answer the challenge with a new request (new CSeq); the DigestClient
      // tells a first challenge from credentials refused for its own challenge.
      if (status === 401 || status === 407) {
        let outcome;
        try {
          outcome = this.digest.handleChallenge(response, digestRequest, carried);
        } catch (error) {
          if (error instanceof DigestCredentialsError) return { kind: 'failed', code: status, reason: error.message, permanent: true };
          throw error;
        }
        switch (outcome.kind) {
          case 'retry':
            credentials = outcome.fields;
            continue;
          case 'rejected':
            return { kind: 'failed', code: status, reason: outcome.reason === 'credentials' ? 'wrong password' : 'the server keeps calling our credentials stale', permanent: true };
          case 'no-credentials':
            return { kind: 'failed', code: status, reason: `no credentials for realm ${outcome.realms.join(', ')}`, permanent: true };
          case 'unsupported':
            return { kind: 'failed', code: status, reason: 'no authentication scheme we support', permanent: true };
        }
      }

      // §10.2.8: "the UAC MAY retry the registration with an expiration interval ... greater
      // than or equal to the expiration interval within the Min-Expires header field".
      if (status === 423 && expires > 0) {
        const minimum = readOrNone(() => response.typed(MinExpiresHeader));
        if (minimum !== undefined && minimum > expires) {
          expires = minimum;
          this.requestedExpires = minimum;
          continue;
        }
      }
      return failureOfResponse(response);
    }
    return { kind: 'failed', reason: 'too many REGISTER retries', permanent: false };
  }

  /** The next REGISTER, and the credential fields it carries (handed back with a challenge). */
  private createRequest(expires: number, answer: readonly AuthorizationField[] | undefined): { request: SipRequest; carried: readonly AuthorizationField[] } {
    const uri = this.registrar.toString();
    // §22.3: with no challenge to answer, credentials the DigestClient remembers go along anyway.
    const credentials = answer ?? this.digest.authorize({ method: 'REGISTER', uri });
    const request = createRegisterRequest({
      registrar: this.registrar,
      route: this.proxyRoute,
      aor: this.aor,
      fromTag: this.fromTag,
      callId: this.callId,
      cseq: ++this.cseq,
      contact: this.contact,
      expires,
      supported: SUPPORTED,
      allow: this.allow,
      ...(this.userAgent === undefined ? {} : { userAgent: this.userAgent }),
      credentials,
    });
    return { request, carried: credentials };
  }

  /**
   * RFC 5626 §4.5: wait min(max-time, base-time · 2^failures), 50–100 % of it, then try again;
   * a permanent failure (wrong password, 403, 404) waits for the user or a network change.
   */
  private fail(outcome: Extract<Exchange, { kind: 'failed' }>): void {
    this.serviceRouteValue = [];
    this.stateTransition(S.Failed, { ...(outcome.code === undefined ? {} : { code: outcome.code }), reason: outcome.reason });
    if (outcome.permanent) return;
    this.consecutiveFailures++;
    this.startTimer(flowRecoveryWaitMs(this.consecutiveFailures, this.flowRecovery, this.random), () => this.startRegistering());
  }

  private forgetBinding(): void {
    this.serviceRouteValue = [];
    this.bindingExpiresAt = undefined;
  }

  private startTimer(ms: number, callback: () => void): void {
    this.stopTimer();
    const handle = this.clock.setTimeout(() => {
      if (this.timer === handle) this.timer = undefined;
      callback();
    }, ms);
    this.timer = handle;
  }

  private stopTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private checkAlive(): void {
    if (this.disposed) throw new RegistrationStateError('disposed', 'any');
  }

  /** The one place the state changes: refuses moves the diagram does not have. */
  private stateTransition(to: RegistrationState, details: Omit<RegistrationStatus, 'state'> = {}): void {
    const from = this.stateValue;
    if (!legalRegistrationMoves[from].includes(to)) throw new RegistrationStateError(from, to);
    this.stateValue = to;
    this.statusValue = { state: to, ...details };
    this.delegate?.onStateChange?.(this.statusValue);
  }
}

function sipUriOf(value: Uri | string, what: string): SipUri {
  const uri = typeof value === 'string' ? parseUri(value, `Bad ${what}`) : value;
  if (!isSipUri(uri)) throw new RangeError(`the ${what} must be a sip: or sips: URI`);
  return uri;
}

/** The next hop with the transport to use, checked against what it already says. */
function pinTransport(uri: SipUri, transport: TransportProtocol): SipUri {
  const written = uri.transport?.toLowerCase();
  if (written !== undefined) {
    if (written !== transport) throw new RangeError(`${uri.toString()} says transport=${written}, the account ${transport}`);
    return uri;
  }
  if (uri.scheme === 'sips') {
    // RFC 3261 §26.2.2: a SIPS URI means TLS all the way; the parameter is not needed.
    if (transport !== 'tls') throw new RangeError(`a sips: URI cannot be reached over ${transport}`);
    return uri;
  }
  return uri.withParam('transport', transport);
}

/**
 * A final non-2xx answer. §21.4.4 403: "Authorization will not help, and the request SHOULD
 * NOT be repeated"; §21.4.5 404: the user does not exist at this domain. Retrying either on a
 * timer only hammers the registrar: they wait for the user or a network change.
 */
function failureOfResponse(response: SipResponse): Exchange {
  const permanent = response.status === 403 || response.status === 404;
  return { kind: 'failed', code: response.status, reason: response.reason, permanent };
}

/**
 * §8.1.3.1: a timeout counts as a 408, a transport failure (RFC 3263: no destination either)
 * as a 503. Anything else is a bug below us (a sender without a locator...): shown, not retried.
 */
function failureOfError(error: unknown): Exchange {
  if (error instanceof SipRequestError) {
    if (error.code === 'timeout') return { kind: 'failed', code: 408, reason: 'no answer from the registrar', permanent: false };
    return { kind: 'failed', code: 503, reason: error.message, permanent: false };
  }
  return { kind: 'failed', reason: error instanceof Error ? error.message : String(error), permanent: true };
}

function readOrNone<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof SipParseError) return undefined;
    throw error;
  }
}

function readOrEmpty<T>(read: () => readonly T[]): readonly T[] {
  return readOrNone(read) ?? [];
}
