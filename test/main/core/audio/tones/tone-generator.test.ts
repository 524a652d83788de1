import { describe, expect, it } from 'vitest';
import {
  BELLCORE_RINGS,
  callProgressTone,
  cycleDurationMs,
  dtmfFeedbackPlan,
  dtmfPair,
  off,
  on,
  peakAmplitude,
  renderTone,
  sinkPuller,
  TONE_REGIONS,
  ToneError,
  ToneGenerator,
  type CallProgressTone,
  type TonePlan,
} from '../../../../../main/core/audio/tones/index.js';
import { bursts, goertzelAmplitude, ms } from './signal-analysis.js';

const RATES = [8000, 16_000, 48_000] as const;
const TONES: readonly CallProgressTone[] = ['dial', 'ringback', 'busy', 'congestion', 'callWaiting'];
/** −13 dBm0 per component (E.180's per-tone level for dual tones). */
const A = peakAmplitude({ dBm0: -13 });

interface ExpectedBurst {
  readonly startMs: number;
  readonly endMs: number;
  readonly frequencies: readonly number[];
}

/** The sounding segments of `cycles` cycles, in ms from the start. */
function expectedBursts(plan: TonePlan, cycles: number): ExpectedBurst[] {
  const out: ExpectedBurst[] = [];
  const cycle = cycleDurationMs(plan);
  for (let c = 0; c < cycles; c++) {
    let at = c * cycle;
    for (const segment of plan.segments) {
      if (segment.frequencies.length > 0) out.push({ startMs: at, endMs: at + segment.durationMs, frequencies: segment.frequencies });
      at += segment.durationMs;
    }
  }
  return out;
}

/** Renders the plan and checks every burst's edges (±5 ms) and spectrum (expected pair at level, nothing else). */
function checkPlan(plan: TonePlan, sampleRate: number): void {
  const cycles = plan.repeat ? 2 : 1;
  const durationMs = cycles * cycleDurationMs(plan) + (plan.repeat ? 0 : 200);
  const pcm = renderTone(plan, { sampleRate }, durationMs);
  const expected = expectedBursts(plan, cycles);
  const measured = bursts(pcm, sampleRate);
  // A continuous tone (one sounding segment wrapping onto itself) is one burst.
  if (plan.segments.length === 1) {
    expect(measured).toHaveLength(1);
    expect(ms(measured[0]?.start ?? -1, sampleRate)).toBeLessThan(1);
    expect(ms(measured[0]?.end ?? 0, sampleRate)).toBeCloseTo(durationMs, 0);
  } else {
    expect(measured.map((b) => [ms(b.start, sampleRate), ms(b.end, sampleRate)])).toHaveLength(expected.length);
    measured.forEach((b, i) => {
      const e = expected[i];
      expect(Math.abs(ms(b.start, sampleRate) - (e?.startMs ?? NaN)), `${plan.name} burst ${i} start`).toBeLessThanOrEqual(5);
      expect(Math.abs(ms(b.end, sampleRate) - (e?.endMs ?? NaN)), `${plan.name} burst ${i} end`).toBeLessThanOrEqual(5);
    });
  }
  for (const e of plan.segments.length === 1 ? [{ startMs: 0, endMs: durationMs, frequencies: plan.segments[0]?.frequencies ?? [] }] : expected) {
    // The steady middle of the burst, clear of the 5 ms ramps, at most 200 ms.
    const lengthMs = Math.min(200, e.endMs - e.startMs - 12);
    const startMs = (e.startMs + e.endMs) / 2 - lengthMs / 2;
    const start = Math.round((startMs * sampleRate) / 1000);
    const length = Math.round((lengthMs * sampleRate) / 1000);
    for (const f of e.frequencies) {
      const amplitude = goertzelAmplitude(pcm, sampleRate, f, start, length);
      expect(20 * Math.log10(amplitude / A), `${plan.name} ${f} Hz at ${sampleRate}`).toBeCloseTo(0, 0);
    }
    for (let probe = 200; probe <= 2000; probe += 37) {
      if (e.frequencies.some((f) => Math.abs(f - probe) < 60)) continue;
      expect(goertzelAmplitude(pcm, sampleRate, probe, start, length), `${plan.name} spurious ${probe} Hz`).toBeLessThan(0.05 * A);
    }
  }
}

