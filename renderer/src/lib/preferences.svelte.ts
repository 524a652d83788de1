/**
 * The app's preferences as the UI uses them: loaded from the core, changed through it, and
 * followed when another window changes them (`preferences` event). The language is applied at
 * once: `t` gets the locale's strings and `locale` changes, which the app re-renders on.
 */
import { DEFAULT_SHORTCUTS, type Preferences, type RingtoneName } from '../../../shared/model.js';
import type { PhoneApi } from '../../../shared/phone-api.js';
import type { Listen } from './events.js';
import { localeFor, useLocale, type Locale } from './strings.js';

function systemLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}

export class PreferencesState {
  current = $state.raw<Preferences>({ language: 'system', ringtone: 'classic', shortcuts: DEFAULT_SHORTCUTS });
  /** The language the UI speaks now. */
  locale = $state<Locale>('en');

  readonly #api: PhoneApi;

  constructor(api: PhoneApi) {
    this.#api = api;
    this.#apply(this.current);
  }

  start(on: Listen): void {
    on('preferences', (preferences) => this.#apply(preferences));
  }

  /** Reads the saved preferences; until they come (or if they cannot), the system's language stays. */
  async refresh(): Promise<void> {
    try {
      this.#apply(await this.#api.preferences.get({}));
    } catch {
      // An older core, or no link yet: the defaults stand.
    }
  }

  /** Saves changes (the core refuses a bad value with a ContractError naming it) and applies them. */
  async set(changes: Partial<Preferences>): Promise<Preferences> {
    const saved = await this.#api.preferences.set(changes);
    this.#apply(saved);
    return saved;
  }

  /** Plays a ringtone on the ringer for a few seconds; `played` is false without a sound device. */
  previewRingtone(ringtone: RingtoneName): Promise<{ played: boolean }> {
    return this.#api.preferences.previewRingtone({ ringtone });
  }

  #apply(preferences: Preferences): void {
    this.current = preferences;
    const locale = localeFor(preferences.language, systemLanguages());
    useLocale(locale);
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
    this.locale = locale;
  }
}
