import type { SessionState } from './session-state.js';

/** An owner asked for something the session's state does not allow (e.g. answer after CANCEL). */
export class SessionStateError extends Error {
  override readonly name = 'SessionStateError';
  constructor(
    readonly state: SessionState,
    action: string,
  ) {
    super(`cannot ${action} in state ${state}`);
  }
}
