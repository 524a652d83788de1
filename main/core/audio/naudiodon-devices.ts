/**
 * PortAudio's device list as AudioDevices with stable ids. PortAudio numbers devices by
 * position in its list, which shifts whenever a device is plugged in or out, so the id is the
 * host API and the name, plus an ordinal among devices of the same host API and name (two
 * identical USB headsets): `ALSA:USB Headset:0`, `ALSA:USB Headset:1`.
 */
import type { AudioDevice } from './audio-driver.js';
import type { PortAudioDeviceInfo, PortAudioHostApis } from './naudiodon-binding.js';

/** An AudioDevice with the PortAudio index it has in the list it came from. */
export interface PortAudioDevice extends AudioDevice {
  readonly index: number;
}

export function portAudioDeviceId(hostApi: string, name: string, ordinal: number): string {
  return `${hostApi}:${name}:${ordinal}`;
}

/**
 * The default flags are those of the default host API only, so that at most one device is the
 * default input (and one the default output): the one PortAudio opens for deviceId -1.
 */
export function describePortAudioDevices(devices: readonly PortAudioDeviceInfo[], hostApis: PortAudioHostApis): PortAudioDevice[] {
  const defaultHostApi = hostApis.HostAPIs.find((api) => api.id === hostApis.defaultHostAPI);
  const seen = new Map<string, number>();
  return devices.map((info) => {
    const key = `${info.hostAPIName}\u0000${info.name}`;
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    return {
      id: portAudioDeviceId(info.hostAPIName, info.name, ordinal),
      index: info.id,
      name: info.name,
      hostApi: info.hostAPIName,
      inputChannels: info.maxInputChannels,
      outputChannels: info.maxOutputChannels,
      defaultInput: defaultHostApi !== undefined && info.hostAPIName === defaultHostApi.name && info.id === defaultHostApi.defaultInput,
      defaultOutput: defaultHostApi !== undefined && info.hostAPIName === defaultHostApi.name && info.id === defaultHostApi.defaultOutput,
      defaultSampleRate: info.defaultSampleRate,
    };
  });
}
