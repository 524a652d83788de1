/**
 * The app's own preferences (the UI's language, the ringtone, the desktop's shortcuts), kept as
 * settings rows. Every
 * change is told to every window and host (`preferences` event), so a second window, or the
 * desktop shell, follows.
 */
import { DEFAULT_SHORTCUTS, type Preferences, type RingtoneName } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import type { SettingsChanges, SettingsStore } from '../store/settings-store.js';

/** What plays a ringtone for the preview (CallSounds on the ringer device); false: nothing to play on. */
export type RingtonePreview = (ringtone: RingtoneName) => Promise<boolean>;

export const DEFAULT_RINGTONE: RingtoneName = 'classic';

export class AppPreferences {
  constructor(
    private readonly settings: SettingsStore,
    private readonly events: EventHub,
    private readonly preview?: RingtonePreview,
  ) {}

  get(): Preferences {
    return {
      language: this.settings.get('ui.language') ?? 'system',
      ringtone: this.settings.get('audio.ringtone') ?? DEFAULT_RINGTONE,
      shortcuts: this.settings.get('ui.shortcuts') ?? DEFAULT_SHORTCUTS,
    };
  }

  /** Applies the changes given (validated by the contract and again by the store), then tells everyone. */
  set(changes: Partial<Preferences>): Preferences {
    const rows: SettingsChanges = {};
    if (changes.language !== undefined) rows['ui.language'] = changes.language;
    if (changes.ringtone !== undefined) rows['audio.ringtone'] = changes.ringtone;
    if (changes.shortcuts !== undefined) rows['ui.shortcuts'] = changes.shortcuts;
    this.settings.set(rows);
    const now = this.get();
    this.events.emit('preferences', now);
    return now;
  }

  /** Plays a ringtone (the chosen one by default) for a few seconds. */
  async previewRingtone(ringtone: RingtoneName = this.get().ringtone): Promise<{ played: boolean }> {
    return { played: (await this.preview?.(ringtone)) ?? false };
  }
}
