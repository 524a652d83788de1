import { describe, expect, it } from 'vitest';
import type { AudioDevice } from '../../../../main/core/audio/audio-driver.js';
import { diffDevices } from '../../../../main/core/audio/device-diff.js';
import { FrameChunker } from '../../../../main/core/audio/device-frame-chunker.js';
import type { PortAudioDeviceInfo, PortAudioHostApis } from '../../../../main/core/audio/naudiodon-binding.js';
import { describePortAudioDevices } from '../../../../main/core/audio/naudiodon-devices.js';

const info = (id: number, name: string, hostAPIName = 'ALSA', inputs = 2, outputs = 2): PortAudioDeviceInfo => ({
  id,
  name,
  hostAPIName,
  maxInputChannels: inputs,
  maxOutputChannels: outputs,
  defaultSampleRate: 48000,
});
const NO_DEVICE = 2 ** 32 - 1;

describe('describePortAudioDevices', () => {
  const hostApis: PortAudioHostApis = {
    defaultHostAPI: 0,
    HostAPIs: [
      { id: 0, name: 'ALSA', defaultInput: 2, defaultOutput: 1 },
      { id: 1, name: 'JACK', defaultInput: 3, defaultOutput: 3 },
    ],
  };

  it('names devices by host API, name and ordinal among equals, not by PortAudio index', () => {
    const devices = describePortAudioDevices([info(0, 'USB Headset'), info(1, 'HDA Intel'), info(2, 'USB Headset'), info(3, 'system', 'JACK')], hostApis);
    expect(devices.map((device) => device.id)).toEqual(['ALSA:USB Headset:0', 'ALSA:HDA Intel:0', 'ALSA:USB Headset:1', 'JACK:system:0']);
    expect(devices.map((device) => device.index)).toEqual([0, 1, 2, 3]);
    // Unplugging the first device shifts every PortAudio index, not the other ids.
    const after = describePortAudioDevices([info(0, 'HDA Intel'), info(1, 'USB Headset'), info(2, 'system', 'JACK')], { ...hostApis, HostAPIs: [] });
    expect(after.map((device) => device.id)).toEqual(['ALSA:HDA Intel:0', 'ALSA:USB Headset:0', 'JACK:system:0']);
  });

  it('flags the default input and output of the default host API only', () => {
    const devices = describePortAudioDevices([info(0, 'a'), info(1, 'b'), info(2, 'c', 'ALSA', 1, 0), info(3, 'system', 'JACK')], hostApis);
    expect(devices.map((device) => [device.name, device.defaultInput, device.defaultOutput])).toEqual([
      ['a', false, false],
      ['b', false, true],
      ['c', true, false],
      ['system', false, false],
    ]);
    expect(devices[2]).toMatchObject({ hostApi: 'ALSA', inputChannels: 1, outputChannels: 0, defaultSampleRate: 48000 });
  });

  it('flags nothing when there is no default device (paNoDevice comes through as 2^32 − 1)', () => {
    const devices = describePortAudioDevices([info(0, 'a')], { defaultHostAPI: 0, HostAPIs: [{ id: 0, name: 'ALSA', defaultInput: NO_DEVICE, defaultOutput: NO_DEVICE }] });
    expect(devices[0]).toMatchObject({ defaultInput: false, defaultOutput: false });
  });
});

describe('diffDevices', () => {
  const device = (id: string, overrides: Partial<AudioDevice> = {}): AudioDevice => ({
    id,
    name: id,
    hostApi: 'ALSA',
    inputChannels: 2,
    outputChannels: 2,
    defaultInput: false,
    defaultOutput: false,
    defaultSampleRate: 48000,
    ...overrides,
  });

  it('headset plugged in: one added', () => {
    expect(diffDevices([device('a')], [device('a'), device('headset')])).toEqual({ added: [device('headset')], removed: [], changed: [] });
  });

  it('headset unplugged and the default moves back: one removed, one changed', () => {
    const before = [device('speakers'), device('headset', { defaultOutput: true })];
    const after = [device('speakers', { defaultOutput: true })];
    expect(diffDevices(before, after)).toEqual({ added: [], removed: [device('headset', { defaultOutput: true })], changed: [device('speakers', { defaultOutput: true })] });
  });

  it('nothing changed, in any order', () => {
    expect(diffDevices([device('a'), device('b')], [device('b'), device('a')])).toEqual({ added: [], removed: [], changed: [] });
    expect(diffDevices([], [])).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('FrameChunker', () => {
  it('cuts chunks of any size, even mid-sample, into whole frames', () => {
    const samples = Int16Array.from({ length: 10 }, (_, i) => i * 1000 - 4000);
    const bytes = new Uint8Array(samples.buffer);
    const chunker = new FrameChunker(4);
    const frames: Int16Array[] = [];
    for (const [start, end] of [[0, 3], [3, 3], [3, 11], [11, 20]] as const) chunker.push(bytes.subarray(start, end), (frame) => frames.push(frame));
    expect(frames.map((frame) => Array.from(frame))).toEqual([
      [-4000, -3000, -2000, -1000],
      [0, 1000, 2000, 3000],
    ]);
    chunker.reset();
    chunker.push(bytes.subarray(0, 8), (frame) => frames.push(frame));
    expect(Array.from(frames[2]!)).toEqual([-4000, -3000, -2000, -1000]);
  });

  it('gives each frame its own array', () => {
    const chunker = new FrameChunker(1);
    const frames: Int16Array[] = [];
    chunker.push(new Uint8Array(new Int16Array([7, 8]).buffer), (frame) => frames.push(frame));
    expect(frames[0]!.buffer).not.toBe(frames[1]!.buffer);
    expect(() => new FrameChunker(0)).toThrow();
  });
});
