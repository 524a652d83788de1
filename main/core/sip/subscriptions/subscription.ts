/**
 * A subscription we make (RFC 6665 §4.1): the initial SUBSCRIBE outside any dialog, the
 * dialogs its 2xx and its NOTIFYs create — one per notifier when it forks (§4.1.2.4, §4.5.1) —
 * and the §4.1.3 retry rules when it ends. One class for every event package: the package is
 * the `event` and `accept` options, and its bodies are read by the owner in `onNotify`.
 *
 * Its dialogs are routed to it by the user agent core (`SessionContext.addDialog`); a NOTIFY
 * that arrives before the 2xx, or from another fork, names a dialog nobody registered yet, so
 * it is also registered under the key with an empty remote tag (Call-ID, our From tag) — see
 * `receiveRequest`.
 */
import { randomBytes } from 'node:crypto';
import type { AuthorizationField } from '../auth/index.js';
import { Dialog, DialogStateError, dialogKey } from '../dialogs/index.js';
import { defaultMaxBodyBytes } from '../events/body-limits.js';
import { createResponse } from '../messages/create-response.js';
import { NameAddr, SipRequest, parseNameAddr, type SipEvent, type SipResponse } from '../messages/index.js';
import { SipRequestError } from '../sip-endpoint.js';
import type { Exchange, SessionContext } from '../user-agent/session-context.js';
import { parseUri, type Uri } from '../uri/index.js';
import type { EventNotification } from './event-notification.js';
import { defaultRefreshJitter } from './refresh-timing.js';
import { retryDecision } from './retry-decision.js';
import { credentialHeaders } from './send-request.js';
import { SubscriberDialogUsage, readMinExpires, type Responder } from './subscriber-dialog-usage.js';
import { SubscriberState } from './subscriber-state.js';
import { readNotifyHeaders, toEvent } from './subscription-headers.js';
import type { SubscriptionTermination } from './subscription-termination.js';

export interface SubscriptionDelegate {
  onStateChange?(state: SubscriberState): void;
  /** Each NOTIFY's state and body; throw an `EventBodyError` to refuse a body (400/413). */
  onNotify?(notification: EventNotification): void;
  /** It ended and will not be retried. */
  onTerminated?(termination: SubscriptionTermination): void;
  /** It ended and a new SUBSCRIBE goes out in `afterSeconds` (§4.1.3). */
  onRetry?(afterSeconds: number, termination: SubscriptionTermination): void;
}

export interface SubscriptionOptions {
  /** The resource: Request-URI and To (§4.1.2.1), e.g. `sip:bob@example.com`. */
  readonly target: string | Uri;
  /** The Event header (§8.2.1): "presence", "dialog", "message-summary"... */
  readonly event: string;
  /** Accept (§4.1.2.1): the body formats we read, e.g. ["application/pidf+xml"]. */
  readonly accept?: readonly string[];
  /** Seconds asked for (§4.1.2.1); the notifier may grant less. Default 3600. */
  readonly expires?: number;
  readonly delegate?: SubscriptionDelegate;
  /** NOTIFY bodies above this many bytes are refused with 413. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  /** 0..1, how much earlier than due refreshes may go, at random (see `refreshDelayMs`). Default 0.1. */
  readonly refreshJitter?: number;
  /** Seconds to wait before retrying after probation or giveup without retry-after. Default 60. */
  readonly retryDelaySeconds?: number;
  /** Most new SUBSCRIBEs in a row without reaching "active". Default 5. */
  readonly maxRetries?: number;
  /** More header fields for every SUBSCRIBE. */
  readonly headers?: readonly (readonly [string, string])[];
  /** Uniform in [0, 1): the refresh jitter. Default: the user agent's. */
  readonly random?: () => number;
}

/** One try: a Call-ID and From tag, and the dialogs it made. */
interface Attempt {
  readonly callId: string;
  readonly from: NameAddr;
  cseq: number;
  expires: number;
  /** The initial SUBSCRIBE has its final response (or failed). */
  settled: boolean;
  /** The initial SUBSCRIBE as sent last, for `Dialog.asUac`. */
  request: SipRequest | undefined;
  readonly usages: Map<string, SubscriberDialogUsage>;
  /** Remote tags of dialogs that already ended, so a late 2xx does not revive them. */
  readonly ended: Set<string>;
  last: SubscriptionTermination | undefined;
  /** Every dialog ended and the retry rules were applied. */
  over: boolean;
}

