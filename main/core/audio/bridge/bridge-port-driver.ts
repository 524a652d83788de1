/**
 * The virtual sound card of one bridge port: an `AudioDriver` a MediaStream opens exactly as it
 * would a real one. Its microphone delivers what the bridge routes to the port (the user's
 * voice, a conference's other members, music on hold); its speaker is pulled by the bridge each
 * tick for what the port's peer said. Nothing here has a clock of its own: the bridge's tick
 * (the real speaker's) drives both.
 *
 * Formats: mono only. Any sample rate is accepted and converted to and from the bridge's with
 * the polyphase resampler (a stream at its codec's rate, 8 kHz for PCMU, needs no resampling of
 * its own); any frame duration is accepted, frames being cut from a sample FIFO.
 */
import { AudioDeviceError, samplesPerFrame, type AudioDevice, type AudioDriver, type AudioFormat, type AudioSink, type AudioSource } from '../audio-driver.js';
import type { Resampler, ResamplerFactory } from '../../media/stream/resampler.js';
import { fitFrame } from './saturating-mix.js';
import { SampleQueue } from './sample-queue.js';

export interface BridgePortDriverOptions {
  readonly port: string;
  /** The bridge's format: mono, its rate, its tick. */
  readonly format: AudioFormat;
  readonly resampler: ResamplerFactory;
  /** A virtual device started or stopped (the bridge opens the real ones while any runs). */
  onActivity(): void;
}

export class BridgePortDriver implements AudioDriver {
  readonly name: string;
  private source: PortSource | undefined;
  private sink: PortSink | undefined;

  constructor(private readonly options: BridgePortDriverOptions) {
    this.name = `bridge:${options.port}`;
  }

  /** Whether the port's virtual microphone or speaker is running. */
  get active(): boolean {
    return (this.source?.running ?? false) || (this.sink?.running ?? false);
  }

  async listDevices(): Promise<AudioDevice[]> {
    const rate = this.options.format.sampleRate;
    const device = (input: boolean): AudioDevice => ({
      id: `${this.name}:${input ? 'in' : 'out'}`,
      name: `${this.options.port} ${input ? '(from the bridge)' : '(to the bridge)'}`,
      hostApi: 'bridge',
      inputChannels: input ? 1 : 0,
      outputChannels: input ? 0 : 1,
      defaultInput: input,
      defaultOutput: !input,
      defaultSampleRate: rate,
    });
    return [device(true), device(false)];
  }

