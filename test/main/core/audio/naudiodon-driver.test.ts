/**
 * The driver's own logic against a fake naudiodon (queues that block like naudiodon's); the
 * real PortAudio path is in naudiodon-alsa.test.ts.
 */
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudioDeviceError } from '../../../../main/core/audio/audio-driver.js';
import type { NaudiodonBinding, PortAudioInput, PortAudioOutput, PortAudioStreamOptions } from '../../../../main/core/audio/naudiodon-binding.js';
import { NaudiodonDriver } from '../../../../main/core/audio/naudiodon-driver.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());
const format = { sampleRate: 8000, channels: 1, frameMs: 20 };

/** naudiodon's output: a write completes once the chunk is in a queue of at most maxQueue. */
class FakeOutput extends Writable {
  readonly queue: Buffer[] = [];
  private waiting: (() => void) | undefined;
  started = false;
  quits = 0;
  quitResult: Promise<void> = Promise.resolve();
  constructor(readonly options: PortAudioStreamOptions) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, callback: (error?: Error | null) => void): void {
    this.queue.push(chunk);
    if (this.queue.length <= this.options.maxQueue) queueMicrotask(() => callback());
    else this.waiting = () => callback();
  }
  /** The device callback takes one chunk. */
  take(): Buffer | undefined {
    const chunk = this.queue.shift();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
    return chunk;
  }
  start(): void {
    this.started = true;
  }
  quit(): Promise<void> {
    this.quits++;
    return this.quitResult;
  }
}

class FakeInput extends Readable {
  quits = 0;
  constructor(readonly options: PortAudioStreamOptions) {
    super();
  }
  override _read(): void {}
  start(): void {}
  async quit(): Promise<void> {
    this.quits++;
    this.push(null);
  }
}

function fakeBinding() {
  const streams: Array<FakeInput | FakeOutput> = [];
  let failOpen: string | undefined;
  function AudioIO(options: { inOptions: PortAudioStreamOptions }): PortAudioInput;
  function AudioIO(options: { outOptions: PortAudioStreamOptions }): PortAudioOutput;
  function AudioIO(options: { inOptions: PortAudioStreamOptions } | { outOptions: PortAudioStreamOptions }): PortAudioInput | PortAudioOutput {
    if (failOpen !== undefined) throw new Error(failOpen);
    const stream = 'inOptions' in options ? new FakeInput(options.inOptions) : new FakeOutput(options.outOptions);
    streams.push(stream);
    return stream;
  }
  const binding: NaudiodonBinding = {
    getDevices: () => [
      { id: 0, name: 'mic', hostAPIName: 'ALSA', maxInputChannels: 1, maxOutputChannels: 0, defaultSampleRate: 48000 },
      { id: 1, name: 'speaker', hostAPIName: 'ALSA', maxInputChannels: 0, maxOutputChannels: 2, defaultSampleRate: 48000 },
    ],
    getHostAPIs: () => ({ defaultHostAPI: 0, HostAPIs: [{ id: 0, name: 'ALSA', defaultInput: 0, defaultOutput: 1 }] }),
    AudioIO,
  };
  return { binding, streams, failOpenWith: (message: string | undefined) => (failOpen = message) };
}

