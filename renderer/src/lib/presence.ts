/** Words and tones for presence (RFC 3863/4480), busy lamps (RFC 4235) and message waiting (RFC 3842). */
import type { LineState, OwnPresence, PresenceStatus, VoicemailState, WatchedEntity } from '../../../shared/model.js';
import type { StatusTone } from './format.js';
import { t } from './strings.js';

export type OwnStatus = OwnPresence['status'];

/** What the user can choose, in the order the selector lists them. */
export const ownStatuses: readonly { value: OwnStatus; label: string }[] = [
  { value: 'available', label: t.presence.available },
  { value: 'away', label: t.presence.away },
  { value: 'busy', label: t.presence.busy },
  { value: 'dnd', label: t.presence.dnd },
  { value: 'offline', label: t.presence.offline },
];

export function presenceText(status: PresenceStatus): string {
  switch (status) {
    case 'available':
    case 'away':
    case 'busy':
    case 'on-the-phone':
    case 'dnd':
    case 'offline':
    case 'unknown':
      return t.presence[status];
  }
}

export function presenceTone(status: PresenceStatus): StatusTone {
  switch (status) {
    case 'available':
      return 'ok';
    case 'away':
      return 'busy';
    case 'busy':
    case 'on-the-phone':
    case 'dnd':
      return 'error';
    case 'offline':
      return 'off';
    case 'unknown':
      return 'none';
  }
}

export function lineText(line: LineState): string {
  switch (line) {
    case 'idle':
    case 'ringing':
    case 'in-call':
    case 'unknown':
      return t.presence.line[line];
  }
}

export function lineTone(line: LineState): StatusTone {
  switch (line) {
    case 'idle':
      return 'ok';
    case 'ringing':
      return 'busy';
    case 'in-call':
      return 'error';
    case 'unknown':
      return 'none';
  }
}

/** A watched extension's ringing call can be taken here. */
export function canPickUp(entity: WatchedEntity | undefined): boolean {
  return entity !== undefined && entity.blf && entity.line === 'ringing' && entity.pickup === true;
}

/** What our own presence shows when the phone overrides the user's choice (a call, DND). */
export function ownPresenceNote(own: OwnPresence): string | undefined {
  return own.effective === own.status ? undefined : t.presence.othersSee(presenceText(own.effective));
}

/** The new voicemail messages over all accounts, and the account to call: the first with new ones. */
export function voicemailSummary(states: readonly VoicemailState[]): { newMessages: number; oldMessages: number; accountId: string | undefined } {
  const withNew = states.find((s) => s.newMessages > 0 || s.waiting);
  return {
    newMessages: states.reduce((sum, s) => sum + s.newMessages, 0),
    oldMessages: states.reduce((sum, s) => sum + s.oldMessages, 0),
    accountId: (withNew ?? states[0])?.accountId,
  };
}

export function voicemailText(summary: { newMessages: number; oldMessages: number }): string {
  if (summary.newMessages === 0) return summary.oldMessages === 0 ? t.presence.noVoicemail : t.presence.oldVoicemail(summary.oldMessages);
  return t.presence.newVoicemail(summary.newMessages);
}

/** Replaces the voicemail state of one account (kept in the order the accounts came). */
export function upsertVoicemail(states: readonly VoicemailState[], state: VoicemailState): VoicemailState[] {
  const index = states.findIndex((s) => s.accountId === state.accountId);
  return index < 0 ? [...states, state] : states.with(index, state);
}
