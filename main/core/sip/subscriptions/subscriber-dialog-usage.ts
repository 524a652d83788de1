/**
 * The subscriber's side of one subscription in one dialog (RFC 6665 §4.1, RFC 5057 §3): it
 * answers the NOTIFYs (§4.1.3), follows Subscription-State, keeps the expiry, refreshes with
 * an in-dialog SUBSCRIBE (§4.1.2.2) and unsubscribes (§4.1.2.3).
 *
 * Used twice: by `Subscription`, one per dialog its SUBSCRIBE made (forks, §4.1.2.4), and on
 * its own for REFER's implicit subscription inside an INVITE dialog (RFC 3515 §2.4.4), where the
 * INVITE session hands it the NOTIFYs of its dialog and no refresh is sent.
 */
import { OutOfOrderRequestError, type Dialog } from '../dialogs/index.js';
import { EventBodyError } from '../events/event-body-error.js';
import { defaultMaxBodyBytes } from '../events/body-limits.js';
import { createResponse } from '../messages/create-response.js';
import { MinExpiresHeader, type SipEvent, type SipRequest, type SipResponse } from '../messages/index.js';
import { SipParseError } from '../grammar/sip-parse-error.js';
import { SipRequestError } from '../sip-endpoint.js';
import type { ServerTransaction } from '../transactions/index.js';
import type { EventNotification } from './event-notification.js';
import { refreshDelayMs } from './refresh-timing.js';
import { credentialHeaders, type SendRequest } from './send-request.js';
import { SubscriberState } from './subscriber-state.js';
import { readNotifyHeaders, toEvent } from './subscription-headers.js';
import type { SubscriptionTermination } from './subscription-termination.js';

/** What answers a request: a server transaction, or a test's fake of one. */
export type Responder = Pick<ServerTransaction, 'respond'>;

export interface SubscriberDialogDelegate {
  /**
   * A NOTIFY's body and state, before it is answered. Throwing an `EventBodyError` (a body the
   * owner cannot parse) answers it with that error's status (400, 413) and changes nothing.
   */
  onNotify?(notification: EventNotification): void;
  onStateChange?(state: SubscriberState): void;
  onTerminated?(termination: SubscriptionTermination): void;
}

/** How the subscription is kept alive; without it (REFER) nothing is refreshed. */
export interface SubscriberRefresh {
  /** The Expires asked for in each refresh. */
  readonly expires: number;
  /** Header fields every SUBSCRIBE carries (Accept, User-Agent...). */
  readonly headers: readonly (readonly [string, string])[];
  /** 0..1: see `refreshDelayMs`. */
  readonly jitter: number;
  readonly random: () => number;
}

export interface SubscriberDialogUsageOptions {
  readonly dialog: Dialog;
  /** The Event of the SUBSCRIBE (or `refer;id=<CSeq>` for a REFER). */
  readonly event: SipEvent | string;
  readonly send: SendRequest;
  readonly delegate?: SubscriberDialogDelegate;
  readonly refresh?: SubscriberRefresh;
  /** NOTIFYs without an Event id match too (RFC 3515 §2.4.6). */
  readonly idOptional?: boolean;
  /** Larger NOTIFY bodies are refused with 413. */
  readonly maxBodyBytes?: number;
  /** T1 (RFC 3261 §17.1.1.1), for 64·T1 waits. Default 500 ms. */
  readonly t1?: number;
  /**
   * The CSeq of the last request we sent towards this subscription: a dialog made by a NOTIFY
   * (§4.1.2.4) has no local sequence number, yet the notifier saw our SUBSCRIBE's.
   */
  readonly lastLocalSeq?: number;
  /** The NOTIFY that created `dialog` (§4.1.2.4), whose CSeq the dialog already holds. */
  readonly creatingNotify?: SipRequest;
  /**
   * The dialog belongs to another usage (an INVITE session) that checks each request's CSeq
   * (RFC 3261 §12.2.2) before handing it on; this usage then does not check it again.
   */
  readonly sharedDialog?: boolean;
}

