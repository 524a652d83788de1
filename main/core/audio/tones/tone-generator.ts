/**
 * Renders a tone plan into 16-bit PCM frames on demand. Every sample is computed from its absolute
 * index n, so the result does not depend on how the caller cuts frames: phase is continuous across
 * frames (sin(2π·f·n/rate)) and cadence edges fall at exact samples however long the tone plays
 * (segment boundaries are compared in integer units of ms·Hz, with no accumulated rounding).
 */
import { checkFormat, checkFrameSamples, raisedCosine, toInt16, type PcmPullSource } from './pcm-pull-source.js';
import { maxComponents, ToneError, validateTonePlan, type TonePlan } from './tone-plan.js';

/**
 * A tone level per frequency component. dBm0 is the telephony reference: ITU-T G.711 gives the
 * μ-law theoretical maximum load as +3.17 dBm0, i.e. a full-scale 16-bit sine here; dBFS follows
 * AES17 (a full-scale sine is 0 dBFS).
 */
export type ToneLevel = { readonly dBm0: number } | { readonly dBFS: number };

/** G.711 (μ-law) overload point: a full-scale sine is +3.17 dBm0. */
export const FULL_SCALE_DBM0 = 3.17;
const FULL_SCALE = 32767;

/** −13 dBm0 per component (about −10 dBm0 for a dual tone), inside E.180's recommended tone levels. */
export const DEFAULT_TONE_LEVEL: ToneLevel = { dBm0: -13 };
/** Edge ramps long enough to remove clicks, short enough not to change the cadence heard. */
export const DEFAULT_RAMP_MS = 5;

/** Peak amplitude (16-bit units) of one sine component at the level. */
export function peakAmplitude(level: ToneLevel): number {
  const dBFS = 'dBm0' in level ? level.dBm0 - FULL_SCALE_DBM0 : level.dBFS;
  if (!Number.isFinite(dBFS) || dBFS > 0) throw new ToneError('invalid_level', `tone level ${JSON.stringify(level)} is above full scale or not a number`);
  return FULL_SCALE * 10 ** (dBFS / 20);
}

export interface ToneGeneratorOptions {
  readonly sampleRate: number;
  /** Interleaved output channels, each carrying the same tone. Default 1. */
  readonly channels?: number;
  /** Per component; default −13 dBm0. */
  readonly level?: ToneLevel;
  /** Raised-cosine ramp at every on/off edge and on stop. Default 5 ms. */
  readonly rampMs?: number;
}

interface RenderedSegment {
  readonly frequencies: readonly number[];
  /** Boundaries within the cycle, in ms·Hz (ms × sampleRate): integers, exact at any rate. */
  readonly start: number;
  readonly end: number;
  readonly rampIn: boolean;
  readonly rampOut: boolean;
}

function sameFrequencies(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  return sa.every((f, i) => f === sb[i]);
}

export class ToneGenerator implements PcmPullSource {
  readonly sampleRate: number;
  readonly channels: number;
  readonly amplitude: number;
  private readonly rampMs: number;
  private readonly segments: readonly RenderedSegment[];
  /** Cycle length in ms·Hz. */
  private readonly cycle: number;
  /** Absolute index of the next sample (per channel). */
  private n = 0;
  private stoppedAt: number | undefined;
  private finished = false;

