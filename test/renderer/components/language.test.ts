/// <reference lib="dom" />
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../../renderer/src/App.svelte';
import { useLocale } from '../../../renderer/src/lib/strings.js';
import { ContractError } from '../../../shared/errors.js';
import { DEFAULT_SHORTCUTS, Preferences } from '../../../shared/model.js';
import { fakePhone } from './fake-phone.js';

afterEach(() => useLocale('en'));

/** A phone whose preferences are kept and checked as the core does. */
function phoneWithPreferences(initial: Preferences = { language: 'system', ringtone: 'classic', shortcuts: DEFAULT_SHORTCUTS }) {
  let saved = initial;
  return fakePhone({
    'preferences.get': () => saved,
    'preferences.set': (changes) => {
      const parsed = Preferences.partial().strict().safeParse(changes);
      if (!parsed.success) throw new ContractError(`preferences.set: language: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'language');
      saved = { ...saved, ...parsed.data };
      return saved;
    },
  });
}

describe('the language picker', () => {
  it('switches the whole UI to German at once, on the same screen, and back', async () => {
    const { store, requests } = phoneWithPreferences();
    store.start();
    render(App, { store });
    await fireEvent.click(screen.getByTestId('nav-settings'));
    const picker = screen.getByTestId('settings-language') as HTMLSelectElement;
    expect(picker.value).toBe('system');
    await fireEvent.change(picker, { target: { value: 'de' } });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Einstellungen'));
    expect(screen.getByTestId('nav-calls').textContent).toContain('Anrufe');
    expect(document.documentElement.lang).toBe('de');
    expect(requests).toContainEqual({ method: 'preferences.set', params: { language: 'de' } });
    // Drawn again, the picker keeps the focus and shows the choice.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('settings-language')));
    expect((screen.getByTestId('settings-language') as HTMLSelectElement).value).toBe('de');

    await fireEvent.change(screen.getByTestId('settings-language'), { target: { value: 'en' } });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Settings'));
  });

  it('follows a change made in another window (the preferences event)', async () => {
    const { store, emit } = phoneWithPreferences();
    store.start();
    render(App, { store });
    emit('preferences', { language: 'de', ringtone: 'classic', shortcuts: DEFAULT_SHORTCUTS });
    await waitFor(() => expect(screen.getByTestId('nav-settings').textContent).toContain('Einstellungen'));
  });

  it('starts in the saved language', async () => {
    const { store } = phoneWithPreferences({ language: 'de', ringtone: 'classic', shortcuts: DEFAULT_SHORTCUTS });
    store.start();
    render(App, { store });
    await waitFor(() => expect(screen.getByTestId('nav-history').textContent).toContain('Verlauf'));
  });
});
