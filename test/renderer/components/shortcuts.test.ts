/// <reference lib="dom" />
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ShortcutSettings from '../../../renderer/src/components/ShortcutSettings.svelte';
import { DEFAULT_SHORTCUTS, Preferences } from '../../../shared/model.js';
import { fakePhone } from './fake-phone.js';

function phone() {
  let saved: Preferences = { language: 'system', ringtone: 'classic', shortcuts: DEFAULT_SHORTCUTS };
  return fakePhone({
    'preferences.set': (changes) => {
      saved = { ...saved, ...Preferences.partial().strict().parse(changes) };
      return saved;
    },
  });
}

const field = (action: string) => screen.getByTestId(`shortcut-${action}`) as HTMLInputElement;

describe('ShortcutSettings', () => {
  it('records the keys pressed in a field and saves them; an empty field is none', async () => {
    const { store, requests } = phone();
    render(ShortcutSettings, { store });
    expect(field('answer').value).toBe('CommandOrControl+Alt+Shift+A');
    await fireEvent.keyDown(field('answer'), { key: 'k', code: 'KeyK', ctrlKey: true, altKey: true });
    expect(field('answer').value).toBe('CommandOrControl+Alt+K');
    // Tab alone still moves on: nothing is recorded.
    await fireEvent.keyDown(field('hangup'), { key: 'Tab', code: 'Tab' });
    expect(field('hangup').value).toBe('CommandOrControl+Alt+Shift+H');
    await fireEvent.input(field('mute'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('shortcuts-save'));
    await waitFor(() => expect(screen.getByTestId('shortcuts-saved')).toBeTruthy());
    expect(requests).toContainEqual({ method: 'preferences.set', params: { shortcuts: { answer: 'CommandOrControl+Alt+K', hangup: 'CommandOrControl+Alt+Shift+H', mute: null } } });
    expect(store.preferences.current.shortcuts.mute).toBeNull();
  });

  it('shows why a shortcut is refused, by its field, and saves nothing', async () => {
    const { store, requests } = phone();
    render(ShortcutSettings, { store });
    await fireEvent.input(field('answer'), { target: { value: 'A' } });
    await fireEvent.input(field('mute'), { target: { value: 'Alt+CommandOrControl+shift+h' } });
    await fireEvent.click(screen.getByTestId('shortcuts-save'));
    expect(screen.getByTestId('shortcut-answer-error').textContent).toMatch(/^not a usable shortcut: modifiers/);
    expect(screen.getByTestId('shortcut-mute-error').textContent).toBe('Alt+CommandOrControl+shift+h is already the shortcut to hang up');
    expect(field('mute').getAttribute('aria-invalid')).toBe('true');
    expect(field('mute').getAttribute('aria-describedby')).toBe('shortcut-mute-error');
    expect(requests.some((r) => r.method === 'preferences.set')).toBe(false);

    await fireEvent.click(screen.getByTestId('shortcuts-defaults'));
    expect(field('answer').value).toBe('CommandOrControl+Alt+Shift+A');
    expect(screen.queryByTestId('shortcut-answer-error')).toBeNull();
  });
});
