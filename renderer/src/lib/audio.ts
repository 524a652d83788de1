/**
 * What the Audio settings show: the choices of a device picker and the text of a level meter.
 * Pure functions over the contract's types, so they are tested without a browser.
 */
import type { AudioDevices, AudioDeviceView, AudioRole } from '../../../shared/model.js';
import { t } from './strings.js';

/** The `<select>` value that stands for "System default" (a device id is never empty). */
export const SYSTEM_DEFAULT = '';

/** The meters' range: quieter than this reads as the bottom. */
export const METER_FLOOR_DBFS = -60;

export interface DeviceOption {
  readonly value: string;
  readonly label: string;
}

/**
 * "System default" (naming the device it is now, when known), each device of the role's kind,
 * and a chosen device that is unplugged, so the picker still shows the choice.
 */
export function deviceOptions(audio: AudioDevices, role: AudioRole): DeviceOption[] {
  const devices: readonly AudioDeviceView[] = role === 'microphone' ? audio.inputs : audio.outputs;
  const current = devices.find((d) => d.isDefault);
  const options: DeviceOption[] = [{ value: SYSTEM_DEFAULT, label: current === undefined ? t.devices.systemDefault : t.devices.systemDefaultIs(current.name) }];
  for (const device of devices) options.push({ value: device.id, label: device.name });
  const chosen = audio.selection[role];
  if (chosen !== undefined && !devices.some((d) => d.id === chosen)) options.push({ value: chosen, label: `${chosen} (not connected)` });
  return options;
}

/** The picker's value for a role: the chosen device's id, or SYSTEM_DEFAULT. */
export function selectedValue(audio: AudioDevices, role: AudioRole): string {
  return audio.selection[role] ?? SYSTEM_DEFAULT;
}

/** The meter's value, clamped to its range. */
export function meterValue(dbfs: number): number {
  return Math.max(METER_FLOOR_DBFS, Math.min(0, dbfs));
}

/** A level as read aloud: "−23 dBFS", or "silent" at the floor. */
export function levelText(dbfs: number): string {
  if (dbfs <= METER_FLOOR_DBFS) return 'silent';
  return `${Math.round(dbfs) === 0 ? '0' : `−${Math.abs(Math.round(dbfs))}`} dBFS`;
}
