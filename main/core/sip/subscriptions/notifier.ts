/**
 * Takes the SUBSCRIBEs that arrive outside any dialog (RFC 6665 §4.2.1) for the event packages
 * it serves: checks them, then hands each to the owner as a `Notification` to accept, defer or
 * reject. Plugged into `UserAgentCoreOptions.onRequest`.
 */
import { SipParseError } from '../grammar/sip-parse-error.js';
import { createResponse } from '../messages/create-response.js';
import type { SipEvent, SipRequest } from '../messages/index.js';
import type { SessionContext } from '../user-agent/session-context.js';
import { Notification } from './notification.js';
import type { Responder } from './subscriber-dialog-usage.js';

export interface NotifierOptions {
  /** The event packages served, e.g. ["presence", "dialog"] (§7.2). */
  readonly packages: readonly string[];
  /** A checked SUBSCRIBE: call `accept()`, `defer()` or `reject()` on it. */
  readonly onSubscribe: (notification: Notification) => void;
  /** Shorter (non-zero) Expires get 423. Default 60. */
  readonly minExpires?: number;
  /** Longer ones are granted this. Default 3600. */
  readonly maxExpires?: number;
  /** For a SUBSCRIBE without Expires (§4.2.1.1: the package's default). Default 3600. */
  readonly defaultExpires?: number;
}

export class Notifier {
  private readonly minExpires: number;
  private readonly maxExpires: number;
  private readonly defaultExpires: number;

  constructor(
    private readonly context: SessionContext,
    private readonly options: NotifierOptions,
  ) {
    this.minExpires = options.minExpires ?? 60;
    this.maxExpires = options.maxExpires ?? 3600;
    this.defaultExpires = options.defaultExpires ?? 3600;
  }

  /** For `onRequest`: takes (and answers) SUBSCRIBEs, returns false for any other method. */
  receiveRequest(request: SipRequest, transaction: Responder): boolean {
    if (request.method !== 'SUBSCRIBE') return false;
    let event: SipEvent | undefined;
    let requested: number | undefined;
    try {
      event = request.event;
      requested = request.expires;
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      this.respond(transaction, request, 400, [], error.reason);
      return true;
    }
    // §4.2.1.1 / §7.2: an event package the notifier does not serve is refused with 489 (Bad
    // Event), and Allow-Events (§8.2.2) lists those it does.
    if (event === undefined || !this.options.packages.includes(event.package)) {
      this.respond(transaction, request, 489, [['Allow-Events', this.options.packages.join(', ')]]);
      return true;
    }
    // The dialog the 2xx makes needs the subscriber's Contact and From tag (RFC 3261 §12.1.1).
    let contact: boolean;
    try {
      contact = request.contacts.some((c) => !c.wildcard);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      contact = false;
    }
    if (!contact || request.from.tag === undefined) {
      this.respond(transaction, request, 400, [], contact ? 'Missing From tag' : 'Missing Contact');
      return true;
    }
    const expires = requested ?? this.defaultExpires;
    // §4.2.1.1: too short a duration is refused with 423 (Interval Too Brief) and Min-Expires.
    if (expires !== 0 && expires < this.minExpires) {
      this.respond(transaction, request, 423, [['Min-Expires', `${this.minExpires}`]]);
      return true;
    }
    const notification = new Notification(this.context, request, transaction, {
      event,
      expires: Math.min(expires, this.maxExpires),
      minExpires: this.minExpires,
      maxExpires: this.maxExpires,
    });
    this.options.onSubscribe(notification);
    return true;
  }

  private respond(transaction: Responder, request: SipRequest, status: number, headers: [string, string][], reason?: string): void {
    transaction.respond(createResponse(request, status, { headers, ...(reason === undefined ? {} : { reason }) }));
  }
}
