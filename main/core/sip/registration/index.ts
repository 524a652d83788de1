/** Registration with a registrar (RFC 3261 §10.2, RFC 3327, RFC 3608, RFC 5626 §4.4–4.5). */
export { Registration } from './registration.js';
export type { RegistrationOptions, RegistrationSender } from './registration-options.js';
export { RegistrationState, legalRegistrationMoves } from './registration-state.js';
export { RegistrationStateError } from './registration-state-error.js';
export type { RegistrationDelegate, RegistrationStatus } from './registration-status.js';
export { systemClock } from './registration-clock.js';
export type { RegistrationClock } from './registration-clock.js';
export { defaultFlowRecovery, flowRecoveryWaitMs } from './flow-recovery.js';
export type { FlowRecoveryOptions } from './flow-recovery.js';
export { defaultRefreshMarginSeconds, refreshDelaySeconds } from './refresh-timing.js';
export { grantedExpires } from './granted-expiry.js';
export { createRegisterRequest } from './register-request.js';
export type { RegisterRequestInit } from './register-request.js';
export { localContact } from './local-contact.js';
export type { LocalContactOptions } from './local-contact.js';