export class Subscription {
  delegate: SubscriptionDelegate | undefined;
  readonly event: SipEvent;
  private readonly target: Uri;
  private readonly to: NameAddr;
  private readonly accept: readonly string[];
  private readonly expires: number;
  private readonly maxBodyBytes: number;
  private readonly jitter: number;
  private readonly retryDelaySeconds: number;
  private readonly maxRetries: number;
  private readonly extraHeaders: readonly (readonly [string, string])[];
  private readonly random: () => number;
  private current = SubscriberState.Initial;
  private attempt: Attempt | undefined;
  private retries = 0;
  private unsubscribing = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly context: SessionContext,
    options: SubscriptionOptions,
  ) {
    this.event = toEvent(options.event);
    this.target = typeof options.target === 'string' ? parseUri(options.target) : options.target;
    this.to = new NameAddr(this.target);
    this.accept = options.accept ?? [];
    this.expires = options.expires ?? 3600;
    this.delegate = options.delegate;
    this.maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
    this.jitter = options.refreshJitter ?? defaultRefreshJitter;
    this.retryDelaySeconds = options.retryDelaySeconds ?? 60;
    this.maxRetries = options.maxRetries ?? 5;
    this.extraHeaders = options.headers ?? [];
    this.random = options.random ?? context.settings.random;
  }

  get state(): SubscriberState {
    return this.current;
  }

  /** The subscriptions per dialog still alive (more than one when the SUBSCRIBE forked). */
  get dialogs(): readonly SubscriberDialogUsage[] {
    return this.attempt === undefined ? [] : [...this.attempt.usages.values()].filter((u) => u.state !== SubscriberState.Terminated);
  }

  /** Sends the initial SUBSCRIBE (§4.1.2.1). */
  subscribe(): void {
    if (this.current !== SubscriberState.Initial && this.current !== SubscriberState.RetryWait) {
      throw new Error(`subscribe() in state ${this.current}`);
    }
    this.clearRetry();
    this.startAttempt();
  }

  /** Refreshes every dialog's subscription now (§4.1.2.2); they also refresh on their own. */
  refresh(): void {
    for (const usage of this.dialogs) usage.refresh();
  }

  /**
   * §4.1.2.3: Expires: 0 in each dialog. Before any dialog exists, the first one made is
   * unsubscribed at once; while waiting to retry, the retry is dropped.
   */
  unsubscribe(): void {
    if (this.current === SubscriberState.Terminated || this.unsubscribing) return;
    this.unsubscribing = true;
    if (this.current === SubscriberState.RetryWait || this.current === SubscriberState.Initial) {
      this.clearRetry();
      this.finish({ cause: 'unsubscribed' });
      return;
    }
    const live = this.dialogs;
    for (const usage of live) usage.unsubscribe();
    if (live.length === 0 && this.attempt?.settled !== false) this.finish({ cause: 'unsubscribed' });
  }

  /**
   * A request routed to us by the user agent core: in one of our dialogs, or (empty remote tag
   * key) a NOTIFY naming our Call-ID and From tag from a notifier we have no dialog with yet —
   * before the 2xx, or another fork. §4.1.2.4: "a NOTIFY ... that matches [the SUBSCRIBE] ...
   * creates a new subscription and a new dialog".
   */
  receiveRequest(request: SipRequest, transaction: Responder, key: string): void {
    const attempt = this.attempt;
    const known = attempt?.usages.get(key);
    if (known !== undefined) {
      known.receiveRequest(request, transaction);
      return;
    }
    const remoteTag = request.from.tag;
    if (
      attempt === undefined ||
      attempt.over ||
      this.current === SubscriberState.Terminated ||
      request.method !== 'NOTIFY' ||
      request.callId !== attempt.callId ||
      request.to.tag !== attempt.from.tag ||
      remoteTag === undefined ||
      attempt.ended.has(remoteTag)
    ) {
      respond(transaction, request, 481);
      return;
    }
    // Refused NOTIFYs make no dialog: check the headers and the size first.
    const headers = readNotifyHeaders(request, this.event);
    if (!headers.ok) {
      respond(transaction, request, headers.status, headers.reason);
      return;
    }
    if (request.body.length > this.maxBodyBytes) {
      respond(transaction, request, 413);
      return;
    }
    let dialog: Dialog;
    try {
      // §4.1.2.4: the dialog as a UAS would make it from the NOTIFY (route set from its
      // Record-Route in order, remote target from its Contact); our local tag is its To tag.
      dialog = Dialog.asUas(request, createResponse(request, 200), this.context.settings.contact);
    } catch (error) {
      if (!(error instanceof DialogStateError)) throw error;
      respond(transaction, request, 400, 'Missing Contact');
      return;
    }
    const usage = this.addUsage(attempt, dialog, request);
    usage.receiveRequest(request, transaction);
    // The owner refused its body (EventBodyError): the dialog stands, but only 64·T1 more
    // without a NOTIFY it takes (§4.1.2.4).
    if (!usage.hasNotify) usage.awaitNotify();
    if (this.unsubscribing) usage.unsubscribe();
  }

  private startAttempt(): void {
    const settings = this.context.settings;
    const attempt: Attempt = {
      // §4.1.2.2: a new subscription has "a freshly generated Call-ID and a new, unique 'From' tag".
      callId: randomBytes(12).toString('hex'),
      from: parseNameAddr(settings.from, 'From').withTag(randomBytes(6).toString('hex')),
      cseq: Math.floor(settings.random() * 10000),
      expires: this.expires,
      settled: false,
      request: undefined,
      usages: new Map(),
      ended: new Set(),
      last: undefined,
      over: false,
    };
    this.attempt = attempt;
    this.context.addDialog(this.halfKey(attempt), this);
    this.stateTransition(SubscriberState.NotifyWait);
    void this.sendSubscribe(attempt);
  }

  private async sendSubscribe(attempt: Attempt): Promise<void> {
    let exchange: Exchange;
    try {
      exchange = await this.context.exchange((credentials) => this.buildSubscribe(attempt, credentials));
    } catch (error) {
      if (!(error instanceof SipRequestError)) throw error;
      if (this.attempt !== attempt) return;
      attempt.settled = true;
      if (this.liveUsages(attempt) === 0) this.attemptFailed(attempt, attempt.last ?? { cause: 'request-failed' });
      return;
    }
    if (this.attempt !== attempt) return;
    const { request, response } = exchange;
    const status = response.status;
    if (status >= 200 && status < 300) {
      attempt.settled = true;
      this.receiveSuccess(attempt, request, response);
      return;
    }
    // §4.1.2.1 / RFC 3261 §21.4.17: 423 (Interval Too Brief) with Min-Expires: ask again for that.
    if (status === 423) {
      const minimum = readMinExpires(response);
      if (minimum !== undefined && minimum > attempt.expires) {
        attempt.expires = minimum;
        await this.sendSubscribe(attempt);
        return;
      }
    }
    attempt.settled = true;
    // A NOTIFY from another fork may have made a subscription already (§4.1.2.4).
    if (this.liveUsages(attempt) > 0) return;
    const retryAfter = readRetryAfter(response);
    this.attemptFailed(attempt, attempt.last ?? { cause: 'rejected', code: status, ...(retryAfter === undefined ? {} : { retryAfter }) });
  }

  /** §4.1.2.1 and RFC 3261 §8.1.1: the initial SUBSCRIBE; a new CSeq each time it is built. */
  private buildSubscribe(attempt: Attempt, credentials: readonly AuthorizationField[]): SipRequest {
    const settings = this.context.settings;
    attempt.cseq += 1;
    const headers: [string, string][] = [
      ...settings.routeSet.map((route): [string, string] => ['Route', route]),
      ['Max-Forwards', '70'],
      ['From', attempt.from.toString()],
      ['To', this.to.toString()],
      ['Call-ID', attempt.callId],
      ['CSeq', `${attempt.cseq} SUBSCRIBE`],
      ['Contact', settings.contact],
      ['Event', this.event.toString()],
      ['Expires', `${attempt.expires}`],
      ...this.commonHeaders(),
      ...credentialHeaders(credentials),
    ];
    const request = new SipRequest({ method: 'SUBSCRIBE', uri: this.target, headers });
    attempt.request = request;
    return request;
  }

  /** Accept, User-Agent and the owner's fields: every SUBSCRIBE, initial or refresh. */
  private commonHeaders(): [string, string][] {
    const headers: [string, string][] = [];
    if (this.accept.length > 0) headers.push(['Accept', this.accept.join(', ')]);
    const userAgent = this.context.settings.userAgent;
    if (userAgent !== undefined) headers.push(['User-Agent', userAgent]);
    for (const [name, value] of this.extraHeaders) headers.push([name, value]);
    return headers;
  }

  /**
   * §4.1.2.4: "If a 200-class response matches such a SUBSCRIBE request, it creates a new
   * subscription and a new dialog (unless they have already been created by a matching NOTIFY
   * request)". Without a NOTIFY within 64·T1 it fails.
   */
  private receiveSuccess(attempt: Attempt, request: SipRequest, response: SipResponse): void {
    const tag = response.to.tag;
    if (tag === undefined || attempt.ended.has(tag)) {
      if (this.liveUsages(attempt) === 0) this.attemptFailed(attempt, attempt.last ?? { cause: 'rejected', code: response.status });
      return;
    }
    const key = dialogKey({ callId: attempt.callId, localTag: attempt.from.tag ?? '', remoteTag: tag });
    let usage = attempt.usages.get(key);
    if (usage === undefined) {
      let dialog: Dialog;
      try {
        dialog = Dialog.asUac(request, response, this.context.settings.contact);
      } catch (error) {
        if (!(error instanceof DialogStateError)) throw error;
        if (this.liveUsages(attempt) === 0) this.attemptFailed(attempt, { cause: 'rejected', code: response.status });
        return;
      }
      usage = this.addUsage(attempt, dialog);
    }
    usage.receiveSubscribeSuccess(response, attempt.expires);
    usage.awaitNotify();
    if (this.unsubscribing) usage.unsubscribe();
  }

  private addUsage(attempt: Attempt, dialog: Dialog, creatingNotify?: SipRequest): SubscriberDialogUsage {
    const remoteTag = dialog.id.remoteTag;
    const usage = new SubscriberDialogUsage({
      dialog,
      event: this.event,
      send: (build) => this.context.exchange(build),
      refresh: { expires: attempt.expires, headers: this.commonHeaders(), jitter: this.jitter, random: this.random },
      maxBodyBytes: this.maxBodyBytes,
      t1: this.context.settings.timers.t1,
      lastLocalSeq: attempt.cseq,
      ...(creatingNotify === undefined ? {} : { creatingNotify }),
      delegate: {
        onNotify: (notification) => {
          if (this.attempt === attempt) this.delegate?.onNotify?.(notification);
        },
        onStateChange: () => {
          if (this.attempt === attempt) this.updateState(attempt);
        },
        onTerminated: (termination) => {
          attempt.ended.add(remoteTag);
          attempt.usages.delete(dialog.key);
          this.context.removeDialog(dialog.key);
          attempt.last = termination;
          if (this.attempt !== attempt) return;
          if (this.liveUsages(attempt) > 0 || !attempt.settled) return;
          this.attemptFailed(attempt, termination);
        },
      },
    });
    attempt.usages.set(dialog.key, usage);
    this.context.addDialog(dialog.key, this);
    return usage;
  }

  /** The aggregate over forks: active if any is, else pending if any is. */
  private updateState(attempt: Attempt): void {
    const states = [...attempt.usages.values()].map((u) => u.state);
    if (states.includes(SubscriberState.Active)) {
      this.retries = 0;
      this.stateTransition(SubscriberState.Active);
    } else if (states.includes(SubscriberState.Pending)) {
      this.stateTransition(SubscriberState.Pending);
    }
  }

  /** Every dialog of the attempt ended (or none was made): retry per §4.1.3, or finish. */
  private attemptFailed(attempt: Attempt, termination: SubscriptionTermination): void {
    if (attempt.over) return;
    attempt.over = true;
    this.context.removeDialog(this.halfKey(attempt));
    for (const usage of attempt.usages.values()) usage.dispose();
    if (this.unsubscribing) {
      this.finish(termination.cause === 'unsubscribed' ? termination : { ...termination, cause: 'unsubscribed' });
      return;
    }
    const decision = retryDecision(termination, this.retryDelaySeconds);
    if (!decision.retry || this.retries >= this.maxRetries) {
      this.finish(termination);
      return;
    }
    this.retries += 1;
    this.stateTransition(SubscriberState.RetryWait);
    this.delegate?.onRetry?.(decision.afterSeconds, termination);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.current === SubscriberState.RetryWait) this.startAttempt();
    }, decision.afterSeconds * 1000);
  }

  private finish(termination: SubscriptionTermination): void {
    if (this.current === SubscriberState.Terminated) return;
    const attempt = this.attempt;
    if (attempt !== undefined) {
      this.context.removeDialog(this.halfKey(attempt));
      for (const usage of attempt.usages.values()) usage.dispose();
    }
    this.stateTransition(SubscriberState.Terminated);
    this.delegate?.onTerminated?.(termination);
  }

  private liveUsages(attempt: Attempt): number {
    let live = 0;
    for (const usage of attempt.usages.values()) if (usage.state !== SubscriberState.Terminated) live++;
    return live;
  }

  private halfKey(attempt: Attempt): string {
    return dialogKey({ callId: attempt.callId, localTag: attempt.from.tag ?? '', remoteTag: '' });
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private stateTransition(to: SubscriberState): void {
    if (this.current === to) return;
    if (this.current === SubscriberState.Terminated) throw new Error(`a terminated subscription cannot become ${to}`);
    this.current = to;
    this.delegate?.onStateChange?.(to);
  }
}

/** RFC 3261 §20.33: `Retry-After: 120 (in a meeting);duration=3600` — the delta-seconds. */
function readRetryAfter(response: SipResponse): number | undefined {
  const match = /^\s*([0-9]{1,9})\b/.exec(response.get('Retry-After') ?? '');
  return match === null ? undefined : Number(match[1]);
}

function respond(transaction: Responder, request: SipRequest, status: number, reason?: string): void {
  transaction.respond(createResponse(request, status, reason === undefined ? {} : { reason }));
}
