/**
 * The ringtone assets in a directory, by name (file name without `.wav`): the `available` list
 * `chooseRingtone` maps Alert-Info onto. Names that are not plain tokens are left out, so a
 * chosen name can be joined to the directory without escaping it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWav, type WavAudio } from '../wav.js';
import { ToneError } from './tone-plan.js';

const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function listRingtoneAssets(directory: string): string[] {
  return readdirSync(directory)
    .filter((file) => file.toLowerCase().endsWith('.wav'))
    .map((file) => file.slice(0, -'.wav'.length))
    .filter((name) => ASSET_NAME.test(name))
    .sort();
}

/** Reads one asset listed by `listRingtoneAssets`. */
export function loadRingtoneAsset(directory: string, name: string): WavAudio {
  if (!ASSET_NAME.test(name)) throw new ToneError('invalid_option', `"${name}" is not a ringtone name`);
  return parseWav(readFileSync(join(directory, `${name}.wav`)));
}
