/**
 * What a shortcut, a headset button or a notification button does, in call terms: answer the
 * ringing call, hang up (or decline), toggle mute. Requests go through the contract bridge like
 * the renderer's, so they are validated the same way.
 */
import type { Method, ParamsIn } from '../../../shared/contract.js';
import type { Logger } from '../../core/log.js';
import type { ContractBridge } from '../bridge.js';
import type { CallTracker } from './call-tracker.js';

export type Invoke = <M extends Method>(method: M, params: ParamsIn<M>) => Promise<void>;

/** The bridge as the shell uses it: failures are logged, not thrown (a key press has no caller to tell). */
export function bridgeInvoker(bridge: Pick<ContractBridge, 'invoke'>, log: Logger): Invoke {
  return async (method, params) => {
    const outcome = await bridge.invoke(method, params);
    if (!outcome.ok) log.warn(`${method} from the desktop shell failed`, { error: outcome.error.message });
  };
}

export class CallActions {
  constructor(
    private readonly calls: CallTracker,
    private readonly invoke: Invoke,
  ) {}

  async answer(callId = this.calls.ringing?.id): Promise<void> {
    if (callId !== undefined) await this.invoke('calls.answer', { callId });
  }

  async decline(callId = this.calls.ringing?.id): Promise<void> {
    if (callId !== undefined) await this.invoke('calls.reject', { callId, code: 603 });
  }

  /** Ends the call in progress; with none, declines the ringing one. */
  async hangup(): Promise<void> {
    const call = this.calls.active ?? this.calls.inProgress;
    if (call !== undefined) await this.invoke('calls.hangup', { callId: call.id });
    else await this.decline();
  }

  async toggleMute(): Promise<void> {
    const call = this.calls.active;
    if (call !== undefined) await this.invoke('calls.mute', { callId: call.id, muted: call.muted !== true });
  }

  /** For a headset that reports mute as a state rather than a press. */
  async setMute(muted: boolean): Promise<void> {
    const call = this.calls.active;
    if (call !== undefined && (call.muted === true) !== muted) await this.invoke('calls.mute', { callId: call.id, muted });
  }
}
