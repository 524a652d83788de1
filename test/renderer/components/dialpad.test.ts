/// <reference lib="dom" />
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Dialpad from '../../../renderer/src/components/Dialpad.svelte';
import type { Contact, HistoryEntry } from '../../../shared/model.js';
import { call, fakePhone } from './fake-phone.js';

const bob: Contact = { id: 'c1', name: 'Bob Builder', addresses: [{ kind: 'sip', value: 'sip:bob@lab.test' }, { kind: 'phone', value: '+15550100' }], favourite: false, presence: false, blf: false };

describe('Dialpad', () => {
  it('turns the letters of a typed or pasted number into digits, and leaves a SIP user alone', async () => {
    const { store } = fakePhone({ 'contacts.list': () => [] });
    render(Dialpad, { store });
    const field = screen.getByTestId<HTMLInputElement>('dial-input');
    await fireEvent.input(field, { target: { value: '1-800-FLOWERS' } });
    expect(field.value).toBe('18003569377');
    await fireEvent.input(field, { target: { value: 'bob' } });
    expect(field.value).toBe('bob');
  });

  it('suggests matching contacts from contacts.list and picks one with the keys', async () => {
    const { store, requests } = fakePhone({ 'contacts.list': () => [bob] });
    render(Dialpad, { store });
    const field = screen.getByRole('combobox');
    field.focus();
    await fireEvent.input(field, { target: { value: 'bui' } });
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    expect(requests.find((r) => r.method === 'contacts.list')?.params).toMatchObject({ query: 'bui' });
    expect(field.getAttribute('aria-expanded')).toBe('true');
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(field.getAttribute('aria-activedescendant')).toBe('dial-suggestion-c1-1');
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect((field as HTMLInputElement).value).toBe('+15550100');
    expect(field.getAttribute('aria-expanded')).toBe('false');
  });

  it('redials the last outgoing call from its account', async () => {
    const last: HistoryEntry = { id: 'h1', accountId: 'work', direction: 'outgoing', remote: { uri: 'sip:carol@lab.test', displayName: 'Carol' }, startedAt: 1, endedAt: 2, durationSeconds: 1, outcome: 'answered' };
    const { store, requests } = fakePhone({ 'calls.dial': () => call({ id: 'c9', direction: 'outgoing', state: 'calling', remote: { uri: 'sip:carol@lab.test' } }) });
    store.history.lastOutgoing = last;
    render(Dialpad, { store });
    const redial = screen.getByRole('button', { name: 'Redial Carol' });
    await fireEvent.click(redial);
    await waitFor(() => expect(requests.find((r) => r.method === 'calls.dial')?.params).toEqual({ target: 'sip:carol@lab.test', accountId: 'work' }));
  });

  it('adds keypad digits to the number', async () => {
    const { store } = fakePhone({ 'contacts.list': () => [] });
    render(Dialpad, { store });
    await fireEvent.click(screen.getByTestId('dial-key-2'));
    await fireEvent.click(screen.getByTestId('dial-key-#'));
    expect(screen.getByTestId<HTMLInputElement>('dial-input').value).toBe('2#');
  });
});
