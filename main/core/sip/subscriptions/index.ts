/**
 * SIP-specific event notification (RFC 6665), one implementation for every event package:
 * the subscriber (`Subscription`, `SubscriberDialogUsage`), the notifier (`Notifier`,
 * `Notification`, `NotifierDialogUsage`), and REFER's implicit subscription (RFC 3515:
 * `ReferSubscriber`, `ReferNotifier`); and event state we publish (RFC 3903: `Publication`).
 */
export { Subscription } from './subscription.js';
export type { SubscriptionDelegate, SubscriptionOptions } from './subscription.js';
export { SubscriberDialogUsage } from './subscriber-dialog-usage.js';
export type { Responder, SubscriberDialogDelegate, SubscriberDialogUsageOptions, SubscriberRefresh } from './subscriber-dialog-usage.js';
export { SubscriberState } from './subscriber-state.js';
export type { EventNotification } from './event-notification.js';
export type { SubscriptionTermination, TerminationCause } from './subscription-termination.js';
export { retryDecision } from './retry-decision.js';
export type { RetryDecision } from './retry-decision.js';
export { defaultRefreshJitter, refreshDelayMs, refreshMarginSeconds } from './refresh-timing.js';
export { Notifier } from './notifier.js';
export type { NotifierOptions } from './notifier.js';
export { Notification } from './notification.js';
export { NotifierDialogUsage } from './notifier-dialog-usage.js';
export type { NotifierDelegate, NotifierDialogUsageOptions, NotifierTermination } from './notifier-dialog-usage.js';
export { NotifierState } from './notifier-state.js';
export type { NotifyContent } from './notify-content.js';
export { ReferNotifier } from './refer-notifier.js';
export type { ReferNotifierOptions } from './refer-notifier.js';
export { ReferSubscriber } from './refer-subscriber.js';
export type { ReferProgress, ReferSubscriberDelegate, ReferSubscriberOptions } from './refer-subscriber.js';
export { eventMatches, formatSubscriptionState, readNotifyHeaders, toEvent } from './subscription-headers.js';
export type { NotifyHeaders, SubscriptionStateInit } from './subscription-headers.js';
export type { SendRequest } from './send-request.js';
export { Publication, PublicationState } from './publication.js';
export type { PublicationDelegate, PublicationOptions } from './publication.js';
