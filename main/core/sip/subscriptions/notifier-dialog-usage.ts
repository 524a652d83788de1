/**
 * The notifier's side of one subscription in one dialog (RFC 6665 §4.2): NOTIFYs carrying
 * Event and Subscription-State (§4.2.2), refreshes and Expires: 0 by in-dialog SUBSCRIBE
 * (§4.2.1.2, §4.2.1.4), the expiry timer, and the end with a reason.
 *
 * It makes no dialog of its own: `Notification` gives it the dialog its 2xx made, and an INVITE
 * session gives it the INVITE dialog for the implicit subscription of a REFER it received
 * (RFC 3515 §2.4.4, RFC 6665 §4.5.2) — see `ReferNotifier`.
 */
import { OutOfOrderRequestError, type Dialog } from '../dialogs/index.js';
import { SipParseError } from '../grammar/sip-parse-error.js';
import { SipRequestError } from '../sip-endpoint.js';
import { createResponse } from '../messages/create-response.js';
import type { SipEvent, SipRequest } from '../messages/index.js';
import type { NotifyContent } from './notify-content.js';
import { NotifierState } from './notifier-state.js';
import { credentialHeaders, type SendRequest } from './send-request.js';
import type { Responder } from './subscriber-dialog-usage.js';
import { eventMatches, formatSubscriptionState, toEvent } from './subscription-headers.js';

export interface NotifierTermination {
  /** local: `terminate()`; subscriber: Expires: 0; expired: not refreshed; failed: a NOTIFY failed. */
  readonly by: 'local' | 'subscriber' | 'expired' | 'failed';
  /** The reason the last NOTIFY carried. */
  readonly reason: string;
  /** The status of the failed NOTIFY (none: timeout or transport failure). */
  readonly code?: number;
}

export interface NotifierDelegate {
  /** The subscriber refreshed: `expires` seconds granted (§4.2.1.2). */
  onRefresh?(expires: number): void;
  onStateChange?(state: NotifierState): void;
  onTerminated?(termination: NotifierTermination): void;
}

export interface NotifierDialogUsageOptions {
  readonly dialog: Dialog;
  /** The Event of the subscription, repeated in each NOTIFY (§8.2.1): "presence", "refer;id=93". */
  readonly event: SipEvent | string;
  readonly send: SendRequest;
  /** Seconds granted (§4.2.1.1). */
  readonly expires: number;
  /** Default: pending until `activate()` (§4.2.1.1, authorization not decided). */
  readonly state?: NotifierState.Pending | NotifierState.Active;
  /** Refreshes asking less (but not 0) get 423 with Min-Expires. Default 60. */
  readonly minExpires?: number;
  /** Refreshes asking more are granted this. Default 3600. */
  readonly maxExpires?: number;
  /** The state to send until `notify()` gives one. */
  readonly content?: NotifyContent;
  /** More header fields for every NOTIFY (User-Agent...). */
  readonly headers?: readonly (readonly [string, string])[];
  readonly delegate?: NotifierDelegate;
  /**
   * The dialog belongs to another usage (an INVITE session) that checks each request's CSeq
   * (RFC 3261 §12.2.2) before handing it on; this usage then does not check it again.
   */
  readonly sharedDialog?: boolean;
}

export class NotifierDialogUsage {
  delegate: NotifierDelegate | undefined;
  readonly dialog: Dialog;
  readonly event: SipEvent;
  private current: NotifierState;
  private readonly send: SendRequest;
  private readonly minExpires: number;
  private readonly maxExpires: number;
  private readonly extraHeaders: readonly (readonly [string, string])[];
  private content: NotifyContent | undefined;
  private expiresAt: number;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The NOTIFY in flight, and whether another is owed once it is answered. */
  private sending = false;
  private owed = false;
  private termination: NotifierTermination | undefined;
  private retryAfter: number | undefined;
  private finished = false;
  private readonly sharedDialog: boolean;

