/** Call views as the core emits them, for the shell's tests. */
import type { AccountStatus, CallView } from '../../../../shared/model.js';

let next = 1;

export function incomingCall(changes: Partial<CallView> = {}): CallView {
  return {
    id: `c${next++}`,
    accountId: 'a1',
    direction: 'incoming',
    state: 'incoming',
    remote: { uri: 'sip:bob@example.com', displayName: 'Bob' },
    startedAt: 1_700_000_000_000,
    ...changes,
  };
}

export function outgoingCall(changes: Partial<CallView> = {}): CallView {
  return { ...incomingCall(), direction: 'outgoing', state: 'calling', ...changes };
}

export function ended(call: CallView, by: 'local' | 'remote', reason = 'Request Terminated'): CallView {
  return { ...call, state: 'terminated', endedAt: call.startedAt + 5000, end: { by, reason } };
}

export function account(state: AccountStatus['state'], accountId = 'a1'): AccountStatus {
  return { accountId, state };
}
