/**
 * A subscription someone made to us (RFC 6665 §4.2.1): the SUBSCRIBE that `Notifier` checked,
 * waiting for the owner's decision — `accept()` (200 and a NOTIFY "active"), `defer()` (200 and
 * a NOTIFY "pending", authorization to come, §4.2.1.1) or `reject()` — and then the dialog its
 * 2xx made (§4.1.2.1), registered with the user agent core, and the NOTIFYs sent in it.
 */
import { Dialog } from '../dialogs/index.js';
import { createResponse } from '../messages/create-response.js';
import type { NameAddr, SipEvent, SipRequest } from '../messages/index.js';
import type { SessionContext } from '../user-agent/session-context.js';
import { NotifierDialogUsage, type NotifierDelegate, type NotifierTermination } from './notifier-dialog-usage.js';
import { NotifierState } from './notifier-state.js';
import type { NotifyContent } from './notify-content.js';
import type { Responder } from './subscriber-dialog-usage.js';

export interface NotificationOptions {
  readonly event: SipEvent;
  /** Seconds granted (already clamped by `Notifier`); 0 for a fetch (§4.4.3). */
  readonly expires: number;
  readonly minExpires: number;
  readonly maxExpires: number;
}

export class Notification {
  delegate: NotifierDelegate | undefined;
  readonly event: SipEvent;
  /** Seconds the subscription is granted. */
  readonly expires: number;
  private usage: NotifierDialogUsage | undefined;
  private decided = false;

  constructor(
    private readonly context: SessionContext,
    /** The SUBSCRIBE. */
    readonly request: SipRequest,
    private readonly transaction: Responder,
    private readonly options: NotificationOptions,
  ) {
    this.event = options.event;
    this.expires = options.expires;
  }

  /** Who subscribes: the From of the SUBSCRIBE (authenticate before trusting it). */
  get subscriber(): NameAddr {
    return this.request.from;
  }

  /** The body formats the subscriber reads (§4.1.2.1 Accept); empty: the package default. */
  get acceptedTypes(): string[] {
    return this.request.getValues('Accept').map((v) => v.split(';')[0]!.trim().toLowerCase());
  }

  /** Undecided until `accept()`/`defer()`; then the usage's state. */
  get state(): NotifierState | undefined {
    return this.usage?.state;
  }

  /** The dialog, once accepted. */
  get dialog(): Dialog | undefined {
    return this.usage?.dialog;
  }

  /** §4.2.1.1: authorized: 200, then a NOTIFY "active" with the resource's state. */
  accept(content?: NotifyContent): void {
    this.start(NotifierState.Active, content);
  }

  /** §4.2.1.1: not decided yet: 200, then a NOTIFY "pending" (`activate()` later). */
  defer(content?: NotifyContent): void {
    this.start(NotifierState.Pending, content);
  }

  /** §4.2.1.1: refused, e.g. 403 (Forbidden) or 404; no dialog, no NOTIFY. */
  reject(status = 403): void {
    if (this.decided) throw new Error('the SUBSCRIBE was already answered');
    if (status < 300) throw new RangeError('reject() needs a final non-2xx status');
    this.decided = true;
    this.transaction.respond(createResponse(this.request, status));
  }

  notify(content?: NotifyContent): void {
    this.accepted().notify(content);
  }

  activate(content?: NotifyContent): void {
    this.accepted().activate(content);
  }

  terminate(reason?: string, options?: { retryAfter?: number; content?: NotifyContent }): void {
    this.accepted().terminate(reason, options);
  }

  /** In-dialog requests the user agent core routes to us: the subscriber's refreshes. */
  receiveRequest(request: SipRequest, transaction: Responder, key: string): void {
    const usage = this.usage;
    if (usage === undefined) transaction.respond(createResponse(request, 481));
    else usage.receiveRequest(request, transaction, key);
  }

  private start(state: NotifierState.Active | NotifierState.Pending, content: NotifyContent | undefined): void {
    if (this.decided) throw new Error('the SUBSCRIBE was already answered');
    this.decided = true;
    const contact = this.context.settings.contact;
    // §4.2.1.1: a 200 whose Expires is the duration granted, never more than asked for (the
    // Notifier clamped it); §8.3.1: 202 is deprecated.
    const response = createResponse(this.request, 200, { headers: [['Expires', `${this.expires}`], ['Contact', contact]] });
    this.transaction.respond(response);
    const dialog = Dialog.asUas(this.request, response, contact);
    const key = dialog.key;
    this.usage = new NotifierDialogUsage({
      dialog,
      event: this.event,
      send: (build) => this.context.exchange(build),
      expires: this.expires,
      state,
      minExpires: this.options.minExpires,
      maxExpires: this.options.maxExpires,
      ...(this.context.settings.userAgent === undefined ? {} : { headers: [['User-Agent', this.context.settings.userAgent]] }),
      delegate: {
        onRefresh: (expires) => this.delegate?.onRefresh?.(expires),
        onStateChange: (to) => this.delegate?.onStateChange?.(to),
        onTerminated: (termination: NotifierTermination) => {
          this.context.removeDialog(key);
          this.delegate?.onTerminated?.(termination);
        },
      },
    });
    this.context.addDialog(key, this);
    // §4.4.3: a SUBSCRIBE with Expires: 0 is a fetch: one NOTIFY with the state, terminated.
    if (this.expires === 0) this.usage.terminate('timeout', content === undefined ? {} : { content });
    else this.usage.notify(content);
  }

  private accepted(): NotifierDialogUsage {
    if (this.usage === undefined) throw new Error('accept() or defer() the subscription first');
    return this.usage;
  }
}
