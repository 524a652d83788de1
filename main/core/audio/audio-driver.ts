/**
 * How the core talks to sound: a driver opens sources (microphones) and sinks (speakers) of a
 * given PCM format; frames are 16-bit signed, interleaved. Drivers are small and several
 * (baresip's habit): naudiodon (PortAudio) for real devices, WAV files for tests and headless
 * use, and a null driver. The core never names an audio API.
 */
export interface AudioFormat {
  /** Samples per second per channel. */
  readonly sampleRate: number;
  readonly channels: number;
  /** Frame duration in ms: the device callback size (samples = sampleRate * frameMs / 1000). */
  readonly frameMs: number;
}

export function samplesPerFrame(format: AudioFormat): number {
  return Math.round((format.sampleRate * format.frameMs) / 1000) * format.channels;
}

export interface AudioDevice {
  /** Stable across restarts where the platform allows (host API + name + index among equals). */
  readonly id: string;
  readonly name: string;
  readonly hostApi: string;
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly defaultInput: boolean;
  readonly defaultOutput: boolean;
  readonly defaultSampleRate: number;
}

export class AudioDeviceError extends Error {
  override readonly name = 'AudioDeviceError';
  constructor(
    readonly code: 'not_found' | 'unsupported_format' | 'open_failed' | 'stream_failed' | 'closed',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A microphone: pushes one frame at a time at its own pace. */
export interface AudioSource {
  readonly format: AudioFormat;
  start(onFrame: (pcm: Int16Array) => void, onError?: (error: AudioDeviceError) => void): void;
  stop(): Promise<void>;
}

/** A speaker: pulls one frame at a time at its own pace (the device clock drives playout). */
export interface AudioSink {
  readonly format: AudioFormat;
  start(pull: () => Int16Array, onError?: (error: AudioDeviceError) => void): void;
  stop(): Promise<void>;
}

export interface AudioDriver {
  readonly name: string;
  listDevices(): Promise<AudioDevice[]>;
  /** `deviceId` undefined = the system default input. */
  openSource(deviceId: string | undefined, format: AudioFormat): Promise<AudioSource>;
  /** `deviceId` undefined = the system default output. */
  openSink(deviceId: string | undefined, format: AudioFormat): Promise<AudioSink>;
}
