import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../shared/model.js';
import { conversations, deliveryText, peerTitle, thread, TypingNotifier, upsertMessage, type Timers } from '../../renderer/src/lib/messages.js';

function message(id: string, fields: Partial<MessageView> = {}): MessageView {
  return { id, accountId: 'eve', peer: 'sip:bob@lab.test', direction: 'incoming', text: id, at: 0, state: 'received', ...fields };
}

describe('conversations', () => {
  it('keep each message once, its latest state in place, oldest first', () => {
    let list = upsertMessage([], message('a', { at: 1, direction: 'outgoing', state: 'sending' }));
    list = upsertMessage(list, message('b', { at: 2 }));
    list = upsertMessage(list, message('a', { at: 1, direction: 'outgoing', state: 'delivered', code: 200 }));
    expect(list.map((m) => [m.id, m.state])).toEqual([
      ['a', 'delivered'],
      ['b', 'received'],
    ]);
    expect(upsertMessage(list, message('early', { at: 0 })).map((m) => m.id)).toEqual(['early', 'a', 'b']);
  });

  it('group by peer, the most recent first, with the unread count and the name the peer sent', () => {
    const all = [
      message('1', { at: 1, peerName: 'Bob' }),
      message('2', { at: 2, peer: 'sip:carol@lab.test' }),
      message('3', { at: 3, direction: 'outgoing', state: 'sent' }),
      message('4', { at: 4, peer: 'sip:carol@lab.test' }),
    ];
    const list = conversations(all, new Set(['2', '4']));
    expect(list.map((c) => [c.peer, c.last.id, c.unread, c.peerName])).toEqual([
      ['sip:carol@lab.test', '4', 2, undefined],
      ['sip:bob@lab.test', '3', 0, 'Bob'],
    ]);
    expect(thread(all, 'sip:bob@lab.test').map((m) => m.id)).toEqual(['1', '3']);
  });

  it('are named after the contact, else the name the peer sent, else the address', () => {
    expect(peerTitle('sip:bob@lab.test', { contact: 'Bob Builder', peerName: 'bob' })).toBe('Bob Builder');
    expect(peerTitle('sip:bob@lab.test', { peerName: 'Bobby' })).toBe('Bobby');
    expect(peerTitle('sip:bob@lab.test', {})).toBe('bob@lab.test');
  });
});

describe('delivery states', () => {
  it('say how an outgoing message went, a failure with its status', () => {
    expect(deliveryText(message('a', { direction: 'outgoing', state: 'sending' }))).toBe('Sending…');
    expect(deliveryText(message('a', { direction: 'outgoing', state: 'sent', code: 202 }))).toBe('Sent');
    expect(deliveryText(message('a', { direction: 'outgoing', state: 'delivered', code: 200 }))).toBe('Delivered');
    expect(deliveryText(message('a', { direction: 'outgoing', state: 'failed', code: 404, reason: 'Not Found' }))).toBe('Not delivered: 404 Not Found');
    expect(deliveryText(message('a'))).toBeUndefined();
  });
});

/** Timers under the test's hand: `advance(ms)` fires what is due. */
function fakeTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let next = 0;
  const pending = new Map<number, { at: number; handler: () => void }>();
  return {
    now: () => now,
    setTimeout(handler, ms) {
      pending.set(++next, { at: now + ms, handler });
      return next;
    },
    clearTimeout(timer) {
      pending.delete(timer as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > now) continue;
        pending.delete(id);
        t.handler();
      }
    },
  };
}

describe('typing indication (RFC 3994)', () => {
  function composer() {
    const sent: boolean[] = [];
    const timers = fakeTimers();
    const notifier = new TypingNotifier((active) => sent.push(active), 5000, 50_000, timers);
    return { sent, timers, notifier };
  }

  it('says active at the first keystroke only, and idle 5 s after the last', () => {
    const { sent, timers, notifier } = composer();
    notifier.input('h');
    timers.advance(3000);
    notifier.input('he');
    timers.advance(3000);
    notifier.input('hel');
    expect(sent).toEqual([true]);
    timers.advance(4999);
    expect(sent).toEqual([true]);
    timers.advance(1);
    expect(sent).toEqual([true, false]);
    expect(notifier.active).toBe(false);
  });

  it('goes idle without a status message when the text is sent (the message says it)', () => {
    const { sent, timers, notifier } = composer();
    notifier.input('hello');
    notifier.sent();
    timers.advance(10_000);
    expect(sent).toEqual([true]);
    notifier.input('again');
    expect(sent).toEqual([true, true]);
  });

  it('says idle at once when the draft is emptied or the conversation left', () => {
    const { sent, notifier } = composer();
    notifier.input('x');
    notifier.input('');
    expect(sent).toEqual([true, false]);
    notifier.input('y');
    notifier.stop();
    expect(sent).toEqual([true, false, true, false]);
    notifier.stop();
    expect(sent).toHaveLength(4);
  });

  it('refreshes active before the refresh interval it announced lapses, while typing goes on', () => {
    const { sent, timers, notifier } = composer();
    for (let t = 0; t < 60_000; t += 2000) {
      notifier.input(`draft ${t}`);
      timers.advance(2000);
    }
    expect(sent).toEqual([true, true]);
  });
});
