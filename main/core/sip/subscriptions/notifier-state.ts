/**
 * The notifier's view of one subscription (RFC 6665 §4.2.1, §4.2.2), as its NOTIFYs say in
 * Subscription-State:
 *
 * ```
 *   Pending ──activate()──▶ Active
 *      │                      │
 *      └── terminate(), expiry, Expires: 0, NOTIFY failed ──▶ Terminated
 * ```
 */
export enum NotifierState {
  Pending = 'pending',
  Active = 'active',
  Terminated = 'terminated',
}
