/**
 * A sound card driven by hand: the test pushes microphone frames and pulls speaker frames, and
 * can make a device fail to open or fail while running.
 */
import { AudioDeviceError, type AudioDevice, type AudioDriver, type AudioFormat, type AudioSink, type AudioSource } from '../../../../../main/core/audio/audio-driver.js';

/** The key of the system default device in `failing` and `opened`. */
export const DEFAULT = 'default';

export class FakeSource implements AudioSource {
  private onFrame: ((pcm: Int16Array) => void) | undefined;
  private onError: ((error: AudioDeviceError) => void) | undefined;
  stopped = false;

  constructor(
    readonly id: string,
    readonly format: AudioFormat,
  ) {}

  start(onFrame: (pcm: Int16Array) => void, onError?: (error: AudioDeviceError) => void): void {
    this.onFrame = onFrame;
    this.onError = onError;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.onFrame = undefined;
  }

  push(frame: Int16Array): void {
    this.onFrame?.(frame);
  }

  fail(error = new AudioDeviceError('stream_failed', `${this.id} is gone`)): void {
    this.onError?.(error);
  }
}

export class FakeSink implements AudioSink {
  private puller: (() => Int16Array) | undefined;
  private onError: ((error: AudioDeviceError) => void) | undefined;
  stopped = false;

  constructor(
    readonly id: string,
    readonly format: AudioFormat,
  ) {}

  start(pull: () => Int16Array, onError?: (error: AudioDeviceError) => void): void {
    this.puller = pull;
    this.onError = onError;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.puller = undefined;
  }

  get started(): boolean {
    return this.puller !== undefined;
  }

  pull(): Int16Array {
    if (this.puller === undefined) throw new Error(`${this.id} is not started`);
    return this.puller();
  }

  fail(error = new AudioDeviceError('stream_failed', `${this.id} is gone`)): void {
    this.onError?.(error);
  }
}

export class FakeAudioDriver implements AudioDriver {
  readonly name = 'fake';
  /** Device ids (DEFAULT for the default) whose open fails. */
  readonly failing = new Set<string>();
  readonly sources: FakeSource[] = [];
  readonly sinks: FakeSink[] = [];
  /** Every open, in order: `in:<id>` / `out:<id>`, failed ones included. */
  readonly opened: string[] = [];

  async listDevices(): Promise<AudioDevice[]> {
    return [];
  }

  async openSource(deviceId: string | undefined, format: AudioFormat): Promise<AudioSource> {
    const id = deviceId ?? DEFAULT;
    this.opened.push(`in:${id}`);
    if (this.failing.has(id)) throw new AudioDeviceError('not_found', `no input ${id}`);
    const source = new FakeSource(id, format);
    this.sources.push(source);
    return source;
  }

  async openSink(deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    const id = deviceId ?? DEFAULT;
    this.opened.push(`out:${id}`);
    if (this.failing.has(id)) throw new AudioDeviceError('not_found', `no output ${id}`);
    const sink = new FakeSink(id, format);
    this.sinks.push(sink);
    return sink;
  }

  /** The microphone open now. */
  get source(): FakeSource | undefined {
    return this.sources.filter((s) => !s.stopped).at(-1);
  }

  /** The speaker open now. */
  get sink(): FakeSink | undefined {
    return this.sinks.filter((s) => !s.stopped).at(-1);
  }
}

/** Lets queued promise callbacks (device opens and closes) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}
