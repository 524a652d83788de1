import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../../shared/errors.js';
import { DEFAULT_SHORTCUTS } from '../../../../shared/model.js';
import { parseParams } from '../../../../shared/validate.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import { AppPreferences } from '../../../../main/core/phone/preferences.js';
import { openDatabase } from '../../../../main/core/store/database.js';
import { SettingsStore } from '../../../../main/core/store/settings-store.js';
import { tempDir } from '../../../helpers/temp-dir.js';

function preferencesIn(dir: string) {
  const db = openDatabase(dir);
  const events = new EventHub(silentLogger);
  const seen: unknown[] = [];
  events.subscribe((name, payload) => seen.push({ name, payload }));
  return { preferences: new AppPreferences(new SettingsStore(db), events), seen, close: () => db.close() };
}

describe('the app’s preferences', () => {
  it('start with the system’s language, the classic ringtone and the default shortcuts', () => {
    const { preferences, close } = preferencesIn(tempDir());
    expect(preferences.get()).toEqual({ language: 'system', ringtone: 'classic', shortcuts: DEFAULT_SHORTCUTS });
    close();
  });

  it('keep a language, a ringtone and shortcuts chosen across a restart, and tell every window', () => {
    const dir = tempDir();
    const first = preferencesIn(dir);
    const shortcuts = { answer: 'F13', hangup: null, mute: 'Ctrl+Alt+M' };
    expect(first.preferences.set({ language: 'de' })).toEqual({ language: 'de', ringtone: 'classic', shortcuts: DEFAULT_SHORTCUTS });
    expect(first.preferences.set({ ringtone: 'chime', shortcuts })).toEqual({ language: 'de', ringtone: 'chime', shortcuts });
    expect(first.seen).toEqual([
      { name: 'preferences', payload: { language: 'de', ringtone: 'classic', shortcuts: DEFAULT_SHORTCUTS } },
      { name: 'preferences', payload: { language: 'de', ringtone: 'chime', shortcuts } },
    ]);
    first.close();
    const second = preferencesIn(dir);
    expect(second.preferences.get()).toEqual({ language: 'de', ringtone: 'chime', shortcuts });
    second.close();
  });

  it('refuse a language the UI does not speak, naming the field', () => {
    let error: unknown;
    try {
      parseParams('preferences.set', { language: 'fr' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).field).toBe('language');
  });
});
