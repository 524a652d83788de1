/** The user agent (RFC 3261 §8, §12.2.2, §13–§15): the core and its INVITE sessions. */
export { UserAgentCore } from './user-agent-core.js';
export type { UserAgentCoreOptions } from './user-agent-core.js';
export { InviteClientSession } from './invite-client-session.js';
export type { InviteOptions } from './invite-client-session.js';
export { InviteServerSession } from './invite-server-session.js';
export { InviteSession, type OfferMethod } from './invite-session.js';
export { SessionState } from './session-state.js';
export { SessionStateError } from './session-state-error.js';
export type { RemoteIdentity, SessionDelegate, TerminationInfo } from './session-delegate.js';
export type { UserAgentEndpoint } from './user-agent-endpoint.js';
export { ALLOWED_METHODS, KNOWN_METHODS, SUPPORTED_EXTENSIONS } from './user-agent-settings.js';
export type { UserAgentSettings } from './user-agent-settings.js';
export { defaultSessionTimerSettings } from './session-timer.js';
export type { SessionTimerAgreement, SessionTimerSettings } from './session-timer.js';
export { glareRetryDelay } from './glare-retry-delay.js';
export { redirectTargets } from './redirect-targets.js';
export type { DialogUsage } from './dialog-usage.js';
export type { SessionContext, Exchange, ExchangeOptions } from './session-context.js';
