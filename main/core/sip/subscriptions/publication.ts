/**
 * Event state we publish (RFC 3903): our presence document kept at the presence server (the
 * event state compositor) under an entity-tag it gives us.
 *
 * ```
 *   Initial ──publish(body)──▶ Publishing ──2xx + SIP-ETag──▶ Published ──refresh/modify──▶ Publishing
 *                                  │  ▲ 412: initial again          │
 *                                  │  └─ timeout/5xx: RetryWait ◀───┤
 *                                  ├── 489/405/501 ──▶ Unsupported  │
 *                                  └── other 4xx–6xx ──▶ Failed     └─remove()─▶ Removing ──▶ Removed
 * ```
 *
 * §4.1: the initial PUBLISH carries the body and no SIP-If-Match; §4.2: a refresh carries
 * SIP-If-Match and no body; §4.3: a modification carries SIP-If-Match and the new body; §4.4:
 * a removal carries SIP-If-Match and Expires: 0. Every 2xx gives the entity-tag the next request
 * must name (§6: "the ESC MUST ... assign a new entity-tag"). One request is in flight at a
 * time: a body set meanwhile goes out when the answer comes.
 */
import { randomBytes } from 'node:crypto';
import type { AuthorizationField } from '../auth/index.js';
import { NameAddr, SipRequest, parseNameAddr, type SipResponse } from '../messages/index.js';
import { SipRequestError } from '../sip-endpoint.js';
import type { Exchange, SessionContext } from '../user-agent/session-context.js';
import { parseUri, type Uri } from '../uri/index.js';
import { defaultRefreshJitter, refreshDelayMs } from './refresh-timing.js';
import { credentialHeaders } from './send-request.js';
import { readMinExpires } from './subscriber-dialog-usage.js';

export enum PublicationState {
  Initial = 'Initial',
  Publishing = 'Publishing',
  Published = 'Published',
  RetryWait = 'RetryWait',
  Removing = 'Removing',
  Removed = 'Removed',
  /** The server does not take PUBLISH or this event package (405, 501, 489). */
  Unsupported = 'Unsupported',
  /** Refused for good (403, 404...): nothing more is sent. */
  Failed = 'Failed',
}

export interface PublicationDelegate {
  onStateChange?(state: PublicationState): void;
  /** PUBLISH or the event package is not served there (`code`: 405, 489 or 501). */
  onUnsupported?(code: number): void;
  /** Refused for good (403, 404...): `code` is the final status. */
  onFailed?(code: number): void;
}

export interface PublicationOptions {
  /** The presentity: Request-URI and To (§4.1), our address of record. */
  readonly target: string | Uri;
  /** The Event header, e.g. "presence". */
  readonly event: string;
  /** The Content-Type of the bodies, e.g. "application/pidf+xml". */
  readonly contentType: string;
  /** Seconds asked for; the server may grant less (§4.1, §5 step 7). Default 3600. */
  readonly expires?: number;
  readonly delegate?: PublicationDelegate;
  /** 0..1: how much earlier than due refreshes may go, at random. Default 0.1. */
  readonly refreshJitter?: number;
  /** Seconds before trying again after a timeout, 408, 480 or 5xx without Retry-After. Default 60. */
  readonly retryDelaySeconds?: number;
  /** Uniform in [0, 1): the refresh jitter. Default: the user agent's. */
  readonly random?: () => number;
}

/** What the next PUBLISH does: §4.1 initial, §4.2 refresh, §4.3 modify, §4.4 remove. */
type Operation = 'initial' | 'refresh' | 'modify' | 'remove';

/** Statuses that say PUBLISH or the package is not served: §8.2.1 of RFC 3261 and RFC 6665 §8.3.2 (489 Bad Event). */
const UNSUPPORTED = new Set([405, 489, 501]);

export class Publication {
  delegate: PublicationDelegate | undefined;
  private readonly target: Uri;
  private readonly to: NameAddr;
  private readonly event: string;
  private readonly contentType: string;
  private readonly jitter: number;
  private readonly retryDelaySeconds: number;
  private readonly random: () => number;
  private readonly callId = randomBytes(12).toString('hex');
  private readonly from: NameAddr;
  private cseq: number;
  private expires: number;
  private current = PublicationState.Initial;
  /** The entity-tag of the state the server holds for us (§6), from the last 2xx. */
  private etag: string | undefined;
  /** The body the server should hold; refreshes do not resend it. */
  private body: string | undefined;
  /** A new body set while a request was in flight: sent when it is answered. */
  private bodyChanged = false;
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private removing = false;
  private removal: Promise<void> | undefined;

