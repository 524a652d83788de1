import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudioDeviceError, encodeWav, FrameClock, NullDriver, parseWav, WavFileDriver } from '../../../../main/core/audio/index.js';
import { SharedFrameClock } from '../../../../main/core/audio/frame-clock.js';
import { tempDir } from '../../../helpers/temp-dir.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());
const now = () => Date.now();
const format = { sampleRate: 8000, channels: 1, frameMs: 20 };

describe('FrameClock', () => {
  it('ticks once per frame without drifting, and catches up a bounded number after a stall', () => {
    const clock = new FrameClock({ frameMs: 20, now, maxCatchUp: 3 });
    let ticks = 0;
    clock.start(() => ticks++);
    vi.advanceTimersByTime(1000);
    expect(ticks).toBe(50);
    // A stall: the event loop was blocked for 200 ms (10 frames); at the next timer 3 frames run
    // at once and the rest are skipped, so the clock is back on schedule afterwards.
    vi.setSystemTime(Date.now() + 200);
    vi.advanceTimersByTime(20);
    expect(ticks).toBe(53);
    vi.advanceTimersByTime(20);
    expect(ticks).toBe(54);
    clock.stop();
    vi.advanceTimersByTime(1000);
    expect(ticks).toBe(54);
  });

  it('re-arms its one timer while on time, and makes a shorter one only to catch up', () => {
    const made = vi.spyOn(globalThis, 'setTimeout');
    try {
      const clock = new FrameClock({ frameMs: 20, now });
      let ticks = 0;
      clock.start(() => ticks++);
      vi.advanceTimersByTime(1000);
      expect(ticks).toBe(50);
      expect(made).toHaveBeenCalledTimes(1);
      // The event loop was busy for 7 ms: the next frame runs 7 ms late (more than a quarter
      // frame), so the one after is due 13 ms later, not 20; then one frame at a time again.
      vi.setSystemTime(Date.now() + 7);
      vi.advanceTimersByTime(20);
      expect(ticks).toBe(51);
      expect(made).toHaveBeenCalledTimes(2);
      expect(made.mock.calls.at(-1)?.[1]).toBe(13);
      vi.advanceTimersByTime(13);
      expect(ticks).toBe(52);
      expect(made.mock.calls.at(-1)?.[1]).toBe(20);
      vi.advanceTimersByTime(400);
      expect(ticks).toBe(72);
      expect(made).toHaveBeenCalledTimes(3);
      clock.stop();
    } finally {
      made.mockRestore();
    }
  });
});

describe('SharedFrameClock', () => {
  it('ticks all its members on one timer, in the order they joined, while any remains', () => {
    const clock = new SharedFrameClock({ frameMs: 20, now });
    const ticks: string[] = [];
    const leaveA = clock.join(() => ticks.push('a'));
    const leaveB = clock.join(() => ticks.push('b'));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(40);
    expect(ticks).toEqual(['a', 'b', 'a', 'b']);
    leaveA();
    leaveA();
    vi.advanceTimersByTime(20);
    expect(ticks.slice(4)).toEqual(['b']);
    leaveB();
    expect(clock.running).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100);
    expect(ticks).toHaveLength(5);
  });

  it('does not tick a member that left during the same frame', () => {
    const clock = new SharedFrameClock({ frameMs: 20, now });
    const ticks: string[] = [];
    let leaveB = () => {};
    clock.join(() => {
      ticks.push('a');
      leaveB();
    });
    leaveB = clock.join(() => ticks.push('b'));
    vi.advanceTimersByTime(40);
    expect(ticks).toEqual(['a', 'a']);
  });
});

