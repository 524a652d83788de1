/**
 * The app's own preferences (the UI's language), kept as settings rows. Every change is told to
 * every window and host (`preferences` event), so a second window, or the desktop shell, follows.
 */
import type { Preferences } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import type { SettingsChanges, SettingsStore } from '../store/settings-store.js';

export class AppPreferences {
  constructor(
    private readonly settings: SettingsStore,
    private readonly events: EventHub,
  ) {}

  get(): Preferences {
    return { language: this.settings.get('ui.language') ?? 'system' };
  }

  /** Applies the changes given (validated by the contract and again by the store), then tells everyone. */
  set(changes: Partial<Preferences>): Preferences {
    const rows: SettingsChanges = {};
    if (changes.language !== undefined) rows['ui.language'] = changes.language;
    this.settings.set(rows);
    const now = this.get();
    this.events.emit('preferences', now);
    return now;
  }
}