type TimerName = 'refresh' | 'expiry' | 'notify-wait' | 'unsubscribe-wait';

export class SubscriberDialogUsage {
  delegate: SubscriberDialogDelegate | undefined;
  readonly dialog: Dialog;
  readonly event: SipEvent;
  private current: SubscriberState = SubscriberState.NotifyWait;
  private readonly send: SendRequest;
  private readonly refreshing: SubscriberRefresh | undefined;
  private readonly idOptional: boolean;
  private readonly maxBodyBytes: number;
  private readonly t1: number;
  private localSeq: number | undefined;
  private creatingNotify: SipRequest | undefined;
  private readonly sharedDialog: boolean;
  private notified = false;
  private unsubscribing = false;
  private refreshInFlight = false;
  private expiresAt: number | undefined;
  private readonly timers = new Map<TimerName, ReturnType<typeof setTimeout>>();

  constructor(options: SubscriberDialogUsageOptions) {
    this.dialog = options.dialog;
    this.event = toEvent(options.event);
    this.send = options.send;
    this.delegate = options.delegate;
    this.refreshing = options.refresh;
    this.idOptional = options.idOptional === true;
    this.maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
    this.t1 = options.t1 ?? 500;
    this.localSeq = options.lastLocalSeq;
    this.creatingNotify = options.creatingNotify;
    this.sharedDialog = options.sharedDialog === true;
  }

  get state(): SubscriberState {
    return this.current;
  }

  /** Whether a NOTIFY has been received (§4.1.2.4). */
  get hasNotify(): boolean {
    return this.notified;
  }

  /** Seconds until the subscription expires, if known. */
  get expiresIn(): number | undefined {
    return this.expiresAt === undefined ? undefined : Math.max(0, Math.round((this.expiresAt - Date.now()) / 1000));
  }

  /** Whether a NOTIFY is for this subscription: its Event matches (§8.2.1). */
  matches(request: SipRequest): boolean {
    try {
      const event = request.event;
      return event !== undefined && event.type === this.event.type && (event.id === this.event.id || (this.idOptional && event.id === undefined));
    } catch {
      return false;
    }
  }

  /**
   * A request in the dialog. NOTIFY (§4.1.3): 489 for another Event, 400 for a bad
   * Subscription-State, 413 for a body over the limit, 481 once terminated, 500 out of order
   * (RFC 3261 §12.2.2); otherwise the owner sees it, then 200. Other methods: 405.
   */
  receiveRequest(request: SipRequest, transaction: Responder, _key?: string): void {
    if (request.method !== 'NOTIFY') {
      respond(transaction, request, 405, [['Allow', 'NOTIFY']]);
      return;
    }
    if (this.current === SubscriberState.Terminated) {
      respond(transaction, request, 481);
      return;
    }
    const headers = readNotifyHeaders(request, this.event, this.idOptional);
    if (!headers.ok) {
      respond(transaction, request, headers.status, [], headers.reason);
      return;
    }
    if (request.body.length > this.maxBodyBytes) {
      respond(transaction, request, 413);
      return;
    }
    if (request !== this.creatingNotify && !this.sharedDialog) {
      try {
        this.dialog.receiveRequest(request);
      } catch (error) {
        if (!(error instanceof OutOfOrderRequestError)) throw error;
        respond(transaction, request, 500);
        return;
      }
    }
    this.creatingNotify = undefined;
    let contentType: string | undefined;
    try {
      contentType = request.body.length === 0 ? undefined : request.contentType?.mimeType;
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      respond(transaction, request, 400, [], 'Bad Content-Type header field');
      return;
    }
    const state = headers.subscriptionState;
    try {
      this.delegate?.onNotify?.({
        event: headers.event,
        subscriptionState: state,
        contentType,
        body: request.body,
        text: request.bodyText,
        dialogId: this.dialog.id,
      });
    } catch (error) {
      if (!(error instanceof EventBodyError)) throw error;
      respond(transaction, request, error.statusCode);
      return;
    }
    respond(transaction, request, 200, [['Contact', this.dialog.localContact]]);
    this.notified = true;
    this.clearTimer('notify-wait');
    switch (state.state) {
      // §4.1.3: "If the 'Subscription-State' header field value is 'active', it means that the
      // subscription has been accepted and (in general) has been authorized ... If the
      // 'Subscription-State' value is 'pending', the subscription has been received by the
      // notifier, but there is insufficient policy information to grant or deny". Their
      // 'expires' parameter is the authoritative duration.
      case 'active':
      case 'pending':
        if (!this.unsubscribing) this.stateTransition(state.state === 'active' ? SubscriberState.Active : SubscriberState.Pending);
        if (state.expires !== undefined && !this.unsubscribing) this.setExpiry(state.expires);
        return;
      // §4.1.3: "If the 'Subscription-State' value is 'terminated', the subscriber MUST
      // consider the subscription terminated." The reason decides any retry (see retryDecision).
      case 'terminated':
        this.terminated(
          this.unsubscribing
            ? { cause: 'unsubscribed', ...(state.reason === undefined ? {} : { reason: state.reason }) }
            : {
                cause: 'notify',
                ...(state.reason === undefined ? {} : { reason: state.reason }),
                ...(state.retryAfter === undefined ? {} : { retryAfter: state.retryAfter }),
              },
        );
        return;
      // An extension substate we do not know: the NOTIFY is taken, the state stays.
      default:
        return;
    }
  }