describe('WavFileDriver', () => {
  it('runs a source and a sink of one driver on one timer', async () => {
    const output = join(tempDir(), 'out.wav');
    const driver = new WavFileDriver({ output, now });
    const source = await driver.openSource(undefined, format);
    const sink = await driver.openSink(undefined, format);
    const order: string[] = [];
    source.start(() => order.push('source'));
    sink.start(() => {
      order.push('sink');
      return new Int16Array(160).fill(order.length);
    });
    expect(vi.getTimerCount()).toBe(1);
    // 300 ms: more than one write block; all of it is in the file once the sink stops.
    vi.advanceTimersByTime(300);
    expect(order.slice(0, 4)).toEqual(['source', 'sink', 'source', 'sink']);
    await source.stop();
    await sink.stop();
    expect(vi.getTimerCount()).toBe(0);
    const written = parseWav(readFileSync(output));
    expect(written.samples.length).toBe(15 * 160);
    expect(written.samples[0]).toBe(2);
    expect(written.samples[14 * 160]).toBe(30);
  });

  it('plays a WAV as the microphone at real time, looping', async () => {
    const input = join(tempDir(), 'in.wav');
    writeFileSync(input, encodeWav({ sampleRate: 8000, channels: 1, samples: Int16Array.from({ length: 240 }, (_, i) => i) }));
    const source = await new WavFileDriver({ input, now }).openSource(undefined, format);
    const frames: Int16Array[] = [];
    source.start((frame) => frames.push(frame));
    vi.advanceTimersByTime(100);
    expect(frames).toHaveLength(5);
    expect(frames.every((f) => f.length === 160)).toBe(true);
    expect([...frames[0]!.subarray(0, 3)]).toEqual([0, 1, 2]);
    // Frame 2 wraps: samples 160..239 then 0..79.
    expect(frames[1]![79]).toBe(239);
    expect(frames[1]![80]).toBe(0);
    await source.stop();
  });

  it('goes silent after the end when not looping', async () => {
    const input = join(tempDir(), 'in.wav');
    writeFileSync(input, encodeWav({ sampleRate: 8000, channels: 1, samples: Int16Array.from({ length: 200 }, () => 7) }));
    const source = await new WavFileDriver({ input, loop: false, now }).openSource(undefined, format);
    const frames: Int16Array[] = [];
    source.start((frame) => frames.push(frame));
    vi.advanceTimersByTime(60);
    expect(frames.map((f) => f.filter((s) => s === 7).length)).toEqual([160, 40, 0]);
    await source.stop();
  });

  it('writes what the speaker pulls to a WAV file, padding short frames', async () => {
    const output = join(tempDir(), 'out.wav');
    const sink = await new WavFileDriver({ output, now }).openSink(undefined, format);
    let n = 0;
    sink.start(() => (n++ === 1 ? new Int16Array(10).fill(5) : new Int16Array(160).fill(n)));
    vi.advanceTimersByTime(60);
    await sink.stop();
    const written = parseWav(readFileSync(output));
    expect(written.sampleRate).toBe(8000);
    expect(written.samples.length).toBe(480);
    expect(written.samples[0]).toBe(1);
    expect(written.samples[160]).toBe(5);
    expect(written.samples[170]).toBe(0);
    expect(written.samples[320]).toBe(3);
  });

  it('converts an input file at another rate or in stereo to a mono microphone; refuses it for a stereo one', async () => {
    const input = join(tempDir(), 'in.wav');
    const stereo = Int16Array.from({ length: 16000 * 2 }, (_, i) => (i % 2 === 0 ? 1 : -1) * Math.round(8000 * Math.sin((2 * Math.PI * 1000 * Math.floor(i / 2)) / 16000)));
    writeFileSync(input, encodeWav({ sampleRate: 16000, channels: 2, samples: stereo.map((v, i) => (i % 2 === 0 ? v : 0)) }));
    const source = await new WavFileDriver({ input, loop: false }).openSource(undefined, format);
    const frames: Int16Array[] = [];
    source.start((pcm) => frames.push(pcm));
    await expect.poll(() => frames.length, { timeout: 2000 }).toBeGreaterThanOrEqual(10);
    await source.stop();
    const pcm = frames.slice(2, 10).flatMap((f) => [...f]);
    // Half the amplitude (one channel of two averaged), at 8 kHz: 1 kHz is 8 samples a period.
    const peak = Math.max(...pcm.map(Math.abs));
    expect(peak).toBeGreaterThan(3500);
    expect(peak).toBeLessThan(4500);
    const crossings = pcm.filter((v, i) => i > 0 && Math.sign(v) !== Math.sign(pcm[i - 1]!) && v !== 0).length;
    expect(crossings / (pcm.length / 8000)).toBeCloseTo(2000, -2);
    await expect(new WavFileDriver({ input }).openSource(undefined, { ...format, channels: 2 })).rejects.toMatchObject({ name: 'AudioDeviceError', code: 'unsupported_format' });
    await expect(new WavFileDriver({ input: join(tempDir(), 'missing.wav') }).openSource(undefined, format)).rejects.toBeInstanceOf(AudioDeviceError);
  });
});

describe('NullDriver', () => {
  it('gives silence and discards, at real-time pace', async () => {
    const driver = new NullDriver();
    expect((await driver.listDevices()).map((d) => d.name)).toEqual(['silence', 'discard']);
    const source = await driver.openSource(undefined, format);
    const frames: Int16Array[] = [];
    source.start((f) => frames.push(f));
    vi.advanceTimersByTime(40);
    expect(frames).toHaveLength(2);
    expect(frames.every((f) => f.every((s) => s === 0))).toBe(true);
    await source.stop();
  });
});
