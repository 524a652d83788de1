/**
 * The user's settings as rows of the `settings` table (key, JSON value). Each key has a schema
 * with its default: a value is validated before it is written (a bad one is refused with a
 * ContractError naming the key), and a stored value that no longer fits — written by another
 * version — reads as the default instead of breaking the start.
 */
import { z } from 'zod';
import { ContractError } from '../../../shared/errors.js';
import { AudioDeviceId, AudioVolume, HistoryRetention, Language, OwnPresence, RingtoneName, Shortcuts, WatchedEntity } from '../../../shared/model.js';
import { parseWith } from '../../../shared/validate.js';
import { silentLogger, type Logger } from '../log.js';
import type { Db } from './database.js';

export const Settings = z
  .object({
    /** Device ids; absent: the system default. */
    'audio.microphone': AudioDeviceId.optional(),
    'audio.speaker': AudioDeviceId.optional(),
    'audio.ringer': AudioDeviceId.optional(),
    /** Percent; 100 leaves the signal as it is. */
    'audio.microphoneVolume': AudioVolume.default(100),
    'audio.speakerVolume': AudioVolume.default(100),
    /** Our chosen presence and note; absent: available. */
    'presence.own': OwnPresence.pick({ status: true, note: true }).optional(),
    /** The contacts and extensions we watch, in the user's order; absent: none. */
    'presence.watched': z.array(WatchedEntity.pick({ uri: true, displayName: true, presence: true, blf: true })).max(1000).optional(),
    /** Calls kept in the history; older ones go. */
    'history.retention': HistoryRetention.default(10_000),
    /** The UI's language; absent: the system's. */
    'ui.language': Language.optional(),
    /** The ring of incoming calls; absent: classic. */
    'audio.ringtone': RingtoneName.optional(),
    /** The desktop app's global shortcuts; absent: the defaults. */
    'ui.shortcuts': Shortcuts.optional(),
  })
  .strict();
export type Settings = z.output<typeof Settings>;
export type SettingKey = keyof Settings;
/** Changes to apply: `undefined` puts a setting back to its default. */
export type SettingsChanges = { [K in SettingKey]?: Settings[K] | undefined };

const keys = Object.keys(Settings.shape) as SettingKey[];

function isSettingKey(key: string): key is SettingKey {
  return (keys as string[]).includes(key);
}

export class SettingsStore {
  private cache: Settings;

  constructor(
    private readonly db: Db,
    private readonly log: Logger = silentLogger,
  ) {
    this.cache = this.load();
  }

  /** All settings, defaults filled in. */
  all(): Settings {
    return { ...this.cache };
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return this.cache[key];
  }

  /**
   * Validates every change first (nothing is written when one is bad), then writes them in one
   * transaction. Unknown keys are refused too.
   */
  set(changes: SettingsChanges): Settings {
    const present = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const cleared = Object.keys(changes).filter((key) => (changes as Record<string, unknown>)[key] === undefined);
    const checked = parseWith(Settings.partial().strict(), present, 'settings') as Partial<Settings>;
    const unknown = cleared.find((key) => !isSettingKey(key));
    if (unknown !== undefined) throw new ContractError(`settings: ${unknown}: no such setting`, unknown);
    const upsert = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const remove = this.db.prepare('DELETE FROM settings WHERE key = ?');
    this.db.transaction(() => {
      // Only the keys given: the schema would fill in the others' defaults.
      for (const key of Object.keys(present)) upsert.run(key, JSON.stringify(checked[key as SettingKey]));
      for (const key of cleared) remove.run(key);
    })();
    this.cache = this.load();
    return this.all();
  }

  private load(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const { key, value } of rows) {
      if (!isSettingKey(key)) continue; // another version's setting: left alone
      const parsed = Settings.shape[key].safeParse(JSON.parse(value));
      if (parsed.success) stored[key] = parsed.data;
      else this.log.warn('stored setting ignored', { key, error: parsed.error.issues[0]?.message ?? 'invalid' });
    }
    return Settings.parse(stored);
  }
}