  /**
   * A 2xx to the SUBSCRIBE that made or refreshed this subscription: "The 'Expires' header field
   * in a 200-class response to SUBSCRIBE request indicates the actual duration for which the
   * subscription will remain active (unless refreshed)" (§4.1.2.1). Without one, `requested`.
   */
  receiveSubscribeSuccess(response: SipResponse, requested: number): void {
    if (this.current === SubscriberState.Terminated) return;
    let expires: number | undefined;
    try {
      expires = response.expires;
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
    }
    this.setExpiry(Math.min(expires ?? requested, requested));
  }

  /**
   * §4.1.2.4: a subscriber that gets no NOTIFY within 64·T1 of the 2xx to its SUBSCRIBE
   * considers the subscription failed. Started by the owner when the 2xx to its initial
   * SUBSCRIBE comes before any NOTIFY.
   */
  awaitNotify(): void {
    if (this.notified || this.current === SubscriberState.Terminated) return;
    this.setTimer('notify-wait', 64 * this.t1, () => this.terminated({ cause: 'notify-timeout' }));
  }

  /** Refreshes now (§4.1.2.2); done on its own before expiry when refreshing is configured. */
  refresh(): void {
    const refreshing = this.refreshing;
    if (refreshing === undefined || this.current === SubscriberState.Terminated || this.unsubscribing || this.refreshInFlight) return;
    void this.sendRefresh(refreshing.expires, true);
  }

  /**
   * §4.1.2.3: "Unsubscribing is handled in the same way as refreshing of a subscription, with
   * the 'Expires' header field set to '0'." The notifier then sends a NOTIFY "terminated"; if
   * none comes within 64·T1 the subscription ends anyway.
   */
  unsubscribe(): void {
    if (this.current === SubscriberState.Terminated || this.unsubscribing) return;
    this.unsubscribing = true;
    this.clearTimer('refresh');
    this.clearTimer('expiry');
    this.setTimer('unsubscribe-wait', 64 * this.t1, () => this.terminated({ cause: 'unsubscribed' }));
    void this.sendRefresh(0, false);
  }

  /** Ends it here, sending nothing (the owner's dialog ended, or it gives up). */
  dispose(): void {
    this.terminated({ cause: 'disposed' });
  }

