/**
 * The shell's view of the phone, built from core events alone (`account.state`, `call.state`,
 * `call.incoming`, `presence.own`): which calls ring or are in progress, whether an account is
 * registered, recent and missed calls. Tray, alerts, shortcuts and the headset read it.
 */
import type { EventName, EventPayload } from '../../../shared/contract.js';
import type { AccountStatus, CallView, HistoryEntry, OwnPresence, Party } from '../../../shared/model.js';

/** A past call as the tray lists it: from the stored history, then from calls as they end. */
export interface RecentCall {
  readonly id: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly remote: Party;
}

const recentLimit = 5;

/** RFC 3326: a CANCEL with `Reason: SIP;cause=200` means the call was answered on another device. */
function answeredElsewhere(call: CallView): boolean {
  return /elsewhere/i.test(call.end?.reason ?? '');
}

/** An incoming call that ended unanswered because the caller gave up (not our decline, not another device). */
export function isMissed(call: CallView): boolean {
  return call.direction === 'incoming' && call.state === 'terminated' && call.answeredAt === undefined && call.end?.by !== 'local' && !answeredElsewhere(call);
}

export class CallTracker {
  private readonly calls = new Map<string, CallView>();
  private readonly accounts = new Map<string, AccountStatus>();
  private presenceNow: OwnPresence | undefined;
  private recentCalls: RecentCall[] = [];
  private missedCount = 0;
  private readonly listeners = new Set<() => void>();

  /** Feed every core event here; the ones that matter change the view and notify. */
  event<E extends EventName>(name: E, payload: EventPayload<E>): void {
    switch (name) {
      case 'account.state':
        this.accounts.set((payload as AccountStatus).accountId, payload as AccountStatus);
        break;
      case 'presence.own':
        this.presenceNow = payload as OwnPresence;
        break;
      case 'call.state':
      case 'call.incoming':
        this.callChanged(payload as CallView);
        break;
      case 'history.missed':
        // The core's counter (stored, cleared by the History screen) is the one truth.
        this.missedCount = (payload as { count: number }).count;
        break;
      default:
        return;
    }
    this.notify();
  }

  /** The stored history at start: the newest calls, and the missed calls not seen yet. */
  seedHistory(entries: readonly HistoryEntry[], unseenMissed: number): void {
    this.recentCalls = entries.slice(0, recentLimit).map((e) => ({ id: e.id, direction: e.direction, remote: e.remote }));
    this.missedCount = unseenMissed;
    this.notify();
  }

  /** Accounts known at start (before any `account.state`). */
  seedAccounts(statuses: readonly AccountStatus[]): void {
    for (const status of statuses) this.accounts.set(status.accountId, status);
    this.notify();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  get accountStates(): AccountStatus[] {
    return [...this.accounts.values()];
  }
  get presence(): OwnPresence | undefined {
    return this.presenceNow;
  }
  get current(): CallView[] {
    return [...this.calls.values()];
  }
  /** The incoming call waiting for an answer (the oldest, if several). */
  get ringing(): CallView | undefined {
    return this.current.find((c) => c.direction === 'incoming' && c.state === 'incoming');
  }
  /** The call the user talks in: established and not on hold, else any established one. */
  get active(): CallView | undefined {
    const established = this.current.filter((c) => c.state === 'established');
    return established.find((c) => c.held !== true) ?? established[0];
  }
  /** A call that is neither ringing at us nor over (dialling, ringing out, established). */
  get inProgress(): CallView | undefined {
    return this.current.find((c) => !(c.direction === 'incoming' && c.state === 'incoming'));
  }
  get recent(): readonly RecentCall[] {
    return this.recentCalls;
  }
  get missed(): number {
    return this.missedCount;
  }

  /** The user saw the phone (window shown): missed calls are no longer news. */
  clearMissed(): void {
    if (this.missedCount === 0) return;
    this.missedCount = 0;
    this.notify();
  }

  private callChanged(call: CallView): void {
    if (call.state !== 'terminated') {
      this.calls.set(call.id, call);
      return;
    }
    if (!this.calls.delete(call.id)) return;
    // Missed calls are counted by the core's history (`history.missed`), stored across restarts.
    this.recentCalls = [{ id: call.id, direction: call.direction, remote: call.remote }, ...this.recentCalls.filter((c) => c.id !== call.id)].slice(0, recentLimit);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
