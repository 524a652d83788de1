import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseWav, type WavAudio } from '../../../../../main/core/audio/index.js';
import {
  chooseRingtone,
  listRingtoneAssets,
  loadRingtoneAsset,
  resampleLinear,
  Ringtone,
  sinkPuller,
  ToneError,
} from '../../../../../main/core/audio/tones/index.js';
import { renderRingtones } from '../../../../../main/core/audio/tones/render-ringtones.js';
import { bursts, ms } from './signal-analysis.js';

const ASSETS = fileURLToPath(new URL('../../../../../assets/ringtones', import.meta.url));
const constant = (value: number, length: number, sampleRate = 8000): WavAudio => ({ sampleRate, channels: 1, samples: new Int16Array(length).fill(value) });

describe('Ringtone', () => {
  it('loops the asset with the pause between plays, sample for sample', () => {
    // 10 ms of sound, 5 ms of pause at 8 kHz.
    const player = new Ringtone(constant(1000, 80), { sampleRate: 8000, pauseMs: 5 });
    const out = player.pull(3 * 120);
    for (let cycle = 0; cycle < 3; cycle++) {
      expect(out.subarray(cycle * 120, cycle * 120 + 80).every((s) => s === 1000)).toBe(true);
      expect(out.subarray(cycle * 120 + 80, cycle * 120 + 120).every((s) => s === 0)).toBe(true);
    }
    expect(player.done).toBe(false);
  });

  it('keeps the loop exact however frames are cut', () => {
    const player = new Ringtone(constant(1000, 80), { sampleRate: 8000, pauseMs: 5 });
    const parts: number[] = [];
    while (parts.length < 1200) parts.push(...player.pull(7));
    const found = bursts(Int16Array.from(parts.slice(0, 1200)), 8000, 1);
    expect(found).toHaveLength(10);
    found.forEach((b, k) => {
      expect(b.start).toBe(k * 120);
      expect(b.end - b.start).toBe(80);
    });
  });

  it('plays a bundled ringtone with its pause at device rate', () => {
    const asset = loadRingtoneAsset(ASSETS, 'classic');
    const player = new Ringtone(asset, { sampleRate: 48_000, pauseMs: 2000 });
    const out = player.pull(48_000 * 6);
    const lengthMs = ms(asset.samples.length, asset.sampleRate);
    // Two trill bursts per play, each play every length + 2 s.
    const found = bursts(out, 48_000, 50);
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(ms(found[2]?.start ?? 0, 48_000)).toBeCloseTo(lengthMs + 2000, -1);
  });

  it('applies the volume, and can change it while ringing', () => {
    const player = new Ringtone(constant(1000, 80), { sampleRate: 8000, pauseMs: 0, volume: 0.5 });
    expect(player.pull(10).every((s) => s === 500)).toBe(true);
    player.volume = 0.25;
    expect(player.pull(10).every((s) => s === 250)).toBe(true);
    expect(() => (player.volume = 1.5)).toThrow(ToneError);
    expect(() => new Ringtone(constant(1000, 80), { sampleRate: 8000, volume: -1 })).toThrow(ToneError);
  });

  it('resamples by linear interpolation and mixes channels', () => {
    expect([...resampleLinear(Float32Array.from([0, 100, 200, 300]), 8000, 16_000)]).toEqual([0, 50, 100, 150, 200, 250, 300, 300]);
    expect([...resampleLinear(Float32Array.from([0, 100, 200, 300]), 16_000, 8000)]).toEqual([0, 200]);
    const stereo: WavAudio = { sampleRate: 8000, channels: 2, samples: Int16Array.from([100, 300, 100, 300]) };
    const player = new Ringtone(stereo, { sampleRate: 16_000, channels: 2, pauseMs: 0 });
    expect([...player.pull(8)]).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    const pull = sinkPuller(player, { sampleRate: 16_000, channels: 2, frameMs: 10 });
    expect(pull()).toHaveLength(320);
  });

  it('stops after the requested number of plays', () => {
    const player = new Ringtone(constant(1000, 80), { sampleRate: 8000, pauseMs: 5, loops: 2 });
    const out = player.pull(400);
    expect(player.done).toBe(true);
    expect(bursts(out, 8000, 1)).toEqual([
      { start: 0, end: 80 },
      { start: 120, end: 200 },
    ]);
  });

  it('fades out over 5 ms on stop, at once in the pause', () => {
    const player = new Ringtone(constant(10_000, 800), { sampleRate: 8000, pauseMs: 100 });
    player.pull(100);
    player.stop();
    const tail = player.pull(100);
    expect(tail[0]).toBe(10_000);
    expect(Math.abs(tail[20] ?? 0)).toBeLessThan(10_000);
    expect(tail.subarray(40).every((s) => s === 0)).toBe(true);
    expect(player.done).toBe(true);

    const pausing = new Ringtone(constant(10_000, 80), { sampleRate: 8000, pauseMs: 100 });
    pausing.pull(100);
    pausing.stop();
    expect(pausing.done).toBe(true);
  });

  it('refuses empty assets and bad options', () => {
    expect(() => new Ringtone(constant(0, 0), { sampleRate: 8000 })).toThrow(ToneError);
    expect(() => new Ringtone(constant(1, 8), { sampleRate: 8000, pauseMs: -1 })).toThrow(ToneError);
    expect(() => new Ringtone(constant(1, 8), { sampleRate: 8000, loops: 0 })).toThrow(ToneError);
    expect(() => new Ringtone(constant(1, 8), { sampleRate: 0 })).toThrow(ToneError);
  });
});

describe('bundled ringtone assets', () => {
  it('are small 16 kHz mono WAVs, reproducible from render-ringtones.ts', () => {
    const rendered = renderRingtones();
    expect(listRingtoneAssets(ASSETS)).toEqual([...rendered.keys()].sort());
    for (const [name, audio] of rendered) {
      const stored = parseWav(readFileSync(`${ASSETS}/${name}.wav`));
      expect(stored.sampleRate).toBe(16_000);
      expect(stored.channels).toBe(1);
      expect(stored.samples.length).toBeLessThanOrEqual(3 * 16_000);
      expect(stored.samples.length).toBe(audio.samples.length);
      // ±1 LSB: libm differences between platforms must not fail the check.
      let worst = 0;
      for (let i = 0; i < audio.samples.length; i++) worst = Math.max(worst, Math.abs((audio.samples[i] ?? 0) - (stored.samples[i] ?? 0)));
      expect(worst, name).toBeLessThanOrEqual(1);
    }
  });

  it('are the names chooseRingtone maps Alert-Info onto', () => {
    const available = listRingtoneAssets(ASSETS);
    expect(chooseRingtone('<http://pbx.example.com/>;info=alert-internal', available)).toEqual({ kind: 'asset', name: 'internal' });
    expect(() => loadRingtoneAsset(ASSETS, '../secrets')).toThrow(ToneError);
  });
});
