/// <reference lib="dom" />
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CallItem from '../../../renderer/src/components/CallItem.svelte';
import { callFlow } from '../sip-flow.js';
import { call, fakePhone } from './fake-phone.js';

const now = 1_700_000_065_000;

describe('CallItem', () => {
  it('shows who, state, duration and codec, and the actions of an established call', () => {
    const { store } = fakePhone();
    const established = call({ direction: 'outgoing', state: 'established', answeredAt: 1_700_000_000_000, codec: 'PCMU' });
    render(CallItem, { call: established, calls: [established], store, now });
    expect(screen.getByTestId('call-name').textContent).toBe('Bob');
    expect(screen.getByTestId('call-state').textContent).toContain('In call');
    expect(screen.getByTestId('call-state').textContent).toContain('1:05');
    expect(screen.getByTestId('call-state').textContent).toContain('PCMU');
    for (const name of ['Hold the call with Bob', 'Mute the microphone in the call with Bob', 'Hang up call with Bob']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.queryByTestId('call-answer')).toBeNull();
  });

  it('sends a keypad digit as DTMF', async () => {
    const { store, requests } = fakePhone({ 'calls.dtmf': () => ({}) });
    const established = call({ state: 'established', answeredAt: now });
    render(CallItem, { call: established, calls: [established], store, now });
    await fireEvent.click(screen.getByTestId('call-keypad-toggle'));
    await fireEvent.click(screen.getByRole('button', { name: 'Send 5' }));
    await waitFor(() => expect(requests).toContainEqual({ method: 'calls.dtmf', params: { callId: 'call-1', digits: '5' } }));
  });

  it("links to the call's SIP dialog when the log holds it", async () => {
    const { store } = fakePhone();
    store.sipLog = callFlow({ at: 1_700_000_000_010 });
    const outgoing = call({ direction: 'outgoing', state: 'established', answeredAt: now });
    let shown = 0;
    render(CallItem, { call: outgoing, calls: [outgoing], store, now, onShowSip: () => shown++ });
    await fireEvent.click(screen.getByRole('button', { name: 'SIP ladder of the call with Bob' }));
    expect(store.sipFilter.callId).toBe('a84b4c76e66710@eve');
    expect(shown).toBe(1);
  });

  it('shows a call being carried over a network change as reconnecting, and not once it is done', async () => {
    const { store } = fakePhone();
    const reconnecting = call({ state: 'established', answeredAt: now, reconnecting: true });
    const { rerender } = render(CallItem, { call: reconnecting, calls: [reconnecting], store, now });
    expect(screen.getByTestId('call-badge-reconnecting').textContent).toBe('Reconnecting…');
    const done = call({ state: 'established', answeredAt: now });
    await rerender({ call: done, calls: [done], store, now });
    expect(screen.queryByTestId('call-badge-reconnecting')).toBeNull();
  });

  it('renders a markup display name as text', () => {
    const { store } = fakePhone();
    const odd = call({ state: 'established', remote: { uri: 'sip:x@lab.test', displayName: '<img src=x onerror=alert(1)>' } });
    render(CallItem, { call: odd, calls: [odd], store, now });
    expect(screen.getByTestId('call-name').textContent).toBe('<img src=x onerror=alert(1)>');
    expect(document.querySelector('img')).toBeNull();
  });
});