  constructor(options: NotifierDialogUsageOptions) {
    this.dialog = options.dialog;
    this.event = toEvent(options.event);
    this.send = options.send;
    this.current = options.state ?? NotifierState.Pending;
    this.minExpires = options.minExpires ?? 60;
    this.maxExpires = options.maxExpires ?? 3600;
    this.extraHeaders = options.headers ?? [];
    this.content = options.content;
    this.delegate = options.delegate;
    this.sharedDialog = options.sharedDialog === true;
    this.expiresAt = Date.now();
    this.setExpiry(options.expires);
  }

  get state(): NotifierState {
    return this.current;
  }

  /** Whether the last NOTIFY ("terminated") has been answered, or failed: nothing more to do. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** Seconds left until the subscription expires (the `expires` of the next NOTIFY). */
  get expiresIn(): number {
    return Math.max(0, Math.ceil((this.expiresAt - Date.now()) / 1000));
  }

  /**
   * §4.2.2: a NOTIFY with the current state, and `content` as the resource's new state (kept
   * for later NOTIFYs). One NOTIFY at a time keeps them in order over UDP; one asked for
   * meanwhile goes after the answer, with the state as it then is (the subscriber wants the
   * latest state, not every step).
   */
  notify(content?: NotifyContent): void {
    if (this.current === NotifierState.Terminated) throw new Error('notify() after the subscription terminated');
    if (content !== undefined) this.content = content;
    this.queueNotify();
  }

  /** §4.2.1.1: authorization granted; "active" and a NOTIFY. */
  activate(content?: NotifyContent): void {
    if (this.current === NotifierState.Terminated) throw new Error('activate() after the subscription terminated');
    this.stateTransition(NotifierState.Active);
    this.notify(content);
  }

  /**
   * §4.2.2: ends the subscription with a last NOTIFY "terminated;reason=...". RFC 6665 §4.1.3
   * tells the subscriber what each reason means (noresource: the resource's state will not
   * change again — REFER's final NOTIFY, RFC 3515 §2.4.7; rejected; deactivated; probation...).
   */
  terminate(reason = 'noresource', options: { retryAfter?: number; content?: NotifyContent } = {}): void {
    if (this.current === NotifierState.Terminated) return;
    if (options.content !== undefined) this.content = options.content;
    this.end({ by: 'local', reason }, options.retryAfter);
  }

  /**
   * A request in the dialog: a SUBSCRIBE refreshing or ending this subscription (§4.2.1.2,
   * §4.2.1.4). Other methods are not ours: 405.
   */
  receiveRequest(request: SipRequest, transaction: Responder, _key?: string): void {
    if (request.method !== 'SUBSCRIBE') {
      respond(transaction, request, 405, [['Allow', 'SUBSCRIBE']]);
      return;
    }
    if (this.current === NotifierState.Terminated) {
      respond(transaction, request, 481);
      return;
    }
    let event: SipEvent | undefined;
    let requested: number | undefined;
    try {
      event = request.event;
      requested = request.expires;
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      respond(transaction, request, 400, [], error.reason);
      return;
    }
    // §4.2.1.2 / §8.2.1: a refresh names the same event (and id) as the subscription.
    if (event === undefined || !eventMatches(this.event, event)) {
      respond(transaction, request, 489, [['Allow-Events', this.event.type]]);
      return;
    }
    if (!this.sharedDialog) {
      try {
        this.dialog.receiveRequest(request);
      } catch (error) {
        if (!(error instanceof OutOfOrderRequestError)) throw error;
        respond(transaction, request, 500);
        return;
      }
    }
    const expires = requested ?? this.expiresIn;
    // §4.2.1.4 (and §4.1.2.3): Expires: 0 unsubscribes; the notifier answers with a last NOTIFY,
    // "terminated", that still carries the current state.
    if (expires === 0) {
      respond(transaction, request, 200, [['Expires', '0'], ['Contact', this.dialog.localContact]]);
      this.end({ by: 'subscriber', reason: 'timeout' });
      return;
    }
    // §4.2.1.1: too short a duration is refused with 423 (Interval Too Brief) and Min-Expires.
    if (expires < this.minExpires) {
      respond(transaction, request, 423, [['Min-Expires', `${this.minExpires}`]]);
      return;
    }
    const granted = Math.min(expires, this.maxExpires);
    respond(transaction, request, 200, [['Expires', `${granted}`], ['Contact', this.dialog.localContact]]);
    this.setExpiry(granted);
    this.delegate?.onRefresh?.(granted);
    // §4.2.1.2: "Upon successfully accepting or refreshing a subscription, notifiers MUST send a
    // NOTIFY request immediately to communicate the current resource state to the subscriber."
    this.queueNotify();
  }