  private async sendRefresh(expires: number, retryOn423: boolean): Promise<void> {
    this.refreshInFlight = expires > 0;
    const extra = this.refreshing?.headers ?? [];
    let response: SipResponse;
    try {
      ({ response } = await this.send((credentials) => {
        this.localSeq = (this.localSeq ?? this.dialog.localSeq ?? 0) + 1;
        return this.dialog.createRequest('SUBSCRIBE', {
          cseq: this.localSeq,
          headers: [['Event', this.event.toString()], ['Expires', `${expires}`], ...extra, ...credentialHeaders(credentials)],
        });
      }));
    } catch (error) {
      if (!(error instanceof SipRequestError)) throw error;
      // §4.1.2.2: a refresh that fails other than by 481 leaves the subscription valid until
      // its expiry; the expiry timer still runs.
      this.refreshInFlight = false;
      if (expires === 0) this.terminated({ cause: 'unsubscribed' });
      return;
    } finally {
      this.refreshInFlight = false;
    }
    if (this.current === SubscriberState.Terminated) return;
    const status = response.status;
    if (expires === 0) {
      if (status >= 300) this.terminated({ cause: 'unsubscribed', code: status });
      return;
    }
    if (status >= 200 && status < 300) {
      this.receiveSubscribeSuccess(response, expires);
      return;
    }
    // §4.1.2.2: "If a SUBSCRIBE request to refresh a subscription receives a 481 response, this
    // indicates that the subscription has been terminated".
    if (status === 481) {
      this.terminated({ cause: 'refresh-rejected', code: 481 });
      return;
    }
    // §4.1.2.1 / RFC 3261 §21.4.17: too short; ask again for at least Min-Expires, once.
    if (status === 423 && retryOn423) {
      const minimum = readMinExpires(response);
      if (minimum !== undefined && minimum > expires) await this.sendRefresh(minimum, false);
    }
  }

  /**
   * A refreshing subscriber ends at the expiry (its refresh failed). One that never refreshes
   * (REFER) leaves the notifier 64·T1 more for its "terminated;reason=timeout" NOTIFY to come.
   */
  private setExpiry(seconds: number): void {
    this.expiresAt = Date.now() + seconds * 1000;
    const grace = this.refreshing === undefined ? 64 * this.t1 : 0;
    this.setTimer('expiry', seconds * 1000 + grace, () => this.terminated({ cause: 'expired' }));
    const refreshing = this.refreshing;
    if (refreshing !== undefined && seconds > 0) this.setTimer('refresh', refreshDelayMs(seconds, refreshing.jitter, refreshing.random), () => this.refresh());
  }

  private terminated(termination: SubscriptionTermination): void {
    if (this.current === SubscriberState.Terminated) return;
    for (const name of [...this.timers.keys()]) this.clearTimer(name);
    this.stateTransition(SubscriberState.Terminated);
    this.delegate?.onTerminated?.(termination);
  }

  private stateTransition(to: SubscriberState): void {
    if (this.current === to) return;
    if (this.current === SubscriberState.Terminated) throw new Error(`a terminated subscription cannot become ${to}`);
    this.current = to;
    this.delegate?.onStateChange?.(to);
  }

  private setTimer(name: TimerName, ms: number, fire: () => void): void {
    this.clearTimer(name);
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        fire();
      }, ms),
    );
  }

  private clearTimer(name: TimerName): void {
    const handle = this.timers.get(name);
    if (handle !== undefined) clearTimeout(handle);
    this.timers.delete(name);
  }
}

export function readMinExpires(response: SipResponse): number | undefined {
  try {
    return response.typed(MinExpiresHeader);
  } catch (error) {
    if (error instanceof SipParseError) return undefined;
    throw error;
  }
}

function respond(transaction: Responder, request: SipRequest, status: number, headers: [string, string][] = [], reason?: string): void {
  transaction.respond(createResponse(request, status, { headers, ...(reason === undefined ? {} : { reason }) }));
}
