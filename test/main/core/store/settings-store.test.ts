import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../../shared/errors.js';
import { openDatabase } from '../../../../main/core/store/database.js';
import { SettingsStore, type SettingsChanges } from '../../../../main/core/store/settings-store.js';
import { tempDir } from '../../../helpers/temp-dir.js';

function refusal(run: () => unknown): ContractError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return error as ContractError;
  }
  throw new Error('expected a ContractError');
}

describe('settings store', () => {
  it('starts with the defaults: system devices, volumes at 100 %', () => {
    const db = openDatabase(tempDir());
    const settings = new SettingsStore(db);
    expect(settings.all()).toEqual({ 'audio.microphoneVolume': 100, 'audio.speakerVolume': 100, 'history.retention': 10_000 });
    expect(settings.get('audio.microphone')).toBeUndefined();
    db.close();
  });

  it('keeps what is set across a restart, and puts a setting back to its default with undefined', () => {
    const dir = tempDir();
    const first = openDatabase(dir);
    new SettingsStore(first).set({ 'audio.microphone': 'ALSA:USB Headset:0', 'audio.speakerVolume': 150 });
    first.close();

    const second = openDatabase(dir);
    const settings = new SettingsStore(second);
    expect(settings.get('audio.microphone')).toBe('ALSA:USB Headset:0');
    expect(settings.get('audio.speakerVolume')).toBe(150);
    settings.set({ 'audio.microphone': undefined });
    expect(settings.all()).toEqual({ 'audio.microphoneVolume': 100, 'audio.speakerVolume': 150, 'history.retention': 10_000 });
    expect(second.prepare('SELECT key FROM settings ORDER BY key').all()).toEqual([{ key: 'audio.speakerVolume' }]);
    second.close();
  });

  it.each([
    ['a volume above 200 %', { 'audio.microphoneVolume': 201 }, 'audio.microphoneVolume', /200/],
    ['a negative volume', { 'audio.speakerVolume': -1 }, 'audio.speakerVolume', /0/],
    ['a volume that is not a number', { 'audio.speakerVolume': '80' }, 'audio.speakerVolume', /number/],
    ['an empty device id', { 'audio.ringer': '' }, 'audio.ringer', /.+/],
    ['an unknown setting', { 'audio.bass': 3 }, 'audio.bass', /.+/],
  ])('refuses %s, naming the setting, and writes nothing', (_what, changes, field, reason) => {
    const db = openDatabase(tempDir());
    const settings = new SettingsStore(db);
    const error = refusal(() => settings.set({ 'audio.microphone': 'mic-1', ...changes } as unknown as SettingsChanges));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(reason);
    expect(settings.get('audio.microphone')).toBeUndefined();
    db.close();
  });

  it('refuses to clear a setting that does not exist', () => {
    const db = openDatabase(tempDir());
    expect(refusal(() => new SettingsStore(db).set({ nonsense: undefined } as unknown as SettingsChanges)).field).toBe('nonsense');
    db.close();
  });

  it('reads a stored value that no longer fits as the default, and leaves other versions\' keys alone', () => {
    const db = openDatabase(tempDir());
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?), (?, ?)').run('audio.speakerVolume', '999', 'video.camera', '"cam0"');
    const settings = new SettingsStore(db);
    expect(settings.get('audio.speakerVolume')).toBe(100);
    settings.set({ 'audio.speakerVolume': 80 });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'video.camera'").get()).toEqual({ value: '"cam0"' });
    db.close();
  });
});
