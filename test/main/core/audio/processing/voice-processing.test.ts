import { describe, expect, it } from 'vitest';
import { AutomaticGainControl, createVoiceProcessor, EchoCancellerCore, Fft } from '../../../../../main/core/audio/processing/index.js';
import * as S from './signals.js';

const RATE = 16000;

describe('Fft', () => {
  it('inverse(forward(x)) = x and matches a DFT bin', () => {
    const fft = new Fft(64);
    const r = S.rng(1);
    const x = Float64Array.from({ length: 64 }, () => r() - 0.5);
    const re = x.slice();
    const im = new Float64Array(64);
    fft.forward(re, im);
    let dr = 0;
    for (let n = 0; n < 64; n++) dr += x[n]! * Math.cos((2 * Math.PI * 5 * n) / 64);
    expect(re[5]).toBeCloseTo(dr, 9);
    fft.inverse(re, im);
    for (let n = 0; n < 64; n++) expect(re[n]).toBeCloseTo(x[n]!, 9);
  });
});

describe('noise suppression', () => {
  // Speech-like signal at −20 dBFS (active RMS) plus noise at −25 dBFS: 5 dB SNR over speech.
  for (const [kind, level, minGain] of [
    ['white', 'high', 8],
    ['white', 'low', 6],
    ['pink', 'high', 6],
    ['pink', 'low', 4],
  ] as const) {
    it(`${kind} noise, ${level}: SNR improves by ≥ ${minGain} dB`, () => {
      const speech = S.speechLike(RATE, 8, 1, -20);
      const input = S.add(speech.signal, S.noise(speech.signal.length, 2, -25, kind));
      const p = createVoiceProcessor({ sampleRate: RATE, noiseSuppression: level });
      const out = S.run((n) => p.process(n), S.toInt16(input), 320);
      const before = S.alignedSnr(speech.signal, input, 0, RATE * 2).snr;
      const after = S.alignedSnr(speech.signal, out, 1024, RATE * 2);
      expect(after.lag).toBe(p.latencySamples);
      expect(after.snr - before).toBeGreaterThanOrEqual(minGain);
    });
  }

  it("'off' passes the signal through unchanged", () => {
    const x = S.toInt16(S.noise(1600, 3, -20));
    const p = createVoiceProcessor({ sampleRate: RATE, noiseSuppression: 'off' });
    expect(p.latencySamples).toBe(0);
    expect(Array.from(S.run((n) => p.process(n), x, 160))).toEqual(Array.from(x));
  });

  it('works at 8 and 48 kHz with 10 ms frames', () => {
    for (const rate of [8000, 48000] as const) {
      const speech = S.speechLike(rate, 6, 1, -20);
      const input = S.add(speech.signal, S.noise(speech.signal.length, 2, -25));
      const p = createVoiceProcessor({ sampleRate: rate, noiseSuppression: 'high' });
      const out = S.run((n) => p.process(n), S.toInt16(input), rate / 100);
      const gain = S.alignedSnr(speech.signal, out, 2048, rate * 2).snr - S.alignedSnr(speech.signal, input, 0, rate * 2).snr;
      expect(gain).toBeGreaterThanOrEqual(6);
    }
  });
});

function activeLevelDb(x: ArrayLike<number>, active: Uint8Array, from: number, to: number): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) if (active[i]) {
    s += x[i]! ** 2;
    c++;
  }
  return 20 * Math.log10(Math.sqrt(s / c) / 32768);
}

