/// <reference lib="dom" />
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SipScreen from '../../../renderer/src/screens/SipScreen.svelte';
import { callFlow, registration } from '../sip-flow.js';
import { fakePhone } from './fake-phone.js';

const labels = () => screen.queryAllByTestId('ladder-arrow').map((o) => o.dataset['label']);

afterEach(() => vi.restoreAllMocks());

describe('SIP log screen', () => {
  it('filters by dialog, method and text, and says how many are shown', async () => {
    const { store } = fakePhone();
    store.sipLog = [...registration(1_699_999_999_000, 100), ...callFlow()];
    render(SipScreen, { store });
    expect(labels()).toHaveLength(9);
    expect(screen.getByTestId('sip-count').textContent).toBe('9 messages');

    await fireEvent.change(screen.getByTestId('sip-filter-callid'), { target: { value: 'reg-1@eve' } });
    expect(labels()).toEqual(['REGISTER', '200 OK']);
    expect(screen.getByTestId('sip-count').textContent).toBe('2 of 9 messages');

    await fireEvent.click(screen.getByTestId('sip-show-all'));
    await fireEvent.change(screen.getByTestId('sip-filter-method'), { target: { value: 'INVITE' } });
    expect(labels()).toEqual(['INVITE (SDP)', '100 Trying', '180 Ringing', '200 OK (SDP)']);
    await fireEvent.input(screen.getByTestId('sip-filter-text'), { target: { value: 'ringing' } });
    expect(labels()).toEqual(['180 Ringing']);
  });

  it("opens on a call's dialog, and says when the log no longer holds it", () => {
    const { store } = fakePhone();
    store.sipLog = callFlow();
    store.showSipDialog('gone@elsewhere');
    render(SipScreen, { store });
    expect(screen.getByTestId('sip-gone').textContent).toBe('No SIP message of this call is kept any more.');
    expect(labels()).toEqual([]);
  });

  it("shows a call's messages kept with its history entry when the log in memory no longer has them", async () => {
    const { store, requests } = fakePhone({
      'history.sipLog': ({ id }) => (id === 'call-old' ? { messages: callFlow(), dropped: 2 } : { messages: [], dropped: 0 }),
    });
    store.sipLog = registration(1_699_999_999_000, 100);
    expect(await store.showStoredSipDialog('call-none')).toBeUndefined();
    expect(await store.showStoredSipDialog('call-old')).toBe('a84b4c76e66710@eve');
    expect(requests.map((r) => r.params)).toEqual([{ id: 'call-none' }, { id: 'call-old' }]);
    render(SipScreen, { store });
    expect(labels()).toEqual(['INVITE (SDP)', '100 Trying', '180 Ringing', '200 OK (SDP)', 'ACK', 'BYE', '200 OK']);
    expect(screen.getByTestId('sip-stored').textContent).toBe('These messages were kept with the call in the history; 2 more were not kept.');
    expect(screen.queryByTestId('sip-gone')).toBeNull();
    expect(screen.getByTestId('sip-count').textContent).toBe('7 messages');
    // Back to the whole log in memory.
    await fireEvent.click(screen.getByTestId('sip-show-all'));
    expect(labels()).toEqual(['REGISTER', '200 OK']);
    expect(screen.queryByTestId('sip-stored')).toBeNull();
  });

  it('exports the messages shown as a text file', async () => {
    const { store } = fakePhone();
    store.sipLog = callFlow();
    store.showSipDialog('a84b4c76e66710@eve');
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    render(SipScreen, { store });
    await fireEvent.click(screen.getByTestId('sip-export'));
    expect(clicked).toEqual([expect.stringMatching(/^sip-a84b4c76e66710_eve-\d{8}\d{6}-\d{3}\.txt$/)]);
    const text = await blobs[0]!.text();
    expect(text).toContain('# 7 messages, Call-ID a84b4c76e66710@eve');
    expect(text).toContain('SIP/2.0 180 Ringing\n');
  });
});