describe('call-progress tone plans (E.180 and national plans)', () => {
  for (const region of Object.values(TONE_REGIONS)) {
    for (const tone of TONES) {
      for (const rate of RATES) {
        it(`${region.code} ${tone} has its frequencies and cadence at ${rate} Hz`, () => checkPlan(region.tones[tone], rate));
      }
    }
  }

  it('carries the published values for the regions the issue names', () => {
    const cadence = (plan: TonePlan) => plan.segments.map((s) => (s.frequencies.length > 0 ? `${s.frequencies.join('+')}/${s.durationMs}` : `0/${s.durationMs}`));
    expect(cadence(TONE_REGIONS.us.tones.ringback)).toEqual(['440+480/2000', '0/4000']);
    expect(cadence(TONE_REGIONS.us.tones.busy)).toEqual(['480+620/500', '0/500']);
    expect(cadence(TONE_REGIONS.us.tones.congestion)).toEqual(['480+620/250', '0/250']);
    expect(cadence(TONE_REGIONS.us.tones.callWaiting)).toEqual(['440/300', '0/9700']);
    expect(cadence(TONE_REGIONS.uk.tones.ringback)).toEqual(['400+450/400', '0/200', '400+450/400', '0/2000']);
    expect(cadence(TONE_REGIONS.uk.tones.busy)).toEqual(['400/375', '0/375']);
    expect(cadence(TONE_REGIONS.uk.tones.congestion)).toEqual(['400/400', '0/350', '400/225', '0/525']);
    expect(cadence(TONE_REGIONS.uk.tones.callWaiting)).toEqual(['400/100', '0/2000']);
    expect(cadence(TONE_REGIONS.eu.tones.ringback)).toEqual(['425/1000', '0/4000']);
    expect(cadence(TONE_REGIONS.eu.tones.busy)).toEqual(['425/500', '0/500']);
    expect(cadence(TONE_REGIONS.eu.tones.congestion)).toEqual(['425/200', '0/200']);
    expect(cadence(TONE_REGIONS.eu.tones.callWaiting)).toEqual(['425/200', '0/200', '425/200', '0/4400']);
    for (const region of Object.values(TONE_REGIONS)) for (const tone of TONES) expect(region.tones[tone].source).toMatch(/E\.180/);
  });

  it('falls back to the E.180 default region for an unknown region code', () => {
    expect(callProgressTone('xx', 'busy')).toBe(TONE_REGIONS.eu.tones.busy);
    expect(callProgressTone('__proto__', 'busy')).toBe(TONE_REGIONS.eu.tones.busy);
    expect(callProgressTone('uk', 'busy')).toBe(TONE_REGIONS.uk.tones.busy);
  });
});

describe('Bellcore distinctive-ring cadences (GR-506)', () => {
  for (const plan of Object.values(BELLCORE_RINGS)) {
    for (const rate of RATES) it(`${plan.name} renders its cadence at ${rate} Hz`, () => checkPlan(plan, rate));
  }

  it('dr5 is a single ring splash, then done', () => {
    const generator = new ToneGenerator(BELLCORE_RINGS['Bellcore-dr5'], { sampleRate: 8000 });
    const pcm = generator.pull(8000 * 3);
    expect(bursts(pcm, 8000)).toHaveLength(1);
    expect(generator.done).toBe(true);
  });
});

describe('DTMF key feedback (Q.23)', () => {
  const table: ReadonlyArray<readonly [string, number, number]> = [
    ['1', 697, 1209], ['2', 697, 1336], ['3', 697, 1477], ['A', 697, 1633],
    ['4', 770, 1209], ['5', 770, 1336], ['6', 770, 1477], ['B', 770, 1633],
    ['7', 852, 1209], ['8', 852, 1336], ['9', 852, 1477], ['C', 852, 1633],
    ['*', 941, 1209], ['0', 941, 1336], ['#', 941, 1477], ['D', 941, 1633],
  ];
  it.each(table)('key %s is %i + %i Hz', (key, low, high) => {
    expect(dtmfPair(key)).toEqual({ low, high });
    expect(dtmfPair(key.toLowerCase())).toEqual({ low, high });
  });

  for (const rate of RATES) {
    it(`every key beeps once for 100 ms with its pair only, at ${rate} Hz`, () => {
      for (const [key, low, high] of table) {
        const generator = new ToneGenerator(dtmfFeedbackPlan(key), { sampleRate: rate });
        const pcm = generator.pull(rate / 2);
        expect(generator.done).toBe(true);
        const found = bursts(pcm, rate);
        expect(found).toHaveLength(1);
        expect(Math.abs(ms((found[0]?.end ?? 0) - (found[0]?.start ?? 0), rate) - 100)).toBeLessThanOrEqual(5);
        const start = Math.round(0.01 * rate);
        const length = Math.round(0.08 * rate);
        for (const f of [697, 770, 852, 941, 1209, 1336, 1477, 1633]) {
          const amplitude = goertzelAmplitude(pcm, rate, f, start, length);
          if (f === low || f === high) expect(20 * Math.log10(amplitude / A)).toBeCloseTo(0, 0);
          else expect(amplitude, `${key}: ${f} Hz`).toBeLessThan(0.05 * A);
        }
      }
    });
  }

  it.each(['E', '', '11', ' ', '½'])('refuses %j as a key', (key) => {
    expect(() => dtmfFeedbackPlan(key)).toThrow(ToneError);
  });
});

