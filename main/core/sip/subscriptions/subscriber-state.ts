/**
 * The subscriber's view of a subscription (RFC 6665 §4.1.2, §4.1.3):
 *
 * ```
 *   Initial ──subscribe()──▶ NotifyWait ──NOTIFY pending──▶ Pending ──NOTIFY active──▶ Active
 *                               │  ▲                           │                        │
 *                               │  └──── RetryWait ◀── terminated, §4.1.3 says retry ───┤
 *                               └────────────────────────────▶ Terminated ◀─────────────┘
 * ```
 *
 * NotifyWait: the SUBSCRIBE is sent (or answered 2xx) and no NOTIFY has come yet (§4.1.2.4).
 */
export enum SubscriberState {
  Initial = 'Initial',
  NotifyWait = 'NotifyWait',
  Pending = 'Pending',
  Active = 'Active',
  RetryWait = 'RetryWait',
  Terminated = 'Terminated',
}
