import { describe, expect, it } from 'vitest';
import { HistoryEntry } from '../../shared/model.js';
import { formatWhen, historyDuration, historyName, matchesFilter, mergeHistory, mosText, nextPageBefore, outcomeText, outcomeTone, unseenMissed } from '../../renderer/src/lib/history.js';

function entry(id: string, fields: Partial<HistoryEntry> = {}): HistoryEntry {
  return HistoryEntry.parse({
    id,
    accountId: 'eve',
    direction: 'incoming',
    remote: { uri: 'sip:bob@lab.test' },
    startedAt: 1000,
    endedAt: 2000,
    durationSeconds: 0,
    outcome: 'answered',
    ...fields,
  });
}

describe('history entries', () => {
  it('name the identified contact, else the display name, else the URI', () => {
    expect(historyName(entry('a', { contact: { id: 'c1', name: 'Bob Builder' }, remote: { uri: 'sip:bob@lab.test', displayName: 'bob' } }))).toBe('Bob Builder');
    expect(historyName(entry('a', { remote: { uri: 'sip:bob@lab.test', displayName: 'Bob B' } }))).toBe('Bob B');
    expect(historyName(entry('a'))).toBe('sip:bob@lab.test');
  });

  it('say how each call ended; missed ones stand out', () => {
    expect(outcomeText(entry('a'))).toBe('Answered');
    expect(outcomeText(entry('a', { direction: 'outgoing' }))).toBe('Connected');
    expect(outcomeText(entry('a', { outcome: 'missed' }))).toBe('Missed');
    expect(outcomeText(entry('a', { outcome: 'rejected' }))).toBe('Declined');
    expect(outcomeText(entry('a', { outcome: 'failed', code: 404, reason: 'Not Found' }))).toBe('Failed: 404 Not Found');
    expect(outcomeText(entry('a', { outcome: 'failed' }))).toBe('Failed');
    expect(outcomeTone(entry('a', { outcome: 'missed' }))).toBe('warning');
    expect(outcomeTone(entry('a', { outcome: 'busy' }))).toBe('muted');
    expect(outcomeTone(entry('a'))).toBe('ok');
  });

  it('give a talk time only to answered calls, and the MOS with one decimal', () => {
    expect(historyDuration(entry('a', { answeredAt: 1500, durationSeconds: 75 }))).toBe('1:15');
    expect(historyDuration(entry('a', { outcome: 'missed' }))).toBeUndefined();
    expect(mosText(4.26)).toBe('MOS 4.3');
  });

  it('show the time of day today, "Yesterday" the day before, the date before that', () => {
    const now = new Date(2026, 10, 22, 9, 30).getTime();
    expect(formatWhen(new Date(2026, 10, 22, 8, 5).getTime(), now)).toBe('08:05');
    expect(formatWhen(new Date(2026, 10, 21, 23, 59).getTime(), now)).toBe('Yesterday 23:59');
    expect(formatWhen(new Date(2026, 10, 3, 14, 0).getTime(), now)).toBe('2026-11-03 14:00');
    // Across a month boundary.
    expect(formatWhen(new Date(2026, 10, 30, 12, 0).getTime(), new Date(2026, 11, 1, 8, 0).getTime())).toBe('Yesterday 12:00');
  });
});

describe('history filters and pages', () => {
  it('filter by outcome or direction', () => {
    const missed = entry('m', { outcome: 'missed' });
    const out = entry('o', { direction: 'outgoing' });
    expect([missed, out].filter((e) => matchesFilter(e, 'missed')).map((e) => e.id)).toEqual(['m']);
    expect([missed, out].filter((e) => matchesFilter(e, 'incoming')).map((e) => e.id)).toEqual(['m']);
    expect([missed, out].filter((e) => matchesFilter(e, 'outgoing')).map((e) => e.id)).toEqual(['o']);
    expect([missed, out].filter((e) => matchesFilter(e, 'all'))).toHaveLength(2);
  });

  it('merge a new call or the next page newest first, each call once', () => {
    const page1 = [entry('c', { startedAt: 300 }), entry('b', { startedAt: 200 })];
    const merged = mergeHistory(page1, [entry('b', { startedAt: 200, unseen: true }), entry('a', { startedAt: 100 })]);
    expect(merged.map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(merged[1]?.unseen).toBe(true);
    expect(mergeHistory(merged, [entry('d', { startedAt: 400 })]).map((e) => e.id)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('ask the next page before the oldest entry shown', () => {
    expect(nextPageBefore([entry('c', { startedAt: 300 }), entry('b', { startedAt: 200 })])).toBe(200);
    expect(nextPageBefore([])).toBeUndefined();
  });

  it('count the missed calls not seen', () => {
    expect(unseenMissed([entry('a', { outcome: 'missed', unseen: true }), entry('b', { outcome: 'missed' }), entry('c', { unseen: true })])).toBe(1);
  });
});
