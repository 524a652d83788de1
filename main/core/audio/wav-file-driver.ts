/**
 * The WAV-file driver: a WAV file plays as the microphone (looped or once, then silence), and
 * what would go to the speaker is written to a WAV file. Both run on a frame clock at real
 * time, so a call through them behaves as one through a sound card. For tests, headless use
 * and recordings.
 */
import { readFileSync } from 'node:fs';
import { AudioDeviceError, samplesPerFrame, type AudioDevice, type AudioDriver, type AudioFormat, type AudioSink, type AudioSource } from './audio-driver.js';
import { FrameClock } from './frame-clock.js';
import { parseWav, WavWriter, type WavAudio } from './wav.js';

export interface WavFileDriverOptions {
  /** The file the microphone plays; without one, the microphone is silent. */
  readonly input?: string;
  /** Where the speaker's audio goes; without one, it is discarded. */
  readonly output?: string;
  /** Start the input again when it ends (default true); else silence after the end. */
  readonly loop?: boolean;
  readonly now?: () => number;
}

export class WavFileDriver implements AudioDriver {
  readonly name = 'wav-file';

  constructor(private readonly options: WavFileDriverOptions) {}

  async listDevices(): Promise<AudioDevice[]> {
    const device = (id: string, name: string, input: boolean): AudioDevice => ({
      id,
      name,
      hostApi: 'wav-file',
      inputChannels: input ? 1 : 0,
      outputChannels: input ? 0 : 1,
      defaultInput: input,
      defaultOutput: !input,
      defaultSampleRate: 48000,
    });
    return [device('wav-file:in', this.options.input ?? 'silence', true), device('wav-file:out', this.options.output ?? 'discard', false)];
  }

  async openSource(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSource> {
    let audio: WavAudio | undefined;
    if (this.options.input !== undefined) {
      try {
        audio = parseWav(readFileSync(this.options.input));
      } catch (error) {
        throw new AudioDeviceError('open_failed', `cannot read ${this.options.input}: ${(error as Error).message}`, { cause: error });
      }
      if (audio.sampleRate !== format.sampleRate || audio.channels !== format.channels) {
        throw new AudioDeviceError('unsupported_format', `${this.options.input} is ${audio.sampleRate} Hz × ${audio.channels}, not ${format.sampleRate} Hz × ${format.channels}`);
      }
    }
    return new WavSource(format, audio, this.options.loop ?? true, this.options.now);
  }

  async openSink(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    return new WavSink(format, this.options.output, this.options.now);
  }
}

class WavSource implements AudioSource {
  private readonly clock: FrameClock;
  private position = 0;

  constructor(
    readonly format: AudioFormat,
    private readonly audio: WavAudio | undefined,
    private readonly loop: boolean,
    now: (() => number) | undefined,
  ) {
    this.clock = new FrameClock({ frameMs: format.frameMs, ...(now === undefined ? {} : { now }) });
  }

  start(onFrame: (pcm: Int16Array) => void): void {
    const size = samplesPerFrame(this.format);
    this.clock.start(() => {
      const frame = new Int16Array(size);
      const samples = this.audio?.samples;
      for (let i = 0; samples !== undefined && samples.length > 0 && i < size; i++) {
        if (this.position >= samples.length) {
          if (!this.loop) break;
          this.position = 0;
        }
        frame[i] = samples[this.position++]!;
      }
      onFrame(frame);
    });
  }

  async stop(): Promise<void> {
    this.clock.stop();
  }
}

class WavSink implements AudioSink {
  private readonly clock: FrameClock;
  private writer: WavWriter | undefined;

  constructor(
    readonly format: AudioFormat,
    private readonly path: string | undefined,
    now: (() => number) | undefined,
  ) {
    this.clock = new FrameClock({ frameMs: format.frameMs, ...(now === undefined ? {} : { now }) });
  }

  start(pull: () => Int16Array, onError?: (error: AudioDeviceError) => void): void {
    try {
      this.writer = this.path === undefined ? undefined : new WavWriter(this.path, this.format.sampleRate, this.format.channels);
    } catch (error) {
      onError?.(new AudioDeviceError('open_failed', `cannot write ${this.path}: ${(error as Error).message}`, { cause: error }));
      return;
    }
    const size = samplesPerFrame(this.format);
    this.clock.start(() => {
      const frame = pull();
      // A short frame from the producer is padded with silence: the device clock never waits.
      this.writer?.write(frame.length === size ? frame : Int16Array.from({ length: size }, (_, i) => frame[i] ?? 0));
    });
  }

  async stop(): Promise<void> {
    this.clock.stop();
    this.writer?.close();
    this.writer = undefined;
  }
}
