/** One NOTIFY as its subscriber's owner sees it (RFC 6665 §4.1.3): state and body. */
import type { SipEvent, SubscriptionState } from '../messages/index.js';
import type { DialogId } from '../dialogs/index.js';

export interface EventNotification {
  readonly event: SipEvent;
  /** The Subscription-State of the NOTIFY (state, reason, expires, retry-after). */
  readonly subscriptionState: SubscriptionState;
  /** "type/subtype" in lower case, e.g. "application/pidf+xml"; undefined when there is no body. */
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
  /** The body read as UTF-8. */
  readonly text: string;
  /** Which dialog (which fork, §4.1.2.4) sent it. */
  readonly dialogId: DialogId;
}
