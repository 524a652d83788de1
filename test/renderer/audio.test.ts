import { describe, expect, it } from 'vitest';
import { AudioDevices } from '../../shared/model.js';
import { deviceOptions, levelText, meterValue, selectedValue, SYSTEM_DEFAULT } from '../../renderer/src/lib/audio.js';

const audio = AudioDevices.parse({
  available: true,
  inputs: [
    { id: 'ALSA:Built-in Mic:0', name: 'Built-in Mic', hostApi: 'ALSA', isDefault: true },
    { id: 'ALSA:USB Headset:0', name: 'USB Headset', hostApi: 'ALSA', isDefault: false },
  ],
  outputs: [{ id: 'ALSA:Speakers:0', name: 'Speakers', hostApi: 'ALSA', isDefault: false }],
  selection: { microphone: 'ALSA:USB Headset:0', speaker: 'ALSA:Gone:0' },
  inUse: { microphone: 'ALSA:USB Headset:0' },
  fallback: [{ role: 'speaker', deviceId: 'ALSA:Gone:0', note: 'Gone is not connected' }],
  volume: { microphone: 100, speaker: 100 },
  testRunning: false,
});

describe('audio settings', () => {
  it('offers the system default (naming it), the devices of the role, and an unplugged choice', () => {
    expect(deviceOptions(audio, 'microphone')).toEqual([
      { value: SYSTEM_DEFAULT, label: 'System default (Built-in Mic)' },
      { value: 'ALSA:Built-in Mic:0', label: 'Built-in Mic' },
      { value: 'ALSA:USB Headset:0', label: 'USB Headset' },
    ]);
    expect(deviceOptions(audio, 'speaker')).toEqual([
      { value: SYSTEM_DEFAULT, label: 'System default' },
      { value: 'ALSA:Speakers:0', label: 'Speakers' },
      { value: 'ALSA:Gone:0', label: 'ALSA:Gone:0 (not connected)' },
    ]);
    expect(selectedValue(audio, 'microphone')).toBe('ALSA:USB Headset:0');
    expect(selectedValue(audio, 'ringer')).toBe(SYSTEM_DEFAULT);
  });

  it('reads levels as text and clamps the meter', () => {
    expect(levelText(-100)).toBe('silent');
    expect(levelText(-23.4)).toBe('−23 dBFS');
    expect(levelText(-0.2)).toBe('0 dBFS');
    expect(meterValue(-100)).toBe(-60);
    expect(meterValue(-12)).toBe(-12);
  });
});
