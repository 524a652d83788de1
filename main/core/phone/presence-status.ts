/**
 * What a contact list shows, read from event bodies — and our own presence written as one:
 *
 * - presence (RFC 3863 basic status, RFC 4480 activities): closed → offline; open → the
 *   strongest activity (on-the-phone, dnd, busy, away), else available;
 * - busy lamp (RFC 4235 dialog states): a dialog ringing at the entity → ringing, one confirmed
 *   (or its own call still ringing out) → in-call, none → idle.
 *
 * RFC 4480 has no "do not disturb" activity: phones say it with <rpid:busy/> and a note, or an
 * <rpid:other> naming it. We read both and write the first.
 */
import type { LineState, OwnPresence as OwnPresenceView, PresenceStatus } from '../../../shared/model.js';
import { summarizePresence, type DialogInfoDialog, type OwnPresence as PidfPresence, type PresenceDocument, type RpidActivity } from '../sip/events/index.js';

/** Notes and other text from the network are shown as text, at most this long. */
export const MAX_NOTE_CHARS = 256;

const AWAY: readonly RpidActivity[] = ['away', 'vacation', 'holiday', 'permanent-absence', 'sleeping', 'meal', 'breakfast', 'dinner', 'travel', 'in-transit'];
const BUSY: readonly RpidActivity[] = ['busy', 'meeting', 'appointment', 'presentation', 'performance', 'worship', 'steering'];
const DND_TEXT = /\b(dnd|do[ -]not[ -]disturb)\b/i;
export const DND_NOTE = 'Do not disturb';

export interface ContactPresence {
  readonly status: PresenceStatus;
  readonly note?: string;
}

/** Text from a document made safe to show: control characters out, bounded length. */
export function boundedText(text: string, max = MAX_NOTE_CHARS): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim().slice(0, max);
}

export function contactPresence(document: PresenceDocument): ContactPresence {
  const summary = summarizePresence(document, 'en');
  const note = summary.note === undefined ? undefined : boundedText(summary.note);
  const withNote = (status: PresenceStatus): ContactPresence => (note === undefined || note === '' ? { status } : { status, note });
  if (summary.basic === 'closed') return withNote('offline');
  const activities = summary.activities;
  const others = document.persons.flatMap((p) => p.otherActivities);
  if (activities.includes('on-the-phone')) return withNote('on-the-phone');
  if (others.some((o) => DND_TEXT.test(o)) || (activities.includes('busy') && note !== undefined && DND_TEXT.test(note))) return withNote('dnd');
  if (activities.some((a) => BUSY.includes(a))) return withNote('busy');
  if (activities.some((a) => AWAY.includes(a))) return withNote('away');
  if (summary.basic === 'open') return withNote('available');
  return withNote('unknown');
}

/** The dialog ringing at the entity (it is the recipient and has not answered), if any. */
export function ringingDialog(dialogs: readonly DialogInfoDialog[]): DialogInfoDialog | undefined {
  return dialogs.find((d) => d.direction === 'recipient' && (d.state === 'early' || d.state === 'proceeding' || d.state === 'trying'));
}

/** The busy lamp: ringing beats in-call (it can be picked up), any live dialog is in-call. */
export function lineState(dialogs: readonly DialogInfoDialog[]): LineState {
  if (ringingDialog(dialogs) !== undefined) return 'ringing';
  // An early dialog without a direction is most often the entity being rung, too.
  if (dialogs.some((d) => d.direction === undefined && d.state === 'early')) return 'ringing';
  if (dialogs.some((d) => d.state !== 'terminated')) return 'in-call';
  return 'idle';
}

/**
 * What others should see: the user's choice, overridden by a call in progress (on-the-phone)
 * and by DND on an account; "available" becomes "away" while the desktop is idle. Offline
 * stays offline.
 */
export function effectivePresence(chosen: OwnPresenceView['status'], state: { onThePhone: boolean; dnd: boolean; idle: boolean }): PresenceStatus {
  if (chosen === 'offline') return 'offline';
  if (state.onThePhone) return 'on-the-phone';
  if (state.dnd || chosen === 'dnd') return 'dnd';
  if (chosen === 'available' && state.idle) return 'away';
  return chosen;
}

/** Our PIDF for a status (RFC 3863 basic + RFC 4480 activity). */
export function ownDocument(entity: string, status: PresenceStatus, note: string | undefined, ids: { tupleId: string; personId: string }): PidfPresence {
  const activities: RpidActivity[] =
    status === 'away' ? ['away'] : status === 'busy' || status === 'dnd' ? ['busy'] : status === 'on-the-phone' ? ['on-the-phone'] : [];
  const shownNote = note ?? (status === 'dnd' ? DND_NOTE : undefined);
  return {
    entity,
    basic: status === 'offline' ? 'closed' : 'open',
    contact: entity,
    activities,
    ...(shownNote === undefined ? {} : { note: shownNote }),
    ...ids,
  };
}