  /** Stops the timers, sending nothing (the owner's dialog ended). */
  dispose(): void {
    this.clearExpiry();
    if (this.current !== NotifierState.Terminated) {
      this.termination = { by: 'local', reason: 'deactivated' };
      this.stateTransition(NotifierState.Terminated);
    }
    this.finish();
  }

  private end(termination: NotifierTermination, retryAfter?: number): void {
    this.clearExpiry();
    this.termination = termination;
    this.retryAfter = retryAfter;
    this.stateTransition(NotifierState.Terminated);
    this.queueNotify();
  }

  private queueNotify(): void {
    if (this.finished) return;
    if (this.sending) {
      this.owed = true;
      return;
    }
    void this.sendNotify();
  }

  private async sendNotify(): Promise<void> {
    this.sending = true;
    this.owed = false;
    const terminating = this.current === NotifierState.Terminated;
    const state = terminating
      ? formatSubscriptionState({
          state: 'terminated',
          reason: this.termination?.reason ?? 'noresource',
          ...(this.retryAfter === undefined ? {} : { retryAfter: this.retryAfter }),
        })
      : formatSubscriptionState({ state: this.current === NotifierState.Active ? 'active' : 'pending', expires: this.expiresIn });
    const content = this.content;
    let status: number | undefined;
    try {
      const { response } = await this.send((credentials) =>
        this.dialog.createRequest('NOTIFY', {
          headers: [['Event', this.event.toString()], ['Subscription-State', state], ...this.extraHeaders, ...credentialHeaders(credentials)],
          ...(content === undefined ? {} : { body: content.body, contentType: content.contentType }),
        }),
      );
      status = response.status;
    } catch (error) {
      if (!(error instanceof SipRequestError)) throw error;
      status = undefined;
    }
    this.sending = false;
    if (status !== undefined && status >= 200 && status < 300) {
      if (terminating) this.finish();
      else if (this.owed || this.current === NotifierState.Terminated) this.queueNotify();
      return;
    }
    // §4.2.2: "If the NOTIFY request fails due to expiration of SIP Timer F (transaction
    // timeout), the notifier SHOULD remove the subscription", and on a 481 it "MUST remove the
    // corresponding subscription". Any other failure is taken the same way: the subscriber will
    // subscribe again if it still wants the state.
    this.clearExpiry();
    if (this.current !== NotifierState.Terminated) {
      this.termination = { by: 'failed', reason: 'deactivated', ...(status === undefined ? {} : { code: status }) };
      this.stateTransition(NotifierState.Terminated);
    } else if (!terminating) {
      this.termination = { ...(this.termination ?? { reason: 'noresource' }), by: 'failed', ...(status === undefined ? {} : { code: status }) };
    }
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.delegate?.onTerminated?.(this.termination ?? { by: 'local', reason: 'noresource' });
  }

  /** §4.2.1.1: the subscription lasts `seconds` unless refreshed; then "terminated;reason=timeout". */
  private setExpiry(seconds: number): void {
    this.clearExpiry();
    this.expiresAt = Date.now() + seconds * 1000;
    if (seconds > 0) this.expiryTimer = setTimeout(() => this.end({ by: 'expired', reason: 'timeout' }), seconds * 1000);
  }

  private clearExpiry(): void {
    if (this.expiryTimer !== undefined) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  private stateTransition(to: NotifierState): void {
    if (this.current === to) return;
    if (this.current === NotifierState.Terminated) throw new Error(`a terminated subscription cannot become ${to}`);
    this.current = to;
    this.delegate?.onStateChange?.(to);
  }
}

function respond(transaction: Responder, request: SipRequest, status: number, headers: [string, string][] = [], reason?: string): void {
  transaction.respond(createResponse(request, status, { headers, ...(reason === undefined ? {} : { reason }) }));
}
