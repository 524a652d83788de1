/**
 * The call history: every call that ends is written with its outcome, times, quality summary,
 * the contact it matched and its SIP messages (for its ladder diagram); missed calls count until
 * the user has seen them.
 */
import type { CallOutcome, CallStats, CallView, HistoryEntry, SipLogEntry } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import { CallSipRecorder, type CallSipLog } from '../store/call-sip-log.js';
import type { HistoryFilter, HistoryStore } from '../store/history-store.js';
import type { SettingsStore } from '../store/settings-store.js';
import { PhoneError } from '../../../shared/errors.js';
import type { Contacts } from './contacts.js';

/** Entries kept (the oldest beyond go). */
const DEFAULT_RETENTION = 10_000;
/**
 * Dialogs begun by an INVITE that no call has claimed yet (an incoming INVITE is logged before
 * its call exists; one refused at once never becomes a call): the oldest are forgotten beyond.
 */
const MAX_UNCLAIMED_DIALOGS = 16;
/** Messages of a call that come after it ended (the ACK of a final error, a BYE's 200) are still added this long. */
export const SIP_LOG_LINGER_MS = 4000;

interface DialogLog {
  readonly recorder: CallSipRecorder;
  /** The call it belongs to, once known. */
  claimed: boolean;
}

export class History {
  private readonly stats = new Map<string, CallStats>();
  /** Calls made for a transfer, by the call they came from. */
  private readonly transferredTo = new Map<string, string>();
  /** SIP messages by Call-ID, of the dialogs that are or may become calls. */
  private readonly dialogs = new Map<string, DialogLog>();
  /** The SIP Call-ID of each call in progress. */
  private readonly sipCallIds = new Map<string, string>();
  /** Calls ended whose late messages are still awaited, by history id. */
  private readonly lingering = new Map<string, { readonly timer: ReturnType<typeof setTimeout>; readonly flush: () => void }>();

  constructor(
    private readonly store: HistoryStore,
    private readonly events: EventHub,
    private readonly contacts: Contacts,
    /** The user's retention setting (`history.retention`). */
    private readonly settings?: SettingsStore,
    /** The SIP Call-ID of a call in progress (the calls know it; `CallView` does not carry it). */
    private readonly sipCallIdOf?: (callId: string) => string | undefined,
  ) {
    events.subscribe((name, payload) => {
      if (name === 'call.stats') this.stats.set((payload as CallStats).callId, payload as CallStats);
      if (name === 'call.state') this.callState(payload as CallView);
      if (name === 'log.sip') this.sipMessage(payload as SipLogEntry);
    });
  }

  /** The SIP messages kept with a call in the history. */
  sipLog(id: string): CallSipLog {
    return this.store.sipLog(id);
  }

  /** Writes what lingering calls have gathered (the core is closing). */
  close(): void {
    for (const { timer, flush } of [...this.lingering.values()]) {
      clearTimeout(timer);
      flush();
    }
  }

  private sipMessage(entry: SipLogEntry): void {
    if (entry.callId === undefined) return;
    const known = this.dialogs.get(entry.callId);
    if (known !== undefined) {
      known.recorder.add(entry);
      return;
    }
    // A dialog that may be a call: its INVITE (§13.2.1) is its first message.
    if (entry.error !== undefined || !/^INVITE[ \t]/.test(entry.firstLine)) return;
    const unclaimed = [...this.dialogs].filter(([, dialog]) => !dialog.claimed);
    if (unclaimed.length >= MAX_UNCLAIMED_DIALOGS) this.dialogs.delete(unclaimed[0]![0]);
    const dialog: DialogLog = { recorder: new CallSipRecorder(), claimed: false };
    dialog.recorder.add(entry);
    this.dialogs.set(entry.callId, dialog);
  }

  /** The call's dialog log, claimed at its first state (whether its INVITE was logged yet or not). */
  private dialogOf(view: CallView): { sipCallId: string; dialog: DialogLog } | undefined {
    let sipCallId = this.sipCallIds.get(view.id);
    if (sipCallId === undefined) {
      sipCallId = this.sipCallIdOf?.(view.id);
      if (sipCallId === undefined) return undefined;
      this.sipCallIds.set(view.id, sipCallId);
    }
    let dialog = this.dialogs.get(sipCallId);
    if (dialog === undefined) {
      dialog = { recorder: new CallSipRecorder(), claimed: true };
      this.dialogs.set(sipCallId, dialog);
    }
    dialog.claimed = true;
    return { sipCallId, dialog };
  }

  /** The call's log is written with its entry; what comes within the linger is written once more, in one batch. */
  private linger(id: string, sipCallId: string, dialog: DialogLog): void {
    this.sipCallIds.delete(id);
    const written = dialog.recorder.count;
    const flush = () => {
      this.lingering.delete(id);
      if (this.dialogs.get(sipCallId) === dialog) this.dialogs.delete(sipCallId);
      try {
        if (dialog.recorder.count !== written) this.store.putSipLog(id, dialog.recorder.log);
      } catch {
        // Only the late messages are lost: the call's log was written with its entry.
      }
    };
    const timer = setTimeout(flush, SIP_LOG_LINGER_MS);
    timer.unref?.();
    this.lingering.set(id, { timer, flush });
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
    const sip = this.dialogOf(view);
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
    this.store.put(entry, sip?.dialog.recorder.log);
    if (sip !== undefined) this.linger(entry.id, sip.sipCallId, sip.dialog);
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
