/// <reference lib="dom" />
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import IncomingCallBanner from '../../../renderer/src/components/IncomingCallBanner.svelte';
import { call, fakePhone } from './fake-phone.js';

describe('IncomingCallBanner', () => {
  it('names the caller, by contact when identified, and answers', async () => {
    const ringing = call({ contact: { id: 'c1', name: 'Bob Builder' } });
    const { store, requests } = fakePhone({ 'calls.answer': () => ({ ...ringing, state: 'connecting' }) });
    render(IncomingCallBanner, { call: ringing, store });
    expect(screen.getByRole('region', { name: 'Incoming call' })).toBeTruthy();
    expect(screen.getByTestId('incoming-name').textContent).toBe('Bob Builder');
    expect(screen.getByText('sip:bob@lab.test')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Answer call from Bob Builder' }));
    await waitFor(() => expect(requests).toContainEqual({ method: 'calls.answer', params: { callId: 'call-1' } }));
  });

  it('declines with 603 and ignores locally', async () => {
    const ringing = call();
    const { store, requests } = fakePhone({ 'calls.reject': () => ({ ...ringing, state: 'terminated' }) });
    render(IncomingCallBanner, { call: ringing, store });
    await fireEvent.click(screen.getByRole('button', { name: 'Decline call from Bob' }));
    await waitFor(() => expect(requests).toContainEqual({ method: 'calls.reject', params: { callId: 'call-1', code: 603 } }));
    await fireEvent.click(screen.getByRole('button', { name: /^Ignore call from Bob/ }));
    expect(store.ignored.has('call-1')).toBe(true);
  });

  it('says call waiting while another call is in progress', () => {
    const { store } = fakePhone();
    store.calls = [call({ id: 'other', state: 'established' })];
    render(IncomingCallBanner, { call: call(), store });
    expect(screen.getByTestId('incoming-label').textContent).toBe('Call waiting');
    expect(screen.getByRole('button', { name: /^Answer & hold/ })).toBeTruthy();
  });

  it('shows a markup display name as text', () => {
    const { store } = fakePhone();
    render(IncomingCallBanner, { call: call({ remote: { uri: 'sip:x@lab.test', displayName: '<img src=x onerror=alert(1)>' } }), store });
    expect(screen.getByTestId('incoming-name').textContent).toBe('<img src=x onerror=alert(1)>');
    expect(document.querySelector('img')).toBeNull();
  });
});