describe('NaudiodonDriver (fake PortAudio)', () => {
  it('loads naudiodon only when used, and lists devices with stable ids', async () => {
    const fake = fakeBinding();
    const load = vi.fn(() => fake.binding);
    const driver = new NaudiodonDriver({ load });
    expect(load).not.toHaveBeenCalled();
    expect((await driver.listDevices()).map((device) => [device.id, device.defaultInput, device.defaultOutput])).toEqual([
      ['ALSA:mic:0', true, false],
      ['ALSA:speaker:0', false, true],
    ]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('opens the device by stable id with one frame per PortAudio buffer, 16-bit', async () => {
    const fake = fakeBinding();
    await new NaudiodonDriver({ load: () => fake.binding }).openSink('ALSA:speaker:0', { sampleRate: 48000, channels: 2, frameMs: 10 });
    expect((fake.streams[0] as FakeOutput).options).toMatchObject({ deviceId: 1, channelCount: 2, sampleRate: 48000, sampleFormat: 16, framesPerBuffer: 480, closeOnError: false, maxQueue: 2 });
    await new NaudiodonDriver({ load: () => fake.binding }).openSource(undefined, format);
    expect((fake.streams[1] as FakeInput).options).toMatchObject({ deviceId: -1, framesPerBuffer: 160, highwaterMark: 320 });
  });

  it('speaker: pulls only as the device takes frames, keeping at most queue + 1 ahead', async () => {
    const fake = fakeBinding();
    const sink = await new NaudiodonDriver({ load: () => fake.binding }).openSink(undefined, format);
    const output = fake.streams[0] as FakeOutput;
    let pulls = 0;
    sink.start(() => Int16Array.from({ length: 160 }, () => ++pulls));
    await vi.advanceTimersByTimeAsync(0);
    // Two frames fill the queue, a third waits to enter it; nothing more until the device runs.
    expect(pulls).toBe(160 * 3);
    await vi.advanceTimersByTimeAsync(100);
    expect(pulls).toBe(160 * 3);
    for (let i = 0; i < 5; i++) {
      output.take();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(pulls).toBe(160 * 8);
    expect(output.queue).toHaveLength(3);
    await sink.stop();
    expect(output.quits).toBe(1);
  });

  it('speaker: a short frame is padded with silence, a long one cut', async () => {
    const fake = fakeBinding();
    const sink = await new NaudiodonDriver({ load: () => fake.binding }).openSink(undefined, format);
    const output = fake.streams[0] as FakeOutput;
    const frames = [new Int16Array([1, 2, 3]), new Int16Array(200).fill(9)];
    sink.start(() => frames.shift() ?? new Int16Array(160));
    await vi.advanceTimersByTimeAsync(0);
    const first = new Int16Array(output.take()!.buffer.slice(0));
    expect(first).toHaveLength(160);
    expect(Array.from(first.subarray(0, 4))).toEqual([1, 2, 3, 0]);
    expect(new Int16Array(output.take()!.buffer.slice(0))).toEqual(new Int16Array(160).fill(9));
    await sink.stop();
  });

  it('speaker: a device that stops taking frames is reported once, through onError', async () => {
    const fake = fakeBinding();
    const sink = await new NaudiodonDriver({ load: () => fake.binding, stallMs: 500, now: () => Date.now() }).openSink(undefined, format);
    const errors: AudioDeviceError[] = [];
    sink.start(() => new Int16Array(160), (error) => errors.push(error));
    await vi.advanceTimersByTimeAsync(2000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AudioDeviceError);
    expect(errors[0]!.code).toBe('stream_failed');
    await sink.stop();
  });

  it('stop() does not hang when PortAudio never finishes draining a dead device', async () => {
    const fake = fakeBinding();
    const driver = new NaudiodonDriver({ load: () => fake.binding, stopTimeoutMs: 300 });
    const sink = await driver.openSink(undefined, format);
    (fake.streams[0] as FakeOutput).quitResult = new Promise(() => {});
    sink.start(() => new Int16Array(160));
    const stopped = vi.fn();
    void sink.stop().then(stopped);
    await vi.advanceTimersByTimeAsync(299);
    expect(stopped).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(stopped).toHaveBeenCalled();
    await sink.stop();
    expect((fake.streams[0] as FakeOutput).quits).toBe(1);
  });

  it('microphone: re-chunks what PortAudio delivers into frames of exactly one frame', async () => {
    const fake = fakeBinding();
    const source = await new NaudiodonDriver({ load: () => fake.binding }).openSource('ALSA:mic:0', format);
    const input = fake.streams[0] as FakeInput;
    const frames: Int16Array[] = [];
    source.start((frame) => frames.push(frame));
    const samples = Int16Array.from({ length: 400 }, (_, i) => i);
    const bytes = Buffer.from(samples.buffer);
    input.push(bytes.subarray(0, 301));
    input.push(bytes.subarray(301, 800));
    await vi.advanceTimersByTimeAsync(0);
    expect(frames.map((frame) => frame.length)).toEqual([160, 160]);
    expect(Array.from(frames[1]!.subarray(0, 2))).toEqual([160, 161]);
    await source.stop();
    expect(input.quits).toBe(1);
  });

  it('microphone: a stream error or an unexpected end becomes an AudioDeviceError', async () => {
    const fake = fakeBinding();
    const driver = new NaudiodonDriver({ load: () => fake.binding });
    const source = await driver.openSource(undefined, format);
    const errors: AudioDeviceError[] = [];
    source.start(() => {}, (error) => errors.push(error));
    (fake.streams[0] as FakeInput).destroy(new Error('device gone'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.map((error) => [error.code, error.message])).toEqual([['stream_failed', 'PortAudio stream error: device gone']]);
    await source.stop();
    const again = await driver.openSource(undefined, format);
    again.start(() => {}, (error) => errors.push(error));
    (fake.streams[1] as FakeInput).push(null);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors[1]!.code).toBe('stream_failed');
    await again.stop();
  });

  it('open failures: coded errors; a PortAudio refusal pins its device list (naudiodon leaks Pa_Initialize)', async () => {
    const fake = fakeBinding();
    const driver = new NaudiodonDriver({ load: () => fake.binding });
    await expect(driver.openSink('ALSA:gone:0', format)).rejects.toMatchObject({ code: 'not_found' });
    await expect(driver.openSink('ALSA:speaker:0', { ...format, channels: 3 })).rejects.toMatchObject({ code: 'unsupported_format' });
    await expect(driver.openSink(undefined, { sampleRate: 8000, channels: 1, frameMs: 0.01 })).rejects.toMatchObject({ code: 'unsupported_format' });
    expect(driver.canRefresh).toBe(true);
    fake.failOpenWith('Format not supported: Invalid sample rate');
    await expect(driver.openSink(undefined, format)).rejects.toMatchObject({ code: 'unsupported_format' });
    expect(driver.canRefresh).toBe(false);
    expect(await driver.refreshDevices()).toBeUndefined();
  });

  it('refreshDevices: undefined while a stream is open, the list once all are closed', async () => {
    const fake = fakeBinding();
    const driver = new NaudiodonDriver({ load: () => fake.binding });
    const sink = await driver.openSink(undefined, format);
    const source = await driver.openSource(undefined, format);
    expect(await driver.refreshDevices()).toBeUndefined();
    await sink.stop();
    await sink.stop();
    expect(driver.canRefresh).toBe(false);
    await source.stop();
    expect((await driver.refreshDevices())?.map((device) => device.id)).toEqual(['ALSA:mic:0', 'ALSA:speaker:0']);
  });

  it('a missing naudiodon is an open_failed AudioDeviceError', async () => {
    const driver = new NaudiodonDriver({
      load: () => {
        throw new AudioDeviceError('open_failed', 'cannot load naudiodon (PortAudio): libasound.so.2: cannot open shared object file');
      },
    });
    await expect(driver.listDevices()).rejects.toMatchObject({ code: 'open_failed' });
  });
});