  constructor(
    readonly plan: TonePlan,
    options: ToneGeneratorOptions,
  ) {
    validateTonePlan(plan);
    this.sampleRate = options.sampleRate;
    this.channels = options.channels ?? 1;
    checkFormat(this.sampleRate, this.channels);
    this.rampMs = options.rampMs ?? DEFAULT_RAMP_MS;
    if (!Number.isFinite(this.rampMs) || this.rampMs < 0 || this.rampMs > 50) throw new ToneError('invalid_option', `ramp of ${this.rampMs} ms is not 0–50 ms`);
    this.amplitude = peakAmplitude(options.level ?? DEFAULT_TONE_LEVEL);
    if (this.amplitude * maxComponents(plan) > FULL_SCALE) {
      throw new ToneError('invalid_level', `${plan.name}: ${maxComponents(plan)} components at ${JSON.stringify(options.level)} would clip`);
    }
    const list = plan.segments;
    const silence: readonly number[] = [];
    let cursor = 0;
    this.segments = list.map((segment, i) => {
      const start = cursor;
      cursor += segment.durationMs * this.sampleRate;
      // Neighbours around the cycle for a repeating plan; silence before and after a one-shot.
      const previous = i > 0 ? list[i - 1]?.frequencies : plan.repeat ? list[list.length - 1]?.frequencies : silence;
      const next = i < list.length - 1 ? list[i + 1]?.frequencies : plan.repeat ? list[0]?.frequencies : silence;
      const sounding = segment.frequencies.length > 0;
      return {
        frequencies: segment.frequencies,
        start,
        end: cursor,
        rampIn: sounding && !sameFrequencies(previous ?? silence, segment.frequencies),
        rampOut: sounding && !sameFrequencies(next ?? silence, segment.frequencies),
      };
    });
    this.cycle = cursor;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Samples rendered so far, per channel. */
  get position(): number {
    return this.n;
  }

  pull(frameSamples: number): Int16Array {
    checkFrameSamples(frameSamples, this.channels);
    const out = new Int16Array(frameSamples);
    const frames = frameSamples / this.channels;
    for (let i = 0; i < frames && !this.finished; i++) {
      const value = toInt16(this.sample(this.n));
      for (let c = 0; c < this.channels; c++) out[i * this.channels + c] = value;
      this.n++;
    }
    return out;
  }

  /** Fades out over the ramp time from the current sample; done at once if silent now. */
  stop(): void {
    if (this.finished || this.stoppedAt !== undefined) return;
    const segment = this.segmentAt(this.n);
    if (segment === undefined || segment.frequencies.length === 0 || this.rampMs === 0) this.finished = true;
    else this.stoppedAt = this.n;
  }

  private segmentAt(n: number): RenderedSegment | undefined {
    const scaled = n * 1000;
    if (!this.plan.repeat && scaled >= this.cycle) return undefined;
    const pos = scaled % this.cycle;
    return this.segments.find((s) => pos >= s.start && pos < s.end);
  }

  private sample(n: number): number {
    const segment = this.segmentAt(n);
    if (segment === undefined) {
      this.finished = true;
      return 0;
    }
    if (segment.frequencies.length === 0) {
      if (this.stoppedAt !== undefined) this.finished = true;
      return 0;
    }
    const rampSamples = (this.rampMs * this.sampleRate) / 1000;
    const pos = (n * 1000) % this.cycle;
    let gain = 1;
    if (rampSamples > 0) {
      // Distances to the segment's edges in samples (ms·Hz / 1000).
      if (segment.rampIn) gain = Math.min(gain, raisedCosine((pos - segment.start) / 1000 / rampSamples));
      if (segment.rampOut) gain = Math.min(gain, raisedCosine((segment.end - pos) / 1000 / rampSamples));
      // The very first samples fade in even when the cadence wraps onto itself (continuous dial tone).
      gain = Math.min(gain, raisedCosine((n + 1) / rampSamples));
      if (this.stoppedAt !== undefined) {
        const left = 1 - (n - this.stoppedAt) / rampSamples;
        if (left <= 0) {
          this.finished = true;
          return 0;
        }
        gain = Math.min(gain, raisedCosine(left));
      }
    }
    let sum = 0;
    for (const f of segment.frequencies) sum += Math.sin((2 * Math.PI * ((f * n) % this.sampleRate)) / this.sampleRate);
    return this.amplitude * gain * sum;
  }
}

/** Renders `durationMs` of a plan in one go (tests, asset generation). */
export function renderTone(plan: TonePlan, options: ToneGeneratorOptions, durationMs: number): Int16Array {
  const generator = new ToneGenerator(plan, options);
  const frames = Math.round((durationMs * generator.sampleRate) / 1000);
  return generator.pull(frames * generator.channels);
}
