/**
 * The WAV-file driver: a WAV file plays as the microphone (looped or once, then silence), and
 * what would go to the speaker is written to a WAV file. Both run on a frame clock at real
 * time, so a call through them behaves as one through a sound card. For tests, headless use
 * and recordings.
 *
 * Like a duplex sound card, the devices a driver opens share one clock per frame duration: a
 * call's microphone and speaker (and those of other calls on the same driver) tick together on
 * one timer, not one timer each. The recording is written in blocks of about 200 ms.
 */
import { monoAtRate } from './wav-conversion.js';
import { readFileSync } from 'node:fs';
import { AudioDeviceError, samplesPerFrame, type AudioDevice, type AudioDriver, type AudioFormat, type AudioSink, type AudioSource } from './audio-driver.js';
import { SharedFrameClock } from './frame-clock.js';
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

/** How much of the recording is kept in memory between writes. */
const WRITE_BLOCK_MS = 200;

export class WavFileDriver implements AudioDriver {
  readonly name = 'wav-file';
  /** The devices' clocks, by frame duration. */
  private readonly clocks = new Map<number, SharedFrameClock>();

  constructor(private readonly options: WavFileDriverOptions) {}

  private clock(frameMs: number): SharedFrameClock {
    let clock = this.clocks.get(frameMs);
    if (clock === undefined) {
      const now = this.options.now;
      clock = new SharedFrameClock({ frameMs, ...(now === undefined ? {} : { now }) });
      this.clocks.set(frameMs, clock);
    }
    return clock;
  }

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
        // A mono microphone at any rate plays any file, converted once (as a sound card's driver would).
        if (format.channels !== 1) {
          throw new AudioDeviceError('unsupported_format', `${this.options.input} is ${audio.sampleRate} Hz × ${audio.channels}, not ${format.sampleRate} Hz × ${format.channels}`);
        }
        audio = { sampleRate: format.sampleRate, channels: 1, samples: monoAtRate(audio, format.sampleRate) };
      }
    }
    return new WavSource(format, audio, this.options.loop ?? true, this.clock(format.frameMs));
  }

  async openSink(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    return new WavSink(format, this.options.output, this.clock(format.frameMs));
  }
}

class WavSource implements AudioSource {
  private leave: (() => void) | undefined;
  private position = 0;

  constructor(
    readonly format: AudioFormat,
    private readonly audio: WavAudio | undefined,
    private readonly loop: boolean,
    private readonly clock: SharedFrameClock,
  ) {}

  start(onFrame: (pcm: Int16Array) => void): void {
    if (this.leave !== undefined) return;
    const size = samplesPerFrame(this.format);
    this.leave = this.clock.join(() => onFrame(this.nextFrame(size)));
  }

  async stop(): Promise<void> {
    this.leave?.();
    this.leave = undefined;
  }

  /** The next `size` samples: a view of the file's audio where it lies in one piece (frames are read-only), else a copy. */
  private nextFrame(size: number): Int16Array {
    const samples = this.audio?.samples;
    if (samples === undefined || samples.length === 0) return new Int16Array(size);
    if (this.position >= samples.length && this.loop) this.position = 0;
    if (this.position + size <= samples.length) {
      const frame = samples.subarray(this.position, this.position + size);
      this.position += size;
      return frame;
    }
    const frame = new Int16Array(size);
    for (let i = 0; i < size; i++) {
      if (this.position >= samples.length) {
        if (!this.loop) break;
        this.position = 0;
      }
      frame[i] = samples[this.position++]!;
    }
    return frame;
  }
}

class WavSink implements AudioSink {
  private leave: (() => void) | undefined;
  private writer: WavWriter | undefined;

  constructor(
    readonly format: AudioFormat,
    private readonly path: string | undefined,
    private readonly clock: SharedFrameClock,
  ) {}

  start(pull: () => Int16Array, onError?: (error: AudioDeviceError) => void): void {
    if (this.leave !== undefined) return;
    const size = samplesPerFrame(this.format);
    try {
      // About 200 ms per write, in whole frames.
      const bufferBytes = Math.max(1, Math.round(WRITE_BLOCK_MS / this.format.frameMs)) * size * 2;
      this.writer = this.path === undefined ? undefined : new WavWriter(this.path, this.format.sampleRate, this.format.channels, { bufferBytes });
    } catch (error) {
      onError?.(new AudioDeviceError('open_failed', `cannot write ${this.path}: ${(error as Error).message}`, { cause: error }));
      return;
    }
    let padded: Int16Array | undefined;
    this.leave = this.clock.join(() => {
      const frame = pull();
      const writer = this.writer;
      if (writer === undefined) return;
      if (frame.length === size) {
        writer.write(frame);
        return;
      }
      // A short frame from the producer is padded with silence: the device clock never waits.
      padded ??= new Int16Array(size);
      padded.fill(0);
      padded.set(frame.length > size ? frame.subarray(0, size) : frame);
      writer.write(padded);
    });
  }

  async stop(): Promise<void> {
    this.leave?.();
    this.leave = undefined;
    this.writer?.close();
    this.writer = undefined;
  }
}