describe('automatic gain control', () => {
  for (const level of [-40, -10]) {
    it(`brings speech at ${level} dBFS to −20 dBFS ±3 dB within 3 s, without clipping`, () => {
      const speech = S.speechLike(RATE, 8, 7, level);
      const input = S.add(speech.signal, S.noise(speech.signal.length, 8, level - 30));
      const agc = new AutomaticGainControl(RATE);
      const out = S.run((n) => agc.process(n), S.toInt16(input), 320);
      expect(Math.abs(activeLevelDb(out, speech.active, 3 * RATE, 8 * RATE) + 20)).toBeLessThan(3);
      let peak = 0;
      for (const v of out) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeLessThan(32767);
    });
  }

  it('releases slowly: after a loud burst the gain rises at most ~8 dB/s', () => {
    const agc = new AutomaticGainControl(RATE);
    const loud = S.speechLike(RATE, 3, 9, -5);
    const quiet = S.speechLike(RATE, 3, 10, -35);
    S.run((n) => agc.process(n), S.toInt16(loud.signal), 320);
    const g0 = agc.currentGainDb;
    S.run((n) => agc.process(n.subarray(0, 320)), S.toInt16(quiet.signal.subarray(0, RATE)), 320);
    expect(agc.currentGainDb - g0).toBeLessThanOrEqual(8.5);
    expect(agc.currentGainDb - g0).toBeGreaterThan(2);
  });

  it('does not amplify silence or stationary noise', () => {
    for (const level of [-90, -60, -45]) {
      const agc = new AutomaticGainControl(RATE);
      const x = S.toInt16(level < -85 ? new Float64Array(RATE * 5) : S.noise(RATE * 5, 11, level, 'pink'));
      const out = S.run((n) => agc.process(n), x, 320);
      expect(agc.currentGainDb).toBeLessThanOrEqual(1);
      expect(S.energy(out)).toBeLessThanOrEqual(S.energy(x) * 1.3 + 1);
    }
  });
});

describe('acoustic echo cancellation', () => {
  // Far-end speech through a synthetic room (15 ms bulk delay + 100 ms exponentially decaying
  // noise, −10 dB echo path) plus near-end speech from 5 to 7 s (double talk) and −70 dBFS noise.
  const far = S.speechLike(RATE, 12, 3, -20);
  const nearSpeech = S.speechLike(RATE, 12, 4, -20);
  const echo = S.convolve(far.signal, S.roomImpulseResponse(RATE, 5, 15, 100, -10));
  const near = new Float64Array(echo.length);
  for (let i = 5 * RATE; i < 7 * RATE; i++) near[i] = nearSpeech.signal[i]!;
  const mic = S.add(echo, near, S.noise(echo.length, 9, -70));

  function runAec(residualSuppression: boolean): { out: Int16Array; latency: number } {
    const p = createVoiceProcessor({ sampleRate: RATE, echoCancellation: { residualSuppression } });
    return { out: S.run((n, f) => p.process(n, f), S.toInt16(mic), 320, S.toInt16(far.signal)), latency: p.latencySamples };
  }
  const erle = (out: Int16Array, latency: number, from: number, to: number): number =>
    10 * Math.log10(S.energy(mic, from * RATE, to * RATE) / S.energy(out, from * RATE + latency, to * RATE + latency));

  it('covers ≥ 128 ms of echo path', () => {
    expect(new EchoCancellerCore(128, RATE).filterLength / RATE).toBeGreaterThanOrEqual(0.128);
  });

  it('ERLE ≥ 20 dB after 2 s of far-end speech, kept after double talk; near-end speech preserved', () => {
    const { out, latency } = runAec(true);
    expect(erle(out, latency, 2, 5)).toBeGreaterThanOrEqual(20);
    expect(erle(out, latency, 7.5, 11.5)).toBeGreaterThanOrEqual(17);
    let c = 0;
    let ss = 0;
    for (let i = 5 * RATE; i < 7 * RATE; i++) {
      c += near[i]! * out[i + latency]!;
      ss += near[i]! ** 2;
    }
    expect(Math.abs(20 * Math.log10(c / ss))).toBeLessThan(3);
  });

  it('linear filter alone reaches ≥ 18 dB ERLE', () => {
    const { out, latency } = runAec(false);
    expect(erle(out, latency, 2, 5)).toBeGreaterThanOrEqual(18);
  });

  it('the double-talk detector freezes adaptation (no divergence)', () => {
    const aec = new EchoCancellerCore(128, RATE, { residualSuppression: false });
    const block = new Float64Array(128);
    for (let i = 0; i + 128 <= mic.length; i += 128) {
      block.set(mic.subarray(i, i + 128));
      aec.processBlock(block, far.signal.slice(i, i + 128));
    }
    expect(aec.doubleTalkBlocks).toBeGreaterThan(0);
  });
});