describe('ToneGenerator', () => {
  it('is phase-continuous: any frame cutting gives the same samples as one pull', () => {
    const plan = TONE_REGIONS.uk.tones.ringback;
    for (const rate of [8000, 44_100, 48_000]) {
      const whole = renderTone(plan, { sampleRate: rate }, 3000);
      const generator = new ToneGenerator(plan, { sampleRate: rate });
      const parts: number[] = [];
      const sizes = [1, 37, 160, 441, 960, 7];
      for (let i = 0; parts.length < whole.length; i++) parts.push(...generator.pull(Math.min(sizes[i % sizes.length] ?? 1, whole.length - parts.length)));
      expect(Int16Array.from(parts)).toEqual(whole);
    }
  });

  it('never steps further between samples than the tone itself can move (no clicks at edges or frames)', () => {
    for (const rate of RATES) {
      for (const plan of [TONE_REGIONS.us.tones.busy, TONE_REGIONS.uk.tones.congestion, dtmfFeedbackPlan('D')]) {
        const generator = new ToneGenerator(plan, { sampleRate: rate });
        const pcm = Int16Array.from({ length: 3 * rate }, () => 0);
        for (let at = 0; at < pcm.length; at += rate / 50) pcm.set(generator.pull(rate / 50), at);
        const components = Math.max(...plan.segments.map((s) => s.frequencies.length));
        const fastest = Math.max(...plan.segments.flatMap((s) => s.frequencies));
        const rampSamples = (5 * rate) / 1000;
        // Slope bound: each sine moves at most 2πf/rate·A per sample, the 5 ms ramp adds π/(2·ramp)·A.
        const bound = components * A * ((2 * Math.PI * fastest) / rate + Math.PI / (2 * rampSamples)) + 2;
        let worst = 0;
        for (let i = 1; i < pcm.length; i++) worst = Math.max(worst, Math.abs((pcm[i] ?? 0) - (pcm[i - 1] ?? 0)));
        expect(worst, `${plan.name} at ${rate}`).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('shapes every on/off edge with a 5 ms raised-cosine ramp', () => {
    const rate = 16_000;
    const plan = TONE_REGIONS.us.tones.busy;
    const ramped = renderTone(plan, { sampleRate: rate }, 1000);
    const hard = renderTone(plan, { sampleRate: rate, rampMs: 0 }, 1000);
    const ramp = 80; // 5 ms at 16 kHz
    const burstEnd = 500 * 16; // 500 ms
    for (let i = 1; i < ramp; i++) {
      for (const [n, expected] of [
        [i, 0.5 - 0.5 * Math.cos((Math.PI * (i + 0)) / ramp)],
        [burstEnd - i, 0.5 - 0.5 * Math.cos((Math.PI * i) / ramp)],
      ] as const) {
        const reference = hard[n] ?? 0;
        if (Math.abs(reference) < 500) continue;
        expect(Math.abs((ramped[n] ?? 0) / reference - expected), `sample ${n}`).toBeLessThan(0.02);
      }
    }
    // Clear of the edges the ramp changes nothing.
    expect(ramped.subarray(ramp, burstEnd - ramp)).toEqual(hard.subarray(ramp, burstEnd - ramp));
    // No ramp inside a continuous tone's wrap-around: only the very start fades in.
    const dial = renderTone(TONE_REGIONS.us.tones.dial, { sampleRate: rate }, 2500);
    const dialHard = renderTone(TONE_REGIONS.us.tones.dial, { sampleRate: rate, rampMs: 0 }, 2500);
    expect(dial.subarray(ramp)).toEqual(dialHard.subarray(ramp));
  });

  it('keeps the cadence exact over long runs at a rate where edges fall between samples', () => {
    const rate = 44_100; // 375 ms = 16537.5 samples
    const generator = new ToneGenerator(TONE_REGIONS.uk.tones.busy, { sampleRate: rate });
    const pcm = new Int16Array(100 * 0.75 * rate);
    for (let at = 0; at < pcm.length; at += 441) pcm.set(generator.pull(441), at);
    const found = bursts(pcm, rate);
    expect(found).toHaveLength(100);
    // The first audible sample sits a few samples into the ramp; what matters is that it does
    // not drift: burst k starts k·33075 samples after burst 0, to within the half-sample edge.
    const first = found[0] ?? { start: NaN, end: NaN };
    expect(ms(first.start, rate)).toBeLessThan(1);
    found.forEach((b, k) => {
      expect(Math.abs(b.start - first.start - k * 0.75 * rate), `burst ${k} start`).toBeLessThanOrEqual(1);
      expect(Math.abs(b.end - first.end - k * 0.75 * rate), `burst ${k} end`).toBeLessThanOrEqual(1);
    });
    expect(generator.position).toBe(pcm.length);
  });

  it('sets the level per component in dBm0 or dBFS', () => {
    const plan = TONE_REGIONS.eu.tones.dial;
    const level = (options: { dBm0: number } | { dBFS: number }) => {
      const pcm = renderTone(plan, { sampleRate: 8000, level: options }, 500);
      return 20 * Math.log10(goertzelAmplitude(pcm, 8000, 425, 800, 2400) / 32767);
    };
    expect(level({ dBFS: -20 })).toBeCloseTo(-20, 1);
    expect(level({ dBm0: -13 })).toBeCloseTo(-13 - 3.17, 1);
    expect(level({ dBm0: 3.17 })).toBeCloseTo(0, 1);
    expect(peakAmplitude({ dBm0: -13 })).toBeCloseTo(32767 * 10 ** (-16.17 / 20), 6);
  });

  it('refuses levels above full scale or that would clip when components add', () => {
    expect(() => new ToneGenerator(TONE_REGIONS.eu.tones.dial, { sampleRate: 8000, level: { dBFS: 1 } })).toThrow(ToneError);
    expect(() => new ToneGenerator(TONE_REGIONS.eu.tones.dial, { sampleRate: 8000, level: { dBm0: Number.NaN } })).toThrow(ToneError);
    expect(() => new ToneGenerator(TONE_REGIONS.us.tones.dial, { sampleRate: 8000, level: { dBm0: 0 } })).toThrow(/clip/);
    expect(() => new ToneGenerator(TONE_REGIONS.eu.tones.dial, { sampleRate: 8000, level: { dBm0: 0 } })).not.toThrow();
  });

  it('refuses malformed plans and formats', () => {
    const bad = (segments: TonePlan['segments']): TonePlan => ({ name: 'bad', source: 'test', segments, repeat: true });
    expect(() => new ToneGenerator(bad([]), { sampleRate: 8000 })).toThrow(ToneError);
    expect(() => new ToneGenerator(bad([on(0, 425)]), { sampleRate: 8000 })).toThrow(ToneError);
    expect(() => new ToneGenerator(bad([on(12.5, 425)]), { sampleRate: 8000 })).toThrow(ToneError);
    expect(() => new ToneGenerator(bad([on(100, 9000)]), { sampleRate: 8000 })).toThrow(ToneError);
    expect(() => new ToneGenerator(bad([on(100, 425), off(70_000)]), { sampleRate: 8000 })).toThrow(ToneError);
    expect(() => new ToneGenerator(TONE_REGIONS.eu.tones.busy, { sampleRate: 8000.5 })).toThrow(ToneError);
    expect(() => new ToneGenerator(TONE_REGIONS.eu.tones.busy, { sampleRate: 8000, channels: 0 })).toThrow(ToneError);
    expect(() => new ToneGenerator(TONE_REGIONS.eu.tones.busy, { sampleRate: 8000, channels: 2 }).pull(3)).toThrow(ToneError);
  });

  it('stops with a 5 ms fade when sounding, at once when silent, and stays silent', () => {
    const rate = 8000;
    const sounding = new ToneGenerator(TONE_REGIONS.us.tones.ringback, { sampleRate: rate });
    sounding.pull(800); // 100 ms into the 2 s burst
    sounding.stop();
    expect(sounding.done).toBe(false);
    const tail = sounding.pull(160);
    expect(sounding.done).toBe(true);
    expect(Math.max(...tail.subarray(0, 10).map(Math.abs))).toBeGreaterThan(0);
    expect(tail.subarray(40).every((s) => s === 0)).toBe(true);
    expect(sounding.pull(160).every((s) => s === 0)).toBe(true);

    const silent = new ToneGenerator(TONE_REGIONS.us.tones.ringback, { sampleRate: rate });
    silent.pull(3 * rate); // in the 4 s pause
    silent.stop();
    expect(silent.done).toBe(true);
    expect(silent.pull(160).every((s) => s === 0)).toBe(true);
  });

  it('writes every channel of an interleaved frame and feeds an AudioSink of the same format', () => {
    const generator = new ToneGenerator(TONE_REGIONS.eu.tones.dial, { sampleRate: 48_000, channels: 2 });
    const pull = sinkPuller(generator, { sampleRate: 48_000, channels: 2, frameMs: 20 });
    const frame = pull();
    expect(frame).toHaveLength(1920);
    for (let i = 0; i < frame.length; i += 2) expect(frame[i]).toBe(frame[i + 1]);
    expect(() => sinkPuller(generator, { sampleRate: 16_000, channels: 2, frameMs: 20 })).toThrow(ToneError);
  });
});
