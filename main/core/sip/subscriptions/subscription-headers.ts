/**
 * Event and Subscription-State as the subscription machinery uses them (RFC 6665 §8.2.1,
 * §8.2.3). Parsing is the messages layer's (`SipEvent`, `SubscriptionState`); here: writing a
 * Subscription-State, matching Events, and reading both from a NOTIFY without throwing.
 */
import { SipParseError } from '../grammar/sip-parse-error.js';
import { parseEvent, type SipEvent, type SipRequest, type SubscriptionState } from '../messages/index.js';

export interface SubscriptionStateInit {
  readonly state: 'active' | 'pending' | 'terminated';
  /** Seconds left, for active and pending (§4.2.2: "MUST include an 'expires' parameter"). */
  readonly expires?: number;
  /** For terminated (§4.1.3). */
  readonly reason?: string;
  readonly retryAfter?: number;
}

/** `active;expires=600`, `terminated;reason=probation;retry-after=30` (§8.2.3). */
export function formatSubscriptionState(init: SubscriptionStateInit): string {
  let value: string = init.state;
  if (init.reason !== undefined) value += `;reason=${init.reason}`;
  if (init.expires !== undefined) value += `;expires=${Math.max(0, Math.floor(init.expires))}`;
  if (init.retryAfter !== undefined) value += `;retry-after=${Math.max(0, Math.floor(init.retryAfter))}`;
  return value;
}

/** An Event given as text (`refer;id=93`) or already parsed. */
export function toEvent(event: SipEvent | string): SipEvent {
  return typeof event === 'string' ? parseEvent(event) : event;
}

/**
 * §8.2.1: "the 'Event' header fields are considered to match if the event-type portions match
 * exactly, and the 'id' parameters (if present) match exactly". With `idOptional`, a received
 * Event without id also matches (RFC 3515 §2.4.6: the first REFER's NOTIFYs may omit it).
 */
export function eventMatches(expected: SipEvent, received: SipEvent, idOptional = false): boolean {
  if (expected.type !== received.type) return false;
  if (idOptional && received.id === undefined) return true;
  return expected.id === received.id;
}

/** What a NOTIFY's headers say, or the status to refuse it with (§4.1.3). */
export type NotifyHeaders =
  | { readonly ok: true; readonly event: SipEvent; readonly subscriptionState: SubscriptionState }
  | { readonly ok: false; readonly status: 400 | 489; readonly reason?: string };

/**
 * §4.1.3: a NOTIFY whose Event is missing or does not match "MUST" get 489 (Bad Event); one
 * without a well-formed Subscription-State (§8.2.3: mandatory in NOTIFY) gets 400.
 */
export function readNotifyHeaders(request: SipRequest, expected: SipEvent, idOptional = false): NotifyHeaders {
  let event: SipEvent | undefined;
  try {
    event = request.event;
  } catch (error) {
    if (error instanceof SipParseError) return { ok: false, status: 400, reason: 'Bad Event header field' };
    throw error;
  }
  if (event === undefined || !eventMatches(expected, event, idOptional)) return { ok: false, status: 489 };
  let state: SubscriptionState | undefined;
  try {
    state = request.subscriptionState;
    // The expires and retry-after parameters are checked when read.
    void state?.expires;
    void state?.retryAfter;
  } catch (error) {
    if (error instanceof SipParseError) return { ok: false, status: 400, reason: 'Bad Subscription-State header field' };
    throw error;
  }
  if (state === undefined) return { ok: false, status: 400, reason: 'Missing Subscription-State header field' };
  return { ok: true, event, subscriptionState: state };
}
