import { describe, expect, it } from 'vitest';
import type { PresenceStatus, WatchedEntity } from '../../shared/model.js';
import { canPickUp, lineText, lineTone, ownPresenceNote, ownStatuses, presenceText, presenceTone, upsertVoicemail, voicemailSummary, voicemailText } from '../../renderer/src/lib/presence.js';

describe('presence words and dots', () => {
  it('has a word and a tone for every status a contact can show', () => {
    const statuses: PresenceStatus[] = ['available', 'away', 'busy', 'on-the-phone', 'dnd', 'offline', 'unknown'];
    expect(statuses.map(presenceText)).toEqual(['Available', 'Away', 'Busy', 'On the phone', 'Do not disturb', 'Offline', 'Unknown']);
    expect(statuses.map(presenceTone)).toEqual(['ok', 'busy', 'error', 'error', 'error', 'off', 'none']);
  });

  it('offers the five statuses a user can choose', () => {
    expect(ownStatuses.map((s) => s.value)).toEqual(['available', 'away', 'busy', 'dnd', 'offline']);
  });

  it('says what others see when a call or DND overrides the choice', () => {
    expect(ownPresenceNote({ status: 'available', effective: 'available' })).toBeUndefined();
    expect(ownPresenceNote({ status: 'available', effective: 'on-the-phone' })).toBe('Others see: On the phone');
  });
});

describe('busy lamps', () => {
  const entity = (fields: Partial<WatchedEntity>): WatchedEntity => ({ uri: 'sip:100@pbx.test', presence: false, blf: true, status: 'unknown', line: 'idle', ...fields });

  it('names and colours the line states', () => {
    expect((['idle', 'ringing', 'in-call', 'unknown'] as const).map((l) => [lineText(l), lineTone(l)])).toEqual([
      ['Idle', 'ok'],
      ['Ringing', 'busy'],
      ['In a call', 'error'],
      ['Line unknown', 'none'],
    ]);
  });

  it('offers pickup only for a ringing line the core can pick up', () => {
    expect(canPickUp(entity({ line: 'ringing', pickup: true }))).toBe(true);
    expect(canPickUp(entity({ line: 'ringing' }))).toBe(false);
    expect(canPickUp(entity({ line: 'in-call', pickup: true }))).toBe(false);
    expect(canPickUp(undefined)).toBe(false);
  });
});

describe('voicemail', () => {
  it('adds the new messages of all accounts and calls the first account with any', () => {
    const states = [
      { accountId: 'a', waiting: false, newMessages: 0, oldMessages: 1 },
      { accountId: 'b', waiting: true, newMessages: 2, oldMessages: 0 },
    ];
    expect(voicemailSummary(states)).toEqual({ newMessages: 2, oldMessages: 1, accountId: 'b' });
    expect(voicemailSummary([])).toEqual({ newMessages: 0, oldMessages: 0, accountId: undefined });
    expect(voicemailSummary(states.slice(0, 1)).accountId).toBe('a');
  });

  it('says how many are waiting', () => {
    expect(voicemailText({ newMessages: 0, oldMessages: 0 })).toBe('No voicemail');
    expect(voicemailText({ newMessages: 0, oldMessages: 3 })).toBe('Voicemail: 3 old');
    expect(voicemailText({ newMessages: 1, oldMessages: 0 })).toBe('1 new voicemail');
    expect(voicemailText({ newMessages: 4, oldMessages: 0 })).toBe('4 new voicemails');
  });

  it('replaces the state of one account in place', () => {
    const a = { accountId: 'a', waiting: false, newMessages: 0, oldMessages: 0 };
    const b = { accountId: 'b', waiting: false, newMessages: 0, oldMessages: 0 };
    expect(upsertVoicemail([a, b], { ...a, newMessages: 5 }).map((s) => [s.accountId, s.newMessages])).toEqual([
      ['a', 5],
      ['b', 0],
    ]);
    expect(upsertVoicemail([a], b)).toEqual([a, b]);
  });
});
