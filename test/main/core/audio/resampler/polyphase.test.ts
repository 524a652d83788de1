import { describe, expect, it } from 'vitest';
import { DEFAULT_QUALITY, PolyphaseResampler, polyphaseResampler, polyphaseResamplerFactory } from '../../../../../main/core/audio/resampler/index.js';
import { LinearResampler, ResamplerError, type Resampler } from '../../../../../main/core/media/stream/resampler.js';

const RATES = [8000, 16000, 32000, 44100, 48000] as const;
const PAIRS: [number, number][] = RATES.flatMap((from) => RATES.filter((to) => to !== from).map((to): [number, number] => [from, to]));

function tone(rate: number, frequency: number, length: number, amplitude: number): Int16Array {
  const pcm = new Int16Array(length);
  for (let i = 0; i < length; i++) pcm[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / rate));
  return pcm;
}

/** Deterministic white-ish noise, for signals with energy at every frequency. */
function noise(length: number, amplitude: number, seed = 12345): Int16Array {
  const pcm = new Int16Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    pcm[i] = Math.round((state / 2 ** 32 - 0.5) * 2 * amplitude);
  }
  return pcm;
}

/** Amplitude of the `frequency` component of `pcm` (Goertzel), exact when the window holds whole cycles. */
function goertzel(pcm: Int16Array, rate: number, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const sample of pcm) {
    const s0 = sample + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * Math.sqrt(Math.max(power, 0))) / pcm.length;
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const sample of pcm) sum += sample * sample;
  return Math.sqrt(sum / pcm.length);
}

const dB = (ratio: number): number => 20 * Math.log10(ratio);

/** Feeds `input` in pieces of the given sizes, cycling through them, and joins the outputs. */
function feed(resampler: Resampler, input: Int16Array, sizes: readonly number[]): Int16Array {
  const parts: Int16Array[] = [];
  let at = 0;
  for (let i = 0; at < input.length; i++) {
    const size = sizes[i % sizes.length]!;
    parts.push(resampler.process(input.subarray(at, at + size)));
    at += size;
  }
  const joined = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

describe('PolyphaseResampler: tones', () => {
  it.each(PAIRS)('%i → %i Hz keeps a tone’s frequency, level (±0.5 dB) and phase, delayed by `delay`', (from, to) => {
    for (const frequency of [1000, 3000]) {
      const amplitude = 10000;
      const resampler = new PolyphaseResampler(from, to);
      // One second in 20 ms blocks, the device path's size.
      const output = feed(resampler, tone(from, frequency, from, amplitude), [from / 50]);
      expect(Math.abs(output.length - to)).toBeLessThanOrEqual(Math.ceil(to / from));
      // 100 ms (whole cycles at any of the rates) well after the filter has filled.
      const start = Math.ceil(resampler.delay) + to / 5;
      const window = output.subarray(start, start + to / 10);
      const level = goertzel(window, to, frequency);
      expect(Math.abs(dB(level / amplitude))).toBeLessThan(0.5);
      // Frequency kept: the tone holds (nearly) all the energy, nothing else was made.
      expect(dB(rms(window) / (level / Math.SQRT2))).toBeLessThan(0.01);
      expect(goertzel(window, to, frequency + 100)).toBeLessThan(amplitude * 1e-3);
      // Delay as reported: output k is the input at (k − delay)/to.
      let error = 0;
      for (let k = 0; k < window.length; k++) {
        const ideal = amplitude * Math.sin((2 * Math.PI * frequency * (start + k - resampler.delay)) / to);
        error += (window[k]! - ideal) ** 2;
      }
      expect(dB(Math.sqrt(error / window.length) / (amplitude / Math.SQRT2))).toBeLessThan(-60);
    }
  });

  it('keeps a constant exactly constant once the filter has filled', () => {
    for (const [from, to] of PAIRS) {
      const resampler = new PolyphaseResampler(from, to);
      const output = feed(resampler, new Int16Array(from / 2).fill(1000), [160]);
      const settled = output.subarray(Math.ceil(2 * resampler.delay) + 1);
      expect(settled.length).toBeGreaterThan(0);
      expect(settled.every((s) => s === 1000)).toBe(true);
    }
  });
});

describe('PolyphaseResampler: aliasing', () => {
  // 48 kHz → 8 kHz: a 6 kHz tone lies above the 4 kHz Nyquist and folds to 2 kHz without a filter.
  const from = 48000;
  const to = 8000;
  const amplitude = 30000;
  const aliasLevel = (resampler: Resampler): number => {
    const output = feed(resampler, tone(from, 6000, from, amplitude), [960]);
    // Skip the first 100 ms (the filter filling), measure 100 ms: whole cycles of 2 kHz.
    return dB(goertzel(output.subarray(800, 1600), to, 2000) / amplitude);
  };

  it('attenuates a 6 kHz tone by at least 50 dB at every call quality', () => {
    for (const quality of [3, 4, 5]) expect(aliasLevel(new PolyphaseResampler(from, to, { quality }))).toBeLessThan(-50);
  });

  it('documents that the linear interpolator does not (the alias comes through at full level)', () => {
    expect(aliasLevel(new LinearResampler(from, to))).toBeGreaterThan(-50);
    expect(aliasLevel(new LinearResampler(from, to))).toBeGreaterThan(-3);
  });

  it('also filters 48 kHz → 16 kHz (10 kHz tone folding to 6 kHz) and 44.1 kHz → 8 kHz', () => {
    const down16 = feed(new PolyphaseResampler(48000, 16000), tone(48000, 10000, 48000, amplitude), [960]);
    expect(dB(goertzel(down16.subarray(1600, 3200), 16000, 6000) / amplitude)).toBeLessThan(-50);
    // 44.1 kHz: 5 kHz folds to 3 kHz at 8 kHz.
    const down8 = feed(new PolyphaseResampler(44100, 8000), tone(44100, 5000, 44100, amplitude), [882]);
    expect(dB(goertzel(down8.subarray(800, 1600), 8000, 3000) / amplitude)).toBeLessThan(-50);
  });
});

describe('PolyphaseResampler: streaming', () => {
  const signal = (rate: number): Int16Array => {
    const pcm = noise(rate / 2, 8000);
    // A full-scale tone on top, to exercise the clamp too.
    const loud = tone(rate, 440, rate / 2, 26000);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, pcm[i]! + loud[i]!));
    return pcm;
  };

  it.each(PAIRS)('%i → %i Hz gives the same output sample for sample whatever the block sizes', (from, to) => {
    const input = signal(from);
    const reference = feed(new PolyphaseResampler(from, to), input, [input.length]);
    for (const sizes of [[160], [320], [960], [7], [1, 2, 159, 961, 13, 0, 441]]) {
      expect(feed(new PolyphaseResampler(from, to), input, sizes)).toEqual(reference);
    }
  });

  it('turns silence into silence, from the start and after a signal and a reset', () => {
    for (const [from, to] of PAIRS) {
      const resampler = new PolyphaseResampler(from, to);
      expect(feed(resampler, new Int16Array(from / 5), [160]).every((s) => s === 0)).toBe(true);
      resampler.process(signal(from).subarray(0, 1000));
      resampler.reset();
      expect(feed(resampler, new Int16Array(from / 5), [160]).every((s) => s === 0)).toBe(true);
    }
  });

  it('reset forgets the history and the phase: the output is that of a new resampler', () => {
    const input = signal(44100);
    const fresh = feed(new PolyphaseResampler(44100, 48000), input, [441]);
    const used = new PolyphaseResampler(44100, 48000);
    // 1001 input samples leave a fractional phase and a non-silent history.
    used.process(input.subarray(0, 1001));
    used.reset();
    expect(feed(used, input, [441])).toEqual(fresh);
  });

  it('resamples interleaved stereo as two independent mono channels', () => {
    const left = signal(48000);
    const right = noise(24000, 5000, 777);
    const stereo = new Int16Array(2 * left.length);
    for (let i = 0; i < left.length; i++) {
      stereo[2 * i] = left[i]!;
      stereo[2 * i + 1] = right[i]!;
    }
    const output = feed(new PolyphaseResampler(48000, 16000, { channels: 2 }), stereo, [2 * 7, 2 * 160, 2 * 961]);
    const monoLeft = feed(new PolyphaseResampler(48000, 16000), left, [960]);
    const monoRight = feed(new PolyphaseResampler(48000, 16000), right, [960]);
    expect(output.length).toBe(2 * monoLeft.length);
    expect(output.filter((_, i) => i % 2 === 0)).toEqual(monoLeft);
    expect(output.filter((_, i) => i % 2 === 1)).toEqual(monoRight);
  });
});