  constructor(
    private readonly context: SessionContext,
    options: PublicationOptions,
  ) {
    this.target = typeof options.target === 'string' ? parseUri(options.target) : options.target;
    this.to = new NameAddr(this.target);
    this.event = options.event;
    this.contentType = options.contentType;
    this.expires = options.expires ?? 3600;
    this.delegate = options.delegate;
    this.jitter = options.refreshJitter ?? defaultRefreshJitter;
    this.retryDelaySeconds = options.retryDelaySeconds ?? 60;
    this.random = options.random ?? context.settings.random;
    this.from = parseNameAddr(context.settings.from, 'From').withTag(randomBytes(6).toString('hex'));
    this.cseq = Math.floor(context.settings.random() * 10000);
  }

  get state(): PublicationState {
    return this.current;
  }

  /** The entity-tag the server gave last, if any. */
  get entityTag(): string | undefined {
    return this.etag;
  }

  /**
   * Publishes `body`: the initial PUBLISH (§4.1), or a modification of the published state
   * (§4.3). After `remove()`, an unsupported or failed publication, nothing is sent.
   */
  publish(body: string): void {
    if (this.isOver() || this.removing) return;
    this.body = body;
    this.bodyChanged = true;
    if (this.inFlight !== undefined) return;
    this.clearTimer();
    this.send(this.etag === undefined ? 'initial' : 'modify');
  }

  /**
   * §4.4: removes our state (SIP-If-Match, Expires: 0) once any request in flight is answered;
   * resolves when the removal is answered, or at once when nothing is published. Nothing is
   * sent afterwards.
   */
  remove(): Promise<void> {
    if (this.removal === undefined) this.removal = this.isOver() ? Promise.resolve() : this.runRemoval();
    return this.removal;
  }

  private async runRemoval(): Promise<void> {
    this.removing = true;
    this.clearTimer();
    this.body = undefined;
    this.bodyChanged = false;
    while (this.inFlight !== undefined) await this.inFlight.catch(() => undefined);
    this.clearTimer();
    if (this.isOver()) return;
    if (this.etag === undefined) {
      this.stateTransition(PublicationState.Removed);
      return;
    }
    this.stateTransition(PublicationState.Removing);
    await this.exchange('remove');
  }

  /** Stops every timer without sending anything (the user agent is going away). */
  dispose(): void {
    this.clearTimer();
    if (!this.isOver()) this.stateTransition(PublicationState.Removed);
  }

  private isOver(): boolean {
    return this.current === PublicationState.Removed || this.current === PublicationState.Unsupported || this.current === PublicationState.Failed;
  }

  private send(operation: Operation): void {
    this.stateTransition(PublicationState.Publishing);
    const flight = this.exchange(operation);
    this.inFlight = flight;
    void flight.finally(() => {
      if (this.inFlight === flight) this.inFlight = undefined;
    });
  }

  /** One PUBLISH and what its answer means (§6 steps seen from the publisher, §4.1–§4.4). */
  private async exchange(operation: Operation): Promise<void> {
    if (operation === 'initial' || operation === 'modify') this.bodyChanged = false;
    const expires = operation === 'remove' ? 0 : this.expires;
    let exchange: Exchange;
    try {
      exchange = await this.context.exchange((credentials) => this.build(operation, expires, credentials));
    } catch (error) {
      if (!(error instanceof SipRequestError)) throw error;
      if (operation === 'remove') this.finishRemoval();
      else if (!this.isOver() && !this.removing) this.afterFailure(undefined);
      return;
    }
    const { response } = exchange;
    const status = response.status;
    if (operation === 'remove') {
      this.finishRemoval();
      return;
    }
    if (this.isOver()) return;
    if (this.removing) {
      // remove() waits for this answer: only the entity-tag matters now.
      if (status >= 200 && status < 300) this.etag = response.get('SIP-ETag')?.trim() || this.etag;
      return;
    }
    if (status >= 200 && status < 300) {
      this.receiveSuccess(response);
      return;
    }
    // §4.1: "423 (Interval Too Brief) ... the EPA MAY retry the publication with a higher
    // expiration interval" — the Min-Expires the server names.
    if (status === 423) {
      const minimum = readMinExpires(response);
      if (minimum !== undefined && minimum > this.expires) {
        this.expires = minimum;
        await this.exchange(operation === 'refresh' ? 'refresh' : this.etag === undefined ? 'initial' : 'modify');
        return;
      }
    }
    // §6 step 3 / §4.2: "412 (Conditional Request Failed)": the entity-tag is unknown there
    // (expired, or the server restarted) — publish the state again from scratch.
    if (status === 412) {
      this.etag = undefined;
      if (this.body === undefined) {
        this.stateTransition(PublicationState.Initial);
        return;
      }
      await this.exchange('initial');
      return;
    }
    if (UNSUPPORTED.has(status)) {
      this.clearTimer();
      this.etag = undefined;
      this.stateTransition(PublicationState.Unsupported);
      this.delegate?.onUnsupported?.(status);
      return;
    }
    this.afterFailure(response);
  }

