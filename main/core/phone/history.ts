/**
 * The call history: every call that ends is written with its outcome, times, quality summary
 * and the contact it matched; missed calls count until the user has seen them.
 */
import type { CallOutcome, CallStats, CallView, HistoryEntry } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import type { HistoryFilter, HistoryStore } from '../store/history-store.js';
import type { SettingsStore } from '../store/settings-store.js';
import { PhoneError } from '../../../shared/errors.js';
import type { Contacts } from './contacts.js';

/** Entries kept (the oldest beyond go). */
const DEFAULT_RETENTION = 10_000;

export class History {
  private readonly stats = new Map<string, CallStats>();
  /** Calls made for a transfer, by the call they came from. */
  private readonly transferredTo = new Map<string, string>();

  constructor(
    private readonly store: HistoryStore,
    private readonly events: EventHub,
    private readonly contacts: Contacts,
    /** The user's retention setting (`history.retention`). */
    private readonly settings?: SettingsStore,
  ) {
    events.subscribe((name, payload) => {
      if (name === 'call.stats') this.stats.set((payload as CallStats).callId, payload as CallStats);
      if (name === 'call.state') this.callState(payload as CallView);
    });
  }

  list(filter: HistoryFilter, limit: number, before: number | undefined): HistoryEntry[] {
    return this.store.list(filter, limit, before);
  }

  private get keep(): number {
    return this.settings?.get('history.retention') ?? DEFAULT_RETENTION;
  }

  /** The retention setting; a new value is kept and applied at once. */
  retention(keep: number | undefined): { keep: number } {
    if (keep !== undefined) {
      if (this.settings === undefined) throw new PhoneError('unavailable', 'no settings store', 'keep');
      this.settings.set({ 'history.retention': keep });
      this.store.prune(keep);
      this.events.emit('history.missed', { count: this.store.unseenCount() });
    }
    return { keep: this.keep };
  }

  markSeen(): { missed: 0 } {
    this.store.markSeen();
    this.events.emit('history.missed', { count: 0 });
    return { missed: 0 };
  }

  remove(id: string): void {
    this.store.remove(id);
    this.events.emit('history.missed', { count: this.store.unseenCount() });
  }

  private callState(view: CallView): void {
    if (view.transferredFrom !== undefined) this.transferredTo.set(view.transferredFrom, view.remote.uri);
    if (view.state !== 'terminated') return;
    const stats = this.stats.get(view.id);
    this.stats.delete(view.id);
    const outcome = outcomeOf(view, this.transferredTo.has(view.id));
    const contact = view.contact ?? this.contacts.identify(view.remote.uri);
    const transferTo = view.transfer?.state === 'succeeded' ? view.transfer.target : this.transferredTo.get(view.id);
    this.transferredTo.delete(view.id);
    const endedAt = view.endedAt ?? Date.now();
    const entry: HistoryEntry = {
      id: view.id,
      accountId: view.accountId,
      direction: view.direction,
      remote: view.remote,
      ...(contact === undefined ? {} : { contact }),
      startedAt: view.startedAt,
      ...(view.answeredAt === undefined ? {} : { answeredAt: view.answeredAt }),
      endedAt,
      durationSeconds: view.answeredAt === undefined ? 0 : Math.max(0, Math.round((endedAt - view.answeredAt) / 1000)),
      outcome,
      ...(view.end?.code === undefined ? {} : { code: view.end.code }),
      ...(view.end === undefined ? {} : { reason: view.end.reason }),
      ...(view.codec === undefined ? {} : { codec: view.codec }),
      ...(stats === undefined ? {} : { mos: stats.mos, lossPercent: stats.lossPercent }),
      ...(transferTo === undefined && view.transferredFrom === undefined
        ? {}
        : { transfer: { ...(transferTo === undefined ? {} : { to: transferTo }), ...(view.transferredFrom === undefined ? {} : { from: view.transferredFrom }) } }),
      ...(outcome === 'missed' ? { unseen: true } : {}),
    };
    this.store.put(entry);
    this.store.prune(this.keep);
    this.events.emit('history.entry', entry);
    if (outcome === 'missed') this.events.emit('history.missed', { count: this.store.unseenCount() });
  }
}

/**
 * From how the call ended: answered (or transferred on), missed (rang and the caller gave up,
 * or went to a forwarding target), rejected (we declined), busy / cancelled / failed for ours.
 */
export function outcomeOf(view: CallView, transferredOn: boolean): CallOutcome {
  if (view.answeredAt !== undefined) return view.transfer?.state === 'succeeded' || transferredOn ? 'transferred' : 'answered';
  const code = view.end?.code;
  if (view.direction === 'incoming') {
    // RFC 3326: a CANCEL saying the call was answered on another of the user's devices.
    if (/elsewhere/i.test(view.end?.reason ?? '')) return 'cancelled';
    return view.end?.by === 'local' && code !== undefined && code !== 302 ? 'rejected' : 'missed';
  }
  if (code === 486 || code === 600) return 'busy';
  if (code === 487 && view.end?.by === 'local') return 'cancelled';
  return 'failed';
}
