/// <reference lib="dom" />
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import RingtoneSettings from '../../../renderer/src/components/RingtoneSettings.svelte';
import { ContractError } from '../../../shared/errors.js';
import { DEFAULT_SHORTCUTS } from '../../../shared/model.js';
import { fakePhone } from './fake-phone.js';

describe('RingtoneSettings', () => {
  it('saves the ringtone chosen and plays it on the ringer', async () => {
    const { store, requests } = fakePhone({
      'preferences.set': (changes) => ({ language: 'system', ringtone: changes['ringtone'], shortcuts: DEFAULT_SHORTCUTS }),
      'preferences.previewRingtone': () => ({ played: true }),
    });
    render(RingtoneSettings, { store });
    const picker = screen.getByLabelText('Ringtone') as HTMLSelectElement;
    expect(picker.value).toBe('classic');
    await fireEvent.change(picker, { target: { value: 'chime' } });
    await waitFor(() => expect(store.preferences.current.ringtone).toBe('chime'));
    await fireEvent.click(screen.getByRole('button', { name: 'Play the ringtone Chime (three bells) on the ringer' }));
    await waitFor(() => expect(screen.getByTestId('settings-ringtone-note').textContent).toBe('Playing on the ringer for a few seconds.'));
    expect(requests).toContainEqual({ method: 'preferences.previewRingtone', params: { ringtone: 'chime' } });
  });

  it('says when there is no device to play on, and why a choice is refused', async () => {
    const { store } = fakePhone({
      'preferences.set': () => {
        throw new ContractError('preferences.set: ringtone: Invalid option: expected one of "classic"|"chime"|"internal"|"tone"', 'ringtone');
      },
      'preferences.previewRingtone': () => ({ played: false }),
    });
    render(RingtoneSettings, { store });
    await fireEvent.click(screen.getByTestId('settings-ringtone-preview'));
    await waitFor(() => expect(screen.getByTestId('settings-ringtone-note').textContent).toBe('There is no sound device to play it on.'));
    await fireEvent.change(screen.getByTestId('settings-ringtone'), { target: { value: 'tone' } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Not saved: Invalid option'));
    expect(screen.getByTestId('settings-ringtone').getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByTestId('settings-ringtone') as HTMLSelectElement).value).toBe('classic');
  });
});
