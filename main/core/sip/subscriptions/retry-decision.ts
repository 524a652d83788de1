/**
 * Whether and when to subscribe again after a subscription ended (RFC 6665 §4.1.3, §4.1.2.2):
 *
 * | reason / cause      | RFC 6665                                                     | here                      |
 * |---------------------|--------------------------------------------------------------|---------------------------|
 * | deactivated         | "SHOULD retry immediately with a new subscription"           | now                       |
 * | probation           | "SHOULD retry at some later time ... wait at least retry-after" | retry-after or default |
 * | rejected            | "SHOULD NOT attempt to re-subscribe"                         | never                     |
 * | timeout             | "MAY re-subscribe immediately"; retry-after has no meaning   | now                       |
 * | giveup              | "SHOULD wait at least ... retry-after"; without it "MAY retry | retry-after or default    |
 * |                     | immediately, but will likely get put back into pending state" |                           |
 * | noresource          | "SHOULD NOT attempt to re-subscribe"                         | never                     |
 * | invariant           | "SHOULD NOT attempt to re-subscribe"                         | never                     |
 * | none / unknown      | "MAY attempt to re-subscribe at any time" (unless retry-after) | only after a retry-after |
 * | 481 to a refresh    | §4.1.2.2: "an unrelated initial SUBSCRIBE"                   | now                       |
 * | SUBSCRIBE refused   | RFC 3261 §20.33: a Retry-After (503, 480, 486, 600, 603...)  | after it; else never      |
 * | expired unrefreshed | the refresh failed (§4.1.2.2: valid until then)              | now                       |
 * | anything else       | a failed SUBSCRIBE, no NOTIFY (§4.1.2.4), unsubscribed       | never                     |
 *
 * An unknown reason without retry-after is not retried: nothing says the notifier wants us back,
 * and retrying at once could loop.
 */
import type { SubscriptionTermination } from './subscription-termination.js';

export type RetryDecision = { readonly retry: false } | { readonly retry: true; readonly afterSeconds: number };

const never: RetryDecision = { retry: false };
const now: RetryDecision = { retry: true, afterSeconds: 0 };

export function retryDecision(termination: SubscriptionTermination, defaultDelaySeconds: number): RetryDecision {
  switch (termination.cause) {
    case 'refresh-rejected':
    case 'expired':
      return now;
    case 'notify':
      break;
    case 'rejected':
      return termination.retryAfter === undefined ? never : { retry: true, afterSeconds: termination.retryAfter };
    default:
      return never;
  }
  const later: RetryDecision = { retry: true, afterSeconds: termination.retryAfter ?? defaultDelaySeconds };
  switch (termination.reason) {
    case 'deactivated':
    case 'timeout':
      return now;
    case 'probation':
    case 'giveup':
      return later;
    case 'rejected':
    case 'noresource':
    case 'invariant':
      return never;
    default:
      return termination.retryAfter === undefined ? never : { retry: true, afterSeconds: termination.retryAfter };
  }
}
