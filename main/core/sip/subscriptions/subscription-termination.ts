/** Why a subscription (or one of its forked dialogs) ended, for the owner and the retry rules. */
export type TerminationCause =
  /** A NOTIFY said "terminated" (RFC 6665 §4.1.3); `reason` and `retryAfter` are its parameters. */
  | 'notify'
  /** The subscription reached its expiry without a successful refresh (§4.1.2.2). */
  | 'expired'
  /** A refresh was answered 481: the notifier lost the subscription (§4.1.2.2). */
  | 'refresh-rejected'
  /** No NOTIFY within 64·T1 after the 2xx to SUBSCRIBE (§4.1.2.4). */
  | 'notify-timeout'
  /** We unsubscribed (§4.1.2.3). */
  | 'unsubscribed'
  /** The initial SUBSCRIBE got a final non-2xx response (`code`). */
  | 'rejected'
  /** The initial SUBSCRIBE got no response at all or could not be sent. */
  | 'request-failed'
  /** The owner dropped it without signalling (`dispose()`). */
  | 'disposed';

export interface SubscriptionTermination {
  readonly cause: TerminationCause;
  /** The event-reason-value of a terminating NOTIFY (deactivated, probation, rejected...). */
  readonly reason?: string;
  /** Seconds, from the retry-after parameter of a terminating NOTIFY, or a refusal's Retry-After. */
  readonly retryAfter?: number;
  /** The status code of a failed SUBSCRIBE. */
  readonly code?: number;
}
