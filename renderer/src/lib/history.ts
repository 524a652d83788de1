/** The call history as the UI shows it: names, outcomes, times and pages. Plain text only. */
import type { HistoryEntry } from '../../../shared/model.js';
import { formatDuration, partyName } from './format.js';
import { t } from './strings.js';

export type HistoryFilter = 'all' | 'missed' | 'incoming' | 'outgoing';

export const historyFilters: readonly { value: HistoryFilter; label: string }[] = [
  { value: 'all', label: t.outcome.filters.all },
  { value: 'missed', label: t.outcome.filters.missed },
  { value: 'incoming', label: t.outcome.filters.incoming },
  { value: 'outgoing', label: t.outcome.filters.outgoing },
];

/** How many entries a page asks for. */
export const HISTORY_PAGE = 50;

/** The contact's name when the caller was identified, else the display name or the URI. */
export function historyName(entry: Pick<HistoryEntry, 'contact' | 'remote'>): string {
  return entry.contact?.name.trim() || partyName(entry.remote);
}

export function outcomeText(entry: Pick<HistoryEntry, 'outcome' | 'direction' | 'code' | 'reason'>): string {
  switch (entry.outcome) {
    case 'answered':
      return entry.direction === 'incoming' ? t.outcome.answered : t.outcome.connected;
    case 'missed':
      return t.outcome.missed;
    case 'rejected':
      return t.outcome.rejected;
    case 'busy':
      return t.outcome.busy;
    case 'cancelled':
      return t.outcome.cancelled;
    case 'transferred':
      return t.outcome.transferred;
    case 'failed':
      return t.outcome.failed([entry.code, entry.reason].filter((p) => p !== undefined && p !== '').join(' '));
  }
}

/** Missed calls are the ones to draw attention to. */
export function outcomeTone(entry: Pick<HistoryEntry, 'outcome'>): 'ok' | 'warning' | 'muted' {
  switch (entry.outcome) {
    case 'answered':
    case 'transferred':
      return 'ok';
    case 'missed':
      return 'warning';
    default:
      return 'muted';
  }
}

/** Talk time for a call that was answered; nothing for one that never was. */
export function historyDuration(entry: Pick<HistoryEntry, 'answeredAt' | 'durationSeconds'>): string | undefined {
  return entry.answeredAt === undefined ? undefined : formatDuration(entry.durationSeconds * 1000);
}

export function mosText(mos: number): string {
  return t.outcome.mos(mos.toFixed(1));
}

const two = (n: number) => String(n).padStart(2, '0');

/** `14:05` today, `Yesterday 14:05`, else `2026-11-20 14:05` (local time). */
export function formatWhen(epochMs: number, now: number): string {
  const at = new Date(epochMs);
  const clock = `${two(at.getHours())}:${two(at.getMinutes())}`;
  const day = (d: Date) => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  const today = new Date(now);
  if (day(at) === day(today)) return clock;
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (day(at) === day(yesterday)) return t.outcome.yesterday(clock);
  return `${day(at)} ${clock}`;
}

export function matchesFilter(entry: Pick<HistoryEntry, 'direction' | 'outcome'>, filter: HistoryFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'missed':
      return entry.outcome === 'missed';
    case 'incoming':
    case 'outgoing':
      return entry.direction === filter;
  }
}

/** Newest first, each call once: a new entry (history.entry) or a further page merged in. */
export function mergeHistory(list: readonly HistoryEntry[], more: readonly HistoryEntry[]): HistoryEntry[] {
  const byId = new Map(list.map((e) => [e.id, e]));
  for (const entry of more) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt || a.id.localeCompare(b.id));
}

/** `before` for the next page: the start of the oldest entry shown. */
export function nextPageBefore(list: readonly HistoryEntry[]): number | undefined {
  return list.at(-1)?.startedAt;
}

/** Missed calls the user has not looked at. */
export function unseenMissed(list: readonly HistoryEntry[]): number {
  return list.filter((e) => e.outcome === 'missed' && e.unseen === true).length;
}
