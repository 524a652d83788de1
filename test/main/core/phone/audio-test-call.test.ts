/**
 * The audio test call through a real core and the WAV-file driver: a tone goes into the
 * "microphone", travels G.722 → RTP on loopback → jitter buffer → the echo peer and back, and
 * the "speaker" recording has it about half a second later. Level meters read the tone's level;
 * volumes move it by their gain (50 % = −6 dB).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/contract.js';
import { encodeWav, parseWav, WavFileDriver } from '../../../../main/core/audio/index.js';
import { applyVolume, LevelMeter, rmsDbfs } from '../../../../main/core/phone/audio-levels.js';
import { goertzelPower } from '../../../interop/lab/audio.js';
import { testCore } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const RATE = 16000; // G.722's PCM rate: the WAV driver opens the devices at the codec's rate
const HZ = 1000;
const AMPLITUDE = 8000;
/** RMS of a sine of that amplitude, in dBFS: 20·log10(A/√2/32768) ≈ −15.2. */
const TONE_DBFS = 20 * Math.log10(AMPLITUDE / Math.SQRT2 / 32768);
const LEAD_IN_S = 0.3;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function input(dir: string): string {
  const lead = Math.round(LEAD_IN_S * RATE);
  const samples = Int16Array.from({ length: lead + RATE }, (_, i) => (i < lead ? 0 : Math.round(AMPLITUDE * Math.sin((2 * Math.PI * HZ * (i - lead)) / RATE))));
  const path = join(dir, 'mic.wav');
  writeFileSync(path, encodeWav({ sampleRate: RATE, channels: 1, samples }));
  return path;
}

/** When the recording first gets loud (20 ms windows above −40 dBFS), in seconds. */
function onset(samples: Int16Array): number | undefined {
  const window = RATE / 50;
  for (let at = 0; at + window <= samples.length; at += window) if (rmsDbfs(samples.subarray(at, at + window)) > -40) return at / RATE;
  return undefined;
}

async function runTest(options: { microphone?: number; speaker?: number } = {}) {
  const dir = tempDir();
  const recording = join(dir, 'speaker.wav');
  const { core } = await testCore({ audio: { driver: new WavFileDriver({ input: input(dir), output: recording, loop: false }) } });
  const levels: EventPayload<'audio.level'>[] = [];
  const devices: EventPayload<'audio.devices'>[] = [];
  core.subscribe((name, payload) => {
    if (name === 'audio.level') levels.push(payload as EventPayload<'audio.level'>);
    if (name === 'audio.devices') devices.push(payload as EventPayload<'audio.devices'>);
  });
  if (options.microphone !== undefined || options.speaker !== undefined) await core.handlers['audio.volume'](options);
  const started = Date.now();
  expect(await core.handlers['audio.test']({ running: true })).toEqual({ running: true });
  expect((await core.handlers['audio.devices']({})).testRunning).toBe(true);
  await sleep(2000);
  expect(await core.handlers['audio.test']({ running: false })).toEqual({ running: false });
  const elapsed = (Date.now() - started) / 1000;
  expect(devices.map((d) => d.testRunning).slice(-2)).toEqual([true, false]);
  return { samples: parseWav(readFileSync(recording)).samples, levels, elapsed };
}

describe('audio test call', () => {
  it('plays the microphone back on the speaker about half a second later, through the codec', async () => {
    const { samples, levels, elapsed } = await runTest();
    const heardAt = onset(samples);
    expect(heardAt).toBeDefined();
    const delay = heardAt! - LEAD_IN_S;
    expect(delay).toBeGreaterThan(0.45);
    expect(delay).toBeLessThan(0.85);
    // What comes back is the tone: 1 kHz dominates 600 Hz by far in the echoed part.
    const start = Math.round((heardAt! + 0.1) * RATE);
    const n = Math.round(0.4 * RATE);
    const floats = Float64Array.from(samples, (s) => s / 32768);
    expect(goertzelPower(floats, start, n, HZ, RATE)).toBeGreaterThan(100 * goertzelPower(floats, start, n, 600, RATE));
    // ~10 Hz level events while it ran, the loudest input at the tone's level.
    expect(levels.length).toBeGreaterThan(elapsed * 10 * 0.6);
    expect(levels.length).toBeLessThan(elapsed * 10 * 1.5 + 3);
    const loudestInput = Math.max(...levels.map((l) => l.input));
    expect(Math.abs(loudestInput - TONE_DBFS)).toBeLessThan(1);
    const loudestOutput = Math.max(...levels.map((l) => l.output));
    expect(Math.abs(loudestOutput - TONE_DBFS)).toBeLessThan(1.5);
    // The meters fall back to silence once the test stops.
    await expect.poll(() => levels.at(-1), { timeout: 1000 }).toEqual({ input: -100, output: -100 });
  });

  it('applies the volumes as gain: 50 % reads 6 dB lower', async () => {
    const { levels } = await runTest({ microphone: 50, speaker: 200 });
    const input = Math.max(...levels.map((l) => l.input));
    const output = Math.max(...levels.map((l) => l.output));
    expect(Math.abs(input - (TONE_DBFS - 6.02))).toBeLessThan(1);
    // Halved on the way in, doubled on the way out: back near the tone's own level.
    expect(Math.abs(output - TONE_DBFS)).toBeLessThan(1.5);
  });

  it('refuses to mute a call that does not exist', async () => {
    const { core } = await testCore();
    await expect(core.handlers['calls.mute']({ callId: 'call-nope', muted: true })).rejects.toMatchObject({ code: 'not_found', field: 'callId' });
  });
});

describe('levels and volume', () => {
  it('measures RMS in dBFS, floored at −100', () => {
    expect(rmsDbfs(new Int16Array(160))).toBe(-100);
    expect(rmsDbfs(new Int16Array(160).fill(-32768))).toBe(0);
    const sine = Int16Array.from({ length: 1600 }, (_, i) => Math.round(AMPLITUDE * Math.sin((2 * Math.PI * HZ * i) / RATE)));
    expect(rmsDbfs(sine)).toBeCloseTo(TONE_DBFS, 1);
    expect(rmsDbfs(applyVolume(sine, 50))).toBeCloseTo(TONE_DBFS - 6.02, 1);
  });

  it('saturates instead of wrapping, and leaves 100 % alone', () => {
    const frame = Int16Array.from([20000, -20000, 100]);
    expect(applyVolume(frame, 100)).toBe(frame);
    expect([...applyVolume(frame, 200)]).toEqual([32767, -32768, 200]);
    expect([...applyVolume(frame, 0)]).toEqual([0, 0, 0]);
  });

  it('publishes the loudest frame of each interval, and stops after an idle one', async () => {
    const published: EventPayload<'audio.level'>[] = [];
    const meter = new LevelMeter({ intervalMs: 20, publish: (level) => published.push(level) });
    meter.microphone(new Int16Array(160).fill(3277)); // −20 dBFS
    meter.microphone(new Int16Array(160).fill(328)); // −40 dBFS
    meter.speaker(new Int16Array(160).fill(32767));
    await expect.poll(() => published.length).toBeGreaterThanOrEqual(2);
    expect(published[0]).toEqual({ input: -20, output: 0 });
    expect(published[1]).toEqual({ input: -100, output: -100 });
    await sleep(60);
    expect(meter.running).toBe(false);
    expect(published).toHaveLength(2);
  });
});
