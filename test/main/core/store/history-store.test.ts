import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../main/core/store/database.js';
import { HistoryStore } from '../../../../main/core/store/history-store.js';

describe('HistoryStore retention', () => {
  it('keeps the newest entries only', () => {
    const db = new Database(':memory:');
    migrate(db);
    const store = new HistoryStore(db);
    for (let i = 0; i < 150; i++) {
      store.put({ id: `c${i}`, accountId: 'a', direction: 'incoming', remote: { uri: 'sip:x@y' }, startedAt: 1000 + i, endedAt: 2000 + i, durationSeconds: 0, outcome: 'missed', unseen: true });
    }
    store.prune(100);
    const all = store.list('all', 1000);
    expect(all).toHaveLength(100);
    expect(all[0]!.id).toBe('c149');
    expect(all.at(-1)!.id).toBe('c50');
    expect(store.unseenCount()).toBe(100);
  });
});
