/**
 * The naudiodon driver: real sound devices through PortAudio (ALSA on Linux, CoreAudio,
 * WASAPI/MME on Windows).
 *
 * How naudiodon moves audio, which shapes everything here: each stream has a queue of at most
 * `maxQueue` chunks between Node and the PortAudio callback thread, and a full or empty queue
 * *blocks* the other side. The microphone's callback waits when Node does not read; the
 * speaker's callback waits (rather than playing silence) when Node does not write. So the
 * source reads continuously and the sink keeps the queue fed: one `write` outstanding, the next
 * frame pulled only when the device has taken one, so the device clock paces `pull` and at most
 * `queueFrames` + 1 frames wait ahead of the device.
 *
 * PortAudio reads its device list at Pa_Initialize, which naudiodon calls for every listing and
 * every stream and balances with Pa_Terminate on close. While no stream is open a listing
 * therefore re-enumerates (hot-plug works); while one is open, the list is the one frozen when
 * the first stream opened.
 */
import { AudioDeviceError, samplesPerFrame, type AudioDevice, type AudioDriver, type AudioFormat, type AudioSink, type AudioSource } from './audio-driver.js';
import {
  loadNaudiodon,
  SAMPLE_FORMAT_INT16,
  type NaudiodonBinding,
  type PortAudioInput,
  type PortAudioOutput,
  type PortAudioStreamOptions,
} from './naudiodon-binding.js';
import { describePortAudioDevices, type PortAudioDevice } from './naudiodon-devices.js';
import { FrameChunker } from './device-frame-chunker.js';

export interface NaudiodonDriverOptions {
  /** Loads the bindings (default: naudiodon itself, on first use); tests pass a fake. */
  readonly load?: () => NaudiodonBinding;
  /** Frames queued between Node and the device callback, each way (default 2). */
  readonly queueFrames?: number;
  /**
   * A stream that takes or gives no frame for this long has failed (default 1000 ms): when a
   * device is unplugged PortAudio's callback thread just stops, and naudiodon reports nothing.
   */
  readonly stallMs?: number;
  /** How long `stop()` waits for PortAudio to drain and close (default 2000 ms). */
  readonly stopTimeoutMs?: number;
  /** A monotonic clock in ms, for the stall watchdog (default `performance.now`). */
  readonly now?: () => number;
}

export class NaudiodonDriver implements AudioDriver {
  readonly name = 'naudiodon';
  private binding: NaudiodonBinding | undefined;
  private openStreams = 0;
  /**
   * naudiodon 2.3.6 calls Pa_Initialize before opening a stream but not Pa_Terminate when the
   * open fails, so after a failed open PortAudio stays initialised and its list stays frozen
   * for the life of the process.
   */
  private portAudioPinned = false;

  constructor(private readonly options: NaudiodonDriverOptions = {}) {}

  /** True when `refreshDevices()` can re-read the system's devices now. */
  get canRefresh(): boolean {
    return this.openStreams === 0 && !this.portAudioPinned;
  }

  async listDevices(): Promise<AudioDevice[]> {
    return this.enumerate().map(({ index: _index, ...device }) => device);
  }

  /**
   * The system's current devices, re-enumerated (PortAudio re-initialised), for hot-plug; or
   * undefined when PortAudio cannot re-enumerate now (a stream is open, or a failed open left
   * it initialised): ask again once streams are closed. Compare lists with `diffDevices`.
   */
  async refreshDevices(): Promise<AudioDevice[] | undefined> {
    return this.canRefresh ? this.listDevices() : undefined;
  }

  async openSource(deviceId: string | undefined, format: AudioFormat): Promise<AudioSource> {
    const options = this.streamOptions(deviceId, format, 'input');
    const stream = this.open((binding) => binding.AudioIO({ inOptions: options }));
    return new NaudiodonSource(format, stream, this.streamSettings(), () => this.openStreams--);
  }

