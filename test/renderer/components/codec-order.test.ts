/// <reference lib="dom" />
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import AccountCallSettings from '../../../renderer/src/components/AccountCallSettings.svelte';
import { codecChoicesOf, codecsChange, codecsField, moveCodec } from '../../../renderer/src/lib/codec-order.js';
import { AccountView } from '../../../shared/model.js';
import { parseParams } from '../../../shared/validate.js';
import { fakePhone } from './fake-phone.js';

function account(fields: Partial<AccountView> = {}): AccountView {
  return AccountView.parse({ id: 'eve', user: 'eve', domain: 'lab.test', hasPassword: false, status: { accountId: 'eve', state: 'registered' }, ...fields });
}

/** The codec names as listed, top first. */
function shownOrder(): string[] {
  return screen.getAllByTestId('account-edit-codec-name').map((element) => element.textContent ?? '');
}

describe('codec order (lib)', () => {
  it('lists the account’s codecs first, then the others switched off', () => {
    expect(codecChoicesOf(['PCMA', 'PCMU'])).toEqual([
      { name: 'PCMA', enabled: true },
      { name: 'PCMU', enabled: true },
      { name: 'opus', enabled: false },
      { name: 'G722', enabled: false },
    ]);
    expect(codecChoicesOf(undefined).every((choice) => choice.enabled)).toBe(true);
  });

  it('moves one place, and not past an end', () => {
    const list = codecChoicesOf(undefined);
    expect(moveCodec(list, 1, -1).map((c) => c.name)).toEqual(['G722', 'opus', 'PCMU', 'PCMA']);
    expect(moveCodec(list, 0, -1)).toEqual(list);
    expect(moveCodec(list, 3, 1)).toEqual(list);
  });

  it('leaves the default out of a new account, and removes an order put back to the default', () => {
    expect(codecsField(codecChoicesOf(undefined))).toEqual({});
    expect(codecsField(codecChoicesOf(['PCMU']))).toEqual({ codecs: ['PCMU'] });
    expect(codecsChange(['PCMU'], codecChoicesOf(undefined))).toEqual({ codecs: null });
    expect(codecsChange(['PCMU'], codecChoicesOf(['PCMU']))).toEqual({});
  });
});

describe('CodecOrderFields in the account’s call settings', () => {
  it('shows the account’s order and saves a new one set with the keyboard', async () => {
    const { store, requests } = fakePhone({ 'accounts.update': (params) => (parseParams('accounts.update', params), account({ codecs: ['PCMU', 'PCMA'] })) });
    render(AccountCallSettings, { account: account({ codecs: ['PCMA', 'PCMU'] }), store, close: () => undefined });
    expect(shownOrder()).toEqual(['G.711 A-law (PCMA)', 'G.711 μ-law (PCMU)', 'Opus', 'G.722']);
    expect((screen.getByTestId('account-edit-codec-opus') as HTMLInputElement).checked).toBe(false);

    const up = screen.getByRole('button', { name: 'Move G.711 μ-law (PCMU) up' });
    up.focus();
    await fireEvent.click(up);
    expect(shownOrder()).toEqual(['G.711 μ-law (PCMU)', 'G.711 A-law (PCMA)', 'Opus', 'G.722']);
    // At the top its up button is disabled: the focus stays on the codec, on its down button.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move G.711 μ-law (PCMU) down' })));
    expect(screen.getByRole('button', { name: 'Move G.711 μ-law (PCMU) up' }).hasAttribute('disabled')).toBe(true);
    // A screen reader hears where it went.
    expect(screen.getByText('G.711 μ-law (PCMU) is now 1 of 4').getAttribute('aria-live')).toBe('polite');

    await fireEvent.click(screen.getByTestId('account-edit-save'));
    await waitFor(() => expect(requests.find((r) => r.method === 'accounts.update')?.params).toMatchObject({ id: 'eve', changes: { codecs: ['PCMU', 'PCMA'] } }));
  });

  it('shows why an order with every codec switched off is refused', async () => {
    const { store } = fakePhone({ 'accounts.update': (params) => (parseParams('accounts.update', params), account()) });
    render(AccountCallSettings, { account: account({ codecs: ['PCMU'] }), store, close: () => undefined });
    await fireEvent.click(screen.getByTestId('account-edit-codec-PCMU'));
    await fireEvent.click(screen.getByTestId('account-edit-save'));
    await waitFor(() => expect(screen.getByTestId('account-edit-codecs-error').textContent).toBe('enable at least one codec'));
    expect(screen.getByTestId('account-edit-codec-PCMA').getAttribute('aria-invalid')).toBe('true');
  });
});