  /** `deviceId` is ignored: the port has one microphone, the bridge's routing. */
  async openSource(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSource> {
    const resampler = this.converter(format, this.options.format.sampleRate, format.sampleRate);
    if (this.source?.running) throw new AudioDeviceError('open_failed', `${this.name}: the microphone is already in use`);
    const source = new PortSource(format, resampler, this.options.format, () => this.options.onActivity());
    this.source = source;
    return source;
  }

  /** `deviceId` is ignored: the port has one speaker, the bridge. */
  async openSink(_deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    const resampler = this.converter(format, format.sampleRate, this.options.format.sampleRate);
    if (this.sink?.running) throw new AudioDeviceError('open_failed', `${this.name}: the speaker is already in use`);
    const sink = new PortSink(format, resampler, this.options.format, () => this.options.onActivity());
    this.sink = sink;
    return sink;
  }

  /** Bridge side, once per tick: what the port's peer said, one bridge frame; undefined when nothing is playing to the port's speaker. */
  received(): Int16Array | undefined {
    return this.sink?.running ? this.sink.next() : undefined;
  }

  /** Bridge side, once per tick: one bridge frame for the port's microphone. */
  send(frame: Int16Array): void {
    if (this.source?.running) this.source.deliver(frame);
  }

  /** The port is gone: its devices hear and say nothing more. */
  detach(): void {
    this.source?.detach();
    this.sink?.detach();
  }

  /** Checks the stream's format and makes its rate converter (the identity for the bridge's rate). */
  private converter(format: AudioFormat, inputRate: number, outputRate: number): Resampler {
    if (format.channels !== 1) throw new AudioDeviceError('unsupported_format', `${this.name} is mono, not ${format.channels} channels`);
    if (!(format.frameMs > 0) || !Number.isInteger(samplesPerFrame(format)) || samplesPerFrame(format) <= 0) {
      throw new AudioDeviceError('unsupported_format', `${this.name}: no whole frame of ${format.frameMs} ms at ${format.sampleRate} Hz`);
    }
    try {
      return this.options.resampler(inputRate, outputRate);
    } catch (error) {
      throw new AudioDeviceError('unsupported_format', `${this.name}: cannot convert ${inputRate} Hz to ${outputRate} Hz: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** The port's microphone: bridge frames, converted to the stream's rate and frame size. */
class PortSource implements AudioSource {
  private onFrame: ((pcm: Int16Array) => void) | undefined;
  private readonly queue: SampleQueue;
  private readonly samples: number;
  private readonly direct: boolean;
  private detached = false;

  constructor(
    readonly format: AudioFormat,
    private readonly resampler: Resampler,
    bridge: AudioFormat,
    private readonly activity: () => void,
  ) {
    this.samples = samplesPerFrame(format);
    this.direct = format.sampleRate === bridge.sampleRate && this.samples === samplesPerFrame(bridge);
    this.queue = new SampleQueue(Math.max(this.samples, samplesPerFrame({ ...format, frameMs: bridge.frameMs })) * 4);
  }

  get running(): boolean {
    return this.onFrame !== undefined;
  }

  start(onFrame: (pcm: Int16Array) => void): void {
    if (this.onFrame !== undefined || this.detached) return;
    this.onFrame = onFrame;
    this.activity();
  }

  async stop(): Promise<void> {
    if (this.onFrame === undefined) return;
    this.onFrame = undefined;
    this.activity();
  }

  detach(): void {
    this.detached = true;
    this.onFrame = undefined;
  }

  deliver(frame: Int16Array): void {
    const onFrame = this.onFrame;
    if (onFrame === undefined) return;
    if (this.direct) {
      onFrame(frame);
      return;
    }
    this.queue.push(this.resampler.process(frame));
    // A stream with longer frames than the bridge's gets one every few ticks, as from a device.
    while (this.queue.length >= this.samples && this.onFrame !== undefined) onFrame(this.queue.read(this.samples));
  }
}

/** The port's speaker: the stream's frames, converted to the bridge's rate and frame size. */
class PortSink implements AudioSink {
  private pull: (() => Int16Array) | undefined;
  private readonly queue: SampleQueue;
  private readonly samples: number;
  private readonly bridgeSamples: number;
  private readonly direct: boolean;
  private detached = false;

  constructor(
    readonly format: AudioFormat,
    private readonly resampler: Resampler,
    bridge: AudioFormat,
    private readonly activity: () => void,
  ) {
    this.samples = samplesPerFrame(format);
    this.bridgeSamples = samplesPerFrame(bridge);
    this.direct = format.sampleRate === bridge.sampleRate && this.samples === this.bridgeSamples;
    this.queue = new SampleQueue(Math.max(this.bridgeSamples, samplesPerFrame({ ...bridge, frameMs: format.frameMs })) * 4);
  }

  get running(): boolean {
    return this.pull !== undefined;
  }

  start(pull: () => Int16Array): void {
    if (this.pull !== undefined || this.detached) return;
    this.pull = pull;
    this.activity();
  }

  async stop(): Promise<void> {
    if (this.pull === undefined) return;
    this.pull = undefined;
    this.activity();
  }

  detach(): void {
    this.detached = true;
    this.pull = undefined;
  }

  next(): Int16Array {
    const pull = this.pull!;
    if (this.direct) return fitFrame(pull(), this.bridgeSamples);
    // Bounded: a resampler that yields nothing for a few blocks must not spin the tick.
    for (let i = 0; i < 8 && this.queue.length < this.bridgeSamples && this.pull !== undefined; i++) {
      this.queue.push(this.resampler.process(fitFrame(pull(), this.samples)));
    }
    return this.queue.read(this.bridgeSamples);
  }
}