describe('PolyphaseResampler: setup', () => {
  it('reports the group delay: half the filter, in output samples (and input samples)', () => {
    const down = new PolyphaseResampler(48000, 8000, { quality: 4 });
    expect(down.inputDelay).toBe(192); // 64 taps at 8 kHz = 384 at 48 kHz, as Speex's input latency
    expect(down.delay).toBe(32);
    const up = new PolyphaseResampler(8000, 48000, { quality: 4 });
    expect(up.inputDelay).toBe(32);
    expect(up.delay).toBe(192);
    expect(new PolyphaseResampler(44100, 48000).delay).toBeCloseTo((32 * 48000) / 44100, 9);
    expect(new PolyphaseResampler(8000, 16000).quality).toBe(DEFAULT_QUALITY);
  });

  it('the factories give the identity at equal rates and a quality resampler otherwise', () => {
    const pcm = Int16Array.of(1, 2, 3);
    expect(polyphaseResampler(8000, 8000).process(pcm)).toBe(pcm);
    expect(polyphaseResampler(8000, 48000)).toBeInstanceOf(PolyphaseResampler);
    const best = polyphaseResamplerFactory({ quality: 10 })(48000, 8000);
    expect(best).toBeInstanceOf(PolyphaseResampler);
    expect((best as PolyphaseResampler).quality).toBe(10);
  });

  it('refuses nonsense with ResamplerError', () => {
    expect(() => new PolyphaseResampler(0, 8000)).toThrow(ResamplerError);
    expect(() => new PolyphaseResampler(8000, 44100.5)).toThrow(ResamplerError);
    expect(() => new PolyphaseResampler(8000, 16000, { quality: 11 })).toThrow(ResamplerError);
    expect(() => new PolyphaseResampler(8000, 16000, { channels: 0 })).toThrow(ResamplerError);
    expect(() => new PolyphaseResampler(8000, 16000, { channels: 2 }).process(new Int16Array(3))).toThrow(ResamplerError);
    // Coprime large rates would need a table of millions of phases.
    expect(() => new PolyphaseResampler(48000, 47999)).toThrow(ResamplerError);
  });
});
