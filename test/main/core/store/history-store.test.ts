import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../main/core/store/database.js';
import type { SipLogEntry } from '../../../../shared/model.js';
import { MAX_CALL_SIP_BYTES, MAX_CALL_SIP_MESSAGES } from '../../../../main/core/store/call-sip-log.js';
import { HistoryStore, MAX_CALLS_WITH_SIP_LOG } from '../../../../main/core/store/history-store.js';

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

describe('HistoryStore: the SIP messages of a call', () => {
  const call = (id: string, startedAt: number) => ({ id, accountId: 'a', direction: 'outgoing' as const, remote: { uri: 'sip:bob@lab.test' }, startedAt, endedAt: startedAt + 1000, durationSeconds: 1, outcome: 'answered' as const });
  const message = (seq: number, text = `INVITE sip:bob@lab.test SIP/2.0\r\nCall-ID: c1\r\nCSeq: ${seq} INVITE\r\n\r\n`): SipLogEntry => ({
    seq,
    at: 1000 + seq,
    direction: 'out',
    transport: 'udp',
    local: '127.0.0.1:5060',
    remote: '127.0.0.1:5070',
    callId: 'c1',
    firstLine: text.split('\r\n', 1)[0]!,
    text,
  });
  const fresh = () => {
    const db = new Database(':memory:');
    migrate(db);
    return { db, store: new HistoryStore(db) };
  };

  it('are written with the entry and read back in order; an entry without them has none', () => {
    const { store } = fresh();
    const messages = [message(0), message(1, 'SIP/2.0 200 OK\r\nCall-ID: c1\r\n\r\n'), message(2, 'BYE sip:bob@lab.test SIP/2.0\r\nCall-ID: c1\r\n\r\n')];
    store.put(call('h1', 1000), { messages, dropped: 0 });
    store.put(call('h2', 2000));
    expect(store.sipLog('h1')).toEqual({ messages, dropped: 0 });
    expect(store.sipLog('h2')).toEqual({ messages: [], dropped: 0 });
    expect(store.sipLog('nobody')).toEqual({ messages: [], dropped: 0 });
  });

  it(`are bounded to ${MAX_CALL_SIP_MESSAGES} messages and ${MAX_CALL_SIP_BYTES / 1024} KB, keeping the call's opening and its end; the rest is counted`, () => {
    const { store } = fresh();
    const many = Array.from({ length: 500 }, (_, i) => message(i));
    store.put(call('h1', 1000), { messages: many, dropped: 3 });
    const kept = store.sipLog('h1');
    expect(kept.messages).toHaveLength(MAX_CALL_SIP_MESSAGES);
    expect(kept.dropped).toBe(300 + 3);
    expect(kept.messages.slice(0, 20).map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(kept.messages.at(-1)!.seq).toBe(499);
    expect(kept.messages[20]!.seq).toBe(500 - (MAX_CALL_SIP_MESSAGES - 20));

    // 30 messages of 30 KB each: about 8 fit in 256 KB.
    const big = Array.from({ length: 30 }, (_, i) => message(i, `MESSAGE sip:bob@lab.test SIP/2.0\r\nCall-ID: c1\r\n\r\n${'x'.repeat(30_000)}`));
    store.put(call('h2', 2000), { messages: big, dropped: 0 });
    const bytes = store.sipLog('h2');
    expect(bytes.messages.reduce((sum, m) => sum + Buffer.byteLength(m.text) + Buffer.byteLength(m.firstLine), 0)).toBeLessThanOrEqual(MAX_CALL_SIP_BYTES);
    expect(bytes.messages.length).toBe(8);
    expect(bytes.messages.length + bytes.dropped).toBe(30);
    expect(bytes.messages.at(-1)!.seq).toBe(29);
  });

  it('never hold a credential: Authorization and Proxy-Authorization are redacted on disk', () => {
    const { db, store } = fresh();
    const text =
      'INVITE sip:bob@lab.test SIP/2.0\r\nCall-ID: c1\r\n' +
      'Proxy-Authorization: Digest username="eve", realm="lab.test", nonce="n1", uri="sip:bob@lab.test", response="0123456789abcdef0123456789abcdef"\r\n' +
      'Authorization: Basic ZXZlOmV2ZXBhc3M=\r\n\r\n';
    store.put(call('h1', 1000), { messages: [message(0, text)], dropped: 0 });
    const raw = db.prepare('SELECT messages FROM call_sip_log').pluck().get() as string;
    expect(raw).not.toContain('0123456789abcdef');
    expect(raw).not.toContain('ZXZlOmV2ZXBhc3M');
    const stored = store.sipLog('h1').messages[0]!.text;
    expect(stored).toContain('Proxy-Authorization: Digest username="eve", realm="lab.test", nonce="n1", uri="sip:bob@lab.test", response="<redacted>"');
    expect(stored).toContain('Authorization: Basic <redacted>');
  });

  it('go with their entry, by removal and by retention; late messages only join an entry still there', () => {
    const { db, store } = fresh();
    for (let i = 0; i < 5; i++) store.put(call(`h${i}`, 1000 + i), { messages: [message(i)], dropped: 0 });
    expect(store.remove('h4')).toBe(true);
    expect(store.sipLog('h4').messages).toEqual([]);
    store.prune(2);
    expect(store.list('all', 10).map((e) => e.id)).toEqual(['h3', 'h2']);
    expect(db.prepare('SELECT history_id FROM call_sip_log ORDER BY history_id').pluck().all()).toEqual(['h2', 'h3']);
    expect(store.putSipLog('h2', { messages: [message(2), message(9)], dropped: 0 })).toBe(true);
    expect(store.sipLog('h2').messages.map((m) => m.seq)).toEqual([2, 9]);
    expect(store.putSipLog('h0', { messages: [message(0)], dropped: 0 })).toBe(false);
    expect(db.prepare('SELECT count(*) FROM call_sip_log').pluck().get()).toBe(2);
  });

  it(`are kept for the newest ${MAX_CALLS_WITH_SIP_LOG} calls only, whatever the history keeps`, () => {
    const { db, store } = fresh();
    for (let i = 0; i < MAX_CALLS_WITH_SIP_LOG + 5; i++) store.put(call(`h${i}`, 1000 + i), { messages: [message(i)], dropped: 0 });
    store.prune(10_000);
    expect(store.list('all', 2000)).toHaveLength(MAX_CALLS_WITH_SIP_LOG + 5);
    expect(db.prepare('SELECT count(*) FROM call_sip_log').pluck().get()).toBe(MAX_CALLS_WITH_SIP_LOG);
    expect(store.sipLog('h4').messages).toEqual([]);
    expect(store.sipLog('h5').messages.map((m) => m.seq)).toEqual([5]);
  });

  it('a stored message that is not a valid log entry is left out, not passed on', () => {
    const { db, store } = fresh();
    store.put(call('h1', 1000), { messages: [message(0)], dropped: 0 });
    db.prepare('UPDATE call_sip_log SET messages = ?').run(JSON.stringify([{ seq: -1, text: 5 }, message(1), 'x']));
    expect(store.sipLog('h1').messages.map((m) => m.seq)).toEqual([1]);
  });
});
