/// <reference lib="dom" />
/**
 * The History screen's "SIP ladder" button: from the log in memory when it has the call, else
 * from the messages kept with the history entry (`history.sipLog`), else a notice.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import HistoryScreen from '../../../renderer/src/screens/HistoryScreen.svelte';
import type { HistoryEntry } from '../../../shared/model.js';
import { callFlow } from '../sip-flow.js';
import { fakePhone } from './fake-phone.js';

const entry = (id: string, startedAt: number): HistoryEntry => ({
  id,
  accountId: 'eve',
  direction: 'outgoing',
  remote: { uri: 'sip:bob@lab.test' },
  startedAt,
  endedAt: startedAt + 5000,
  durationSeconds: 4,
  outcome: 'answered',
});

async function historyWith(entries: HistoryEntry[], kept: Record<string, ReturnType<typeof callFlow>>) {
  const phone = fakePhone({
    'history.list': () => entries,
    'history.sipLog': ({ id }) => ({ messages: kept[id as string] ?? [], dropped: 0 }),
  });
  await phone.store.history.load('all');
  const pages: string[] = [];
  render(HistoryScreen, { store: phone.store, navigate: (page: string) => pages.push(page) });
  return { ...phone, pages };
}

describe('History screen: SIP ladder', () => {
  it('uses the log in memory when it has the call, without asking the core', async () => {
    const flow = callFlow();
    const { store, requests, pages } = await historyWith([entry('call-1', flow[0]!.at)], {});
    store.sipLog = flow;
    await fireEvent.click(screen.getByTestId('history-sip'));
    expect(pages).toEqual(['sip']);
    expect(store.sipFilter.callId).toBe('a84b4c76e66710@eve');
    expect(requests.map((r) => r.method)).not.toContain('history.sipLog');
  });

  it('loads the messages kept with the entry when the log in memory lost them, and says so when none were kept', async () => {
    const { store, requests, pages } = await historyWith([entry('call-kept', 2_000_000_000_000), entry('call-bare', 1_000_000_000_000)], { 'call-kept': callFlow() });
    const [kept, bare] = screen.getAllByTestId('history-sip');
    await fireEvent.click(kept!);
    await waitFor(() => expect(pages).toEqual(['sip']));
    expect(store.sipFilter.callId).toBe('a84b4c76e66710@eve');
    expect(store.storedSip?.messages).toHaveLength(7);
    await fireEvent.click(bare!);
    await waitFor(() => expect(screen.getByTestId('history-notice').textContent).toBe('No SIP message of this call was kept.'));
    expect(pages).toEqual(['sip']);
    expect(requests.filter((r) => r.method === 'history.sipLog').map((r) => r.params)).toEqual([{ id: 'call-kept' }, { id: 'call-bare' }]);
  });
});