  async openSink(deviceId: string | undefined, format: AudioFormat): Promise<AudioSink> {
    const options = this.streamOptions(deviceId, format, 'output');
    const stream = this.open((binding) => binding.AudioIO({ outOptions: options }));
    return new NaudiodonSink(format, stream, this.streamSettings(), () => this.openStreams--);
  }

  private bindings(): NaudiodonBinding {
    this.binding ??= (this.options.load ?? loadNaudiodon)();
    return this.binding;
  }

  private enumerate(): PortAudioDevice[] {
    const binding = this.bindings();
    try {
      return describePortAudioDevices(binding.getDevices(), binding.getHostAPIs());
    } catch (error) {
      throw new AudioDeviceError('open_failed', `PortAudio cannot list devices: ${(error as Error).message}`, { cause: error });
    }
  }

  private streamOptions(deviceId: string | undefined, format: AudioFormat, direction: 'input' | 'output'): PortAudioStreamOptions {
    const framesPerBuffer = samplesPerFrame(format) / format.channels;
    if (!Number.isInteger(framesPerBuffer) || framesPerBuffer <= 0 || format.channels <= 0) {
      throw new AudioDeviceError('unsupported_format', `${format.sampleRate} Hz × ${format.channels}, ${format.frameMs} ms is not a whole number of samples per frame`);
    }
    let index = -1;
    if (deviceId !== undefined) {
      const device = this.enumerate().find((candidate) => candidate.id === deviceId);
      if (device === undefined) throw new AudioDeviceError('not_found', `no ${direction} device ${deviceId}`);
      // Checked here because naudiodon's own check leaves PortAudio initialised (see above).
      const channels = direction === 'input' ? device.inputChannels : device.outputChannels;
      if (format.channels > channels) {
        throw new AudioDeviceError('unsupported_format', `${deviceId} has ${channels} ${direction} channels, not ${format.channels}`);
      }
      index = device.index;
    }
    return {
      channelCount: format.channels,
      sampleFormat: SAMPLE_FORMAT_INT16,
      sampleRate: format.sampleRate,
      deviceId: index,
      // Under- and overruns are reported as fatal errors otherwise; a call survives one glitch.
      closeOnError: false,
      framesPerBuffer,
      maxQueue: this.options.queueFrames ?? 2,
      // naudiodon's read waits for this many bytes: one frame, or the microphone lags.
      highwaterMark: framesPerBuffer * format.channels * 2,
    };
  }

  private open<T>(create: (binding: NaudiodonBinding) => T): T {
    const binding = this.bindings();
    try {
      const stream = create(binding);
      this.openStreams++;
      return stream;
    } catch (error) {
      if (!/could not initialize/i.test(error instanceof Error ? error.message : String(error))) this.portAudioPinned = true;
      throw openError(error);
    }
  }

  private streamSettings(): StreamSettings {
    return {
      stallMs: this.options.stallMs ?? 1000,
      stopTimeoutMs: this.options.stopTimeoutMs ?? 2000,
      now: this.options.now ?? (() => performance.now()),
    };
  }
}

interface StreamSettings {
  readonly stallMs: number;
  readonly stopTimeoutMs: number;
  readonly now: () => number;
}

function openError(error: unknown): AudioDeviceError {
  const message = error instanceof Error ? error.message : String(error);
  const code = /format not supported|channel count|sample ?rate|invalid sampleformat/i.test(message)
    ? 'unsupported_format'
    : /no default device|invalid device/i.test(message)
      ? 'not_found'
      : 'open_failed';
  return new AudioDeviceError(code, `PortAudio cannot open the stream: ${message}`, { cause: error });
}

/** One PortAudio stream's life: start once, watch for stalls, stop once. */
abstract class NaudiodonStream<S extends PortAudioInput | PortAudioOutput> {
  protected stopped = false;
  protected onError: ((error: AudioDeviceError) => void) | undefined;
  private lastProgress = 0;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private stopping: Promise<void> | undefined;
  private failed = false;

