/**
 * The part of naudiodon (PortAudio bindings, CommonJS) the driver uses, typed here rather than
 * through the package's own `index.d.ts`, and loaded lazily: requiring naudiodon loads
 * libportaudio and libasound and registers a segfault handler, which hosts that never touch a
 * sound card (tests, the web host with the WAV driver) should not pay for.
 */
import { createRequire } from 'node:module';
import type { Readable, Writable } from 'node:stream';
import { AudioDeviceError } from './audio-driver.js';

/** One entry of `getDevices()`; `id` is PortAudio's index, valid only until re-initialisation. */
export interface PortAudioDeviceInfo {
  readonly id: number;
  readonly name: string;
  readonly maxInputChannels: number;
  readonly maxOutputChannels: number;
  readonly defaultSampleRate: number;
  readonly hostAPIName: string;
}

export interface PortAudioHostApiInfo {
  readonly id: number;
  readonly name: string;
  /** A global device index; naudiodon passes paNoDevice (-1) through as 2^32 − 1. */
  readonly defaultInput: number;
  readonly defaultOutput: number;
}

export interface PortAudioHostApis {
  readonly defaultHostAPI: number;
  readonly HostAPIs: readonly PortAudioHostApiInfo[];
}

export interface PortAudioStreamOptions {
  readonly channelCount: number;
  /** 16 = paInt16. */
  readonly sampleFormat: number;
  readonly sampleRate: number;
  /** A PortAudio index; -1 = the default device. */
  readonly deviceId: number;
  /** true turns every status flag (even one under-run) into a fatal stream error. */
  readonly closeOnError: boolean;
  readonly framesPerBuffer: number;
  /** Chunks queued between Node and the PortAudio callback; a full queue blocks the other side. */
  readonly maxQueue: number;
  /** Bytes per `read`: naudiodon's read waits until this many bytes are there. */
  readonly highwaterMark?: number;
}

/** What `start`, `quit` add to the Node stream. (`abort(cb)` never calls `cb` in 2.3.6: unused.) */
interface PortAudioStreamControl {
  start(): void;
  /** Drains queued output, stops and closes the PortAudio stream, and calls Pa_Terminate. */
  quit(): Promise<void>;
}

export type PortAudioInput = Readable & PortAudioStreamControl;
export type PortAudioOutput = Writable & PortAudioStreamControl;

export interface NaudiodonBinding {
  getDevices(): PortAudioDeviceInfo[];
  getHostAPIs(): PortAudioHostApis;
  AudioIO(options: { inOptions: PortAudioStreamOptions }): PortAudioInput;
  AudioIO(options: { outOptions: PortAudioStreamOptions }): PortAudioOutput;
}

export const SAMPLE_FORMAT_INT16 = 16;

let loaded: NaudiodonBinding | undefined;

/** Loads naudiodon once; a missing or unloadable native module is an `open_failed` error. */
export function loadNaudiodon(): NaudiodonBinding {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('naudiodon') as NaudiodonBinding;
    } catch (error) {
      throw new AudioDeviceError('open_failed', `cannot load naudiodon (PortAudio): ${(error as Error).message}`, { cause: error });
    }
  }
  return loaded;
}
