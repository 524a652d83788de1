/**
 * What changed between two device lists, by stable id: for hot-plug notices ("USB Headset
 * connected") and for noticing that the device a call uses has gone.
 */
import type { AudioDevice } from './audio-driver.js';

export interface DeviceChanges {
  readonly added: AudioDevice[];
  readonly removed: AudioDevice[];
  /** Same id, other properties (channels, rate, or which device is the default). */
  readonly changed: AudioDevice[];
}

export function diffDevices(before: readonly AudioDevice[], after: readonly AudioDevice[]): DeviceChanges {
  const old = new Map(before.map((device) => [device.id, device]));
  const now = new Set(after.map((device) => device.id));
  const added: AudioDevice[] = [];
  const changed: AudioDevice[] = [];
  for (const device of after) {
    const previous = old.get(device.id);
    if (previous === undefined) added.push(device);
    else if (!sameDevice(previous, device)) changed.push(device);
  }
  return { added, removed: before.filter((device) => !now.has(device.id)), changed };
}

function sameDevice(a: AudioDevice, b: AudioDevice): boolean {
  return (
    a.name === b.name &&
    a.hostApi === b.hostApi &&
    a.inputChannels === b.inputChannels &&
    a.outputChannels === b.outputChannels &&
    a.defaultInput === b.defaultInput &&
    a.defaultOutput === b.defaultOutput &&
    a.defaultSampleRate === b.defaultSampleRate
  );
}