  constructor(
    protected readonly stream: S,
    private readonly settings: StreamSettings,
    private readonly onClosed: () => void,
  ) {
    stream.on('error', (error: unknown) => this.fail('stream_failed', `PortAudio stream error: ${error instanceof Error ? error.message : String(error)}`, error));
  }

  protected begin(onError: ((error: AudioDeviceError) => void) | undefined): boolean {
    if (this.stopped || this.watchdog !== undefined) return false;
    this.onError = onError;
    try {
      this.stream.start();
    } catch (error) {
      this.fail('open_failed', `PortAudio cannot start the stream: ${(error as Error).message}`, error);
      return false;
    }
    this.progress();
    this.watchdog = setInterval(() => {
      const idle = this.settings.now() - this.lastProgress;
      if (idle >= this.settings.stallMs) this.fail('stream_failed', `the device has not run for ${Math.round(idle)} ms`);
    }, Math.max(10, this.settings.stallMs / 4));
    // The stream itself keeps the process alive while it runs; the watchdog must not.
    this.watchdog.unref();
    return true;
  }

  protected progress(): void {
    this.lastProgress = this.settings.now();
  }

  /** Reports a failure once, to onError: never thrown out of a device callback. */
  protected fail(code: AudioDeviceError['code'], message: string, cause?: unknown): void {
    if (this.stopped || this.failed) return;
    this.failed = true;
    this.clearWatchdog();
    this.onError?.(new AudioDeviceError(code, message, cause === undefined ? undefined : { cause }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearWatchdog();
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // quit() waits for the callback to play what is queued; if the device died, it never will.
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.settings.stopTimeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([this.stream.quit(), timeout]);
    } finally {
      clearTimeout(timer);
      this.onClosed();
    }
  }

  private clearWatchdog(): void {
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }
}

class NaudiodonSource extends NaudiodonStream<PortAudioInput> implements AudioSource {
  private readonly chunker: FrameChunker;

  constructor(
    readonly format: AudioFormat,
    stream: PortAudioInput,
    settings: StreamSettings,
    onClosed: () => void,
  ) {
    super(stream, settings, onClosed);
    this.chunker = new FrameChunker(samplesPerFrame(format));
  }

  start(onFrame: (pcm: Int16Array) => void, onError?: (error: AudioDeviceError) => void): void {
    if (!this.begin(onError)) return;
    // 'data' puts the stream in flowing mode: Node reads continuously, as the device needs.
    this.stream.on('data', (chunk: Buffer) => {
      if (this.stopped) return;
      this.progress();
      this.chunker.push(chunk, onFrame);
    });
    this.stream.on('end', () => this.fail('stream_failed', 'the input stream ended'));
  }

  override async stop(): Promise<void> {
    this.chunker.reset();
    return super.stop();
  }
}

class NaudiodonSink extends NaudiodonStream<PortAudioOutput> implements AudioSink {
  private readonly size: number;

  constructor(
    readonly format: AudioFormat,
    stream: PortAudioOutput,
    settings: StreamSettings,
    onClosed: () => void,
  ) {
    super(stream, settings, onClosed);
    this.size = samplesPerFrame(format);
  }

  start(pull: () => Int16Array, onError?: (error: AudioDeviceError) => void): void {
    if (!this.begin(onError)) return;
    const pump = (error?: Error | null) => {
      if (this.stopped) return;
      if (error) {
        this.fail('stream_failed', `PortAudio write failed: ${error.message}`, error);
        return;
      }
      this.progress();
      // The callback comes once the device's queue has room: the device clock drives `pull`.
      this.stream.write(this.toBuffer(pull()), pump);
    };
    pump();
  }

  /** A copy (the producer may reuse its array), padded with silence or cut to one frame. */
  private toBuffer(frame: Int16Array): Buffer {
    const out = Buffer.alloc(this.size * 2);
    const samples = frame.length > this.size ? frame.subarray(0, this.size) : frame;
    out.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    return out;
  }
}
