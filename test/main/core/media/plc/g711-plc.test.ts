import { describe, expect, it } from 'vitest';
import { G711Plc, PlcError } from '../../../../../main/core/media/plc/index.js';

const AMPLITUDE = 8000;

function sine(frequency: number, sampleRate: number, start: number, length: number): Int16Array {
  return Int16Array.from({ length }, (_, i) => Math.round(AMPLITUDE * Math.sin((2 * Math.PI * frequency * (start + i)) / sampleRate)));
}

/** 400 ms of a sine in 20 ms frames, frames [gapFrom, gapFrom + gapFrames) lost; returns the played signal, realigned. */
function run(frequency: number, gapMs: number, sampleRate: 8000 | 16000 = 8000) {
  const plc = new G711Plc({ sampleRate });
  const frame = (sampleRate * 20) / 1000;
  const gapFrom = 10;
  const gapFrames = gapMs / 20;
  const output: number[] = [];
  for (let index = 0; index < 20; index++) {
    const lost = index >= gapFrom && index < gapFrom + gapFrames;
    output.push(...(lost ? plc.conceal(frame) : plc.good(sine(frequency, sampleRate, index * frame, frame))));
  }
  const played = output.slice(plc.delaySamples);
  const gapStart = gapFrom * frame;
  return { played, gapStart, gapEnd: gapStart + gapFrames * frame, msSamples: sampleRate / 1000 };
}

function rms(samples: readonly number[]): number {
  return Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length));
}

/** Frequency from the spacing of the first and last zero crossing (half a period apart each). */
function zeroCrossingFrequency(samples: readonly number[], sampleRate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) if (((samples[i - 1] ?? 0) < 0) !== ((samples[i] ?? 0) < 0)) crossings.push(i);
  const span = (crossings.at(-1) ?? 0) - (crossings[0] ?? 0);
  return ((crossings.length - 1) / 2) * (sampleRate / span);
}

function maxStep(samples: readonly number[]): number {
  let max = 0;
  for (let i = 1; i < samples.length; i++) max = Math.max(max, Math.abs((samples[i] ?? 0) - (samples[i - 1] ?? 0)));
  return max;
}

describe('G711Plc (ITU-T G.711 Appendix I)', () => {
  it.each([200, 250, 310, 440])('a %d Hz sine keeps its frequency through a 40 ms gap', (frequency) => {
    const { played, gapStart, msSamples } = run(frequency, 40);
    const concealed = played.slice(gapStart, gapStart + 30 * msSamples);
    expect(zeroCrossingFrequency(concealed, 8000)).toBeGreaterThan(frequency * 0.93);
    expect(zeroCrossingFrequency(concealed, 8000)).toBeLessThan(frequency * 1.07);
  });

  it('follows the real waveform during the first 10 ms (pitch-synchronous repetition)', () => {
    const { played, gapStart, msSamples } = run(250, 20);
    const expected = Array.from(sine(250, 8000, gapStart, 10 * msSamples));
    const concealed = played.slice(gapStart, gapStart + 10 * msSamples);
    const error = rms(concealed.map((s, i) => s - (expected[i] ?? 0)));
    expect(error / rms(expected)).toBeLessThan(0.1);
  });

  it('full level for 10 ms, then 20 % less per 10 ms, and silence after 60 ms', () => {
    const { played, gapStart, msSamples } = run(250, 80);
    const reference = rms(Array.from(sine(250, 8000, 0, 10 * msSamples)));
    const level = (fromMs: number) => rms(played.slice(gapStart + fromMs * msSamples, gapStart + (fromMs + 10) * msSamples)) / reference;
    expect(level(0)).toBeCloseTo(1, 1);
    const levels = [10, 20, 30, 40, 50].map(level);
    // The ramp runs 1 → 0.8 over 10–20 ms, 0.8 → 0.6 over 20–30 ms...: its mean is 0.9, 0.7, 0.5, 0.3, 0.1.
    [0.9, 0.7, 0.5, 0.3, 0.1].forEach((expected, i) => expect(levels[i]).toBeCloseTo(expected, 1));
    expect(played.slice(gapStart + 60 * msSamples, gapStart + 80 * msSamples).every((s) => s === 0)).toBe(true);
  });

  it.each([20, 40, 80])('no clicks at the joins of a %d ms gap (bounded sample-to-sample step)', (gapMs) => {
    const frequency = 310;
    const { played } = run(frequency, gapMs);
    const natural = AMPLITUDE * 2 * Math.sin((Math.PI * frequency) / 8000);
    expect(maxStep(played)).toBeLessThanOrEqual(natural * 1.35);
  });

  it('returns to the real signal after the gap', () => {
    const { played, gapEnd, msSamples } = run(250, 40);
    const after = played.slice(gapEnd + 10 * msSamples, gapEnd + 20 * msSamples);
    const expected = Array.from(sine(250, 8000, gapEnd + 10 * msSamples, 10 * msSamples));
    expect(after).toEqual(expected);
  });

  it('works at 16 kHz (G.722 PCM)', () => {
    const { played, gapStart, msSamples } = run(440, 40, 16000);
    const concealed = played.slice(gapStart, gapStart + 30 * msSamples);
    expect(zeroCrossingFrequency(concealed, 16000)).toBeGreaterThan(440 * 0.93);
    expect(zeroCrossingFrequency(concealed, 16000)).toBeLessThan(440 * 1.07);
    expect(maxStep(played)).toBeLessThanOrEqual(AMPLITUDE * 2 * Math.sin(Math.PI * 440 / 16000) * 1.35);
  });

  it('refuses frames that are not whole 10 ms frames', () => {
    expect(() => new G711Plc().conceal(100)).toThrow(PlcError);
    expect(() => new G711Plc().good(new Int16Array(0))).toThrow(PlcError);
  });
});