  private finishRemoval(): void {
    this.etag = undefined;
    if (!this.isOver()) this.stateTransition(PublicationState.Removed);
  }

  /** §4.1 step: "the 2xx response ... contains an entity-tag ... and an Expires header field". */
  private receiveSuccess(response: SipResponse): void {
    const etag = response.get('SIP-ETag')?.trim();
    if (etag !== undefined && etag !== '') this.etag = etag;
    let granted: number | undefined;
    try {
      granted = response.expires;
    } catch {
      granted = undefined;
    }
    const lasts = granted !== undefined && granted > 0 && granted <= this.expires ? granted : this.expires;
    if (this.etag === undefined) {
      // A 2xx without an entity-tag cannot be refreshed or modified: publish again at the refresh.
      this.stateTransition(PublicationState.Published);
      this.schedule(lasts, () => this.body !== undefined && this.send('initial'));
      return;
    }
    this.stateTransition(PublicationState.Published);
    if (this.bodyChanged && this.body !== undefined) {
      this.send('modify');
      return;
    }
    this.schedule(lasts, () => this.send('refresh'));
  }

  /**
   * No answer, or a failure that may pass (408, 480, 5xx, or any with Retry-After): try again
   * later — the state the server held stays until its expiry, so a refresh may still work.
   * Anything else is final.
   */
  private afterFailure(response: SipResponse | undefined): void {
    const status = response?.status ?? 0;
    const retryAfter = response === undefined ? undefined : readRetryAfter(response);
    const transient = response === undefined || status === 408 || status === 480 || status >= 500 || retryAfter !== undefined;
    if (!transient) {
      this.clearTimer();
      this.etag = undefined;
      this.stateTransition(PublicationState.Failed);
      this.delegate?.onFailed?.(status);
      return;
    }
    this.stateTransition(PublicationState.RetryWait);
    this.clearTimer();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.current !== PublicationState.RetryWait) return;
        if (this.etag !== undefined) this.send(this.bodyChanged ? 'modify' : 'refresh');
        else if (this.body !== undefined) this.send('initial');
      },
      (retryAfter ?? this.retryDelaySeconds) * 1000,
    );
  }

  private schedule(seconds: number, run: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.current === PublicationState.Published) run();
    }, refreshDelayMs(seconds, this.jitter, this.random));
  }

  private build(operation: Operation, expires: number, credentials: readonly AuthorizationField[]): SipRequest {
    const settings = this.context.settings;
    this.cseq += 1;
    const headers: [string, string][] = [
      ...settings.routeSet.map((route): [string, string] => ['Route', route]),
      ['Max-Forwards', '70'],
      ['From', this.from.toString()],
      ['To', this.to.toString()],
      ['Call-ID', this.callId],
      ['CSeq', `${this.cseq} PUBLISH`],
      ['Event', this.event],
      ['Expires', `${expires}`],
    ];
    if (operation !== 'initial' && this.etag !== undefined) headers.push(['SIP-If-Match', this.etag]);
    if (settings.userAgent !== undefined) headers.push(['User-Agent', settings.userAgent]);
    headers.push(...credentialHeaders(credentials));
    const withBody = (operation === 'initial' || operation === 'modify') && this.body !== undefined;
    if (withBody) headers.push(['Content-Type', this.contentType]);
    return new SipRequest({ method: 'PUBLISH', uri: this.target, headers, ...(withBody ? { body: this.body } : {}) });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private stateTransition(to: PublicationState): void {
    if (this.current === to) return;
    if (this.isOver()) throw new Error(`a publication in state ${this.current} cannot become ${to}`);
    this.current = to;
    this.delegate?.onStateChange?.(to);
  }
}

/** RFC 3261 §20.33: the delta-seconds of a Retry-After. */
function readRetryAfter(response: SipResponse): number | undefined {
  const match = /^\s*([0-9]{1,9})\b/.exec(response.get('Retry-After') ?? '');
  return match === null ? undefined : Number(match[1]);
}
