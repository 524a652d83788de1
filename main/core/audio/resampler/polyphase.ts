/**
 * A quality sample-rate converter: windowed-sinc interpolation (Kaiser window) in polyphase form,
 * for Int16 PCM, mono or interleaved multichannel, streaming across blocks of any size.
 *
 * The rate ratio out/in is reduced to L/M (L phases, step M). Output sample k of the stream sits at
 * input position k·M/L − D, where D = N/2 input samples is the filter's half length: the group
 * delay, reported as `delay` (in output samples) so callers can align. With that delay, output k
 * needs input samples only up to ⌊k·M/L⌋, so each block yields every output sample it can, like
 * the linear interpolator, and nothing is held back beyond the filter's history.
 *
 * The low-pass cutoff sits a little below the lower of the two Nyquist frequencies, so it is both
 * the interpolation filter when upsampling and the anti-aliasing filter when downsampling (there
 * it is stretched by in/out, so it has more taps). The quality presets follow the Speex resampler's
 * table (speexdsp resample.c: filter length at the lower rate, bandwidth, window class), so
 * "quality 3–5" costs and sounds about as it does in Speex. Each phase is normalised to a DC gain of
 * exactly 1, so a constant stays constant and silence stays silence.
 *
 * Every output sample is the same sum over the same stored samples in the same order whatever
 * the block sizes, so the output does not depend on how the input is cut: no clicks at block
 * boundaries, sample for sample.
 */
import { ResamplerError, type Resampler, type ResamplerFactory } from '../../media/stream/resampler.js';

/** One quality preset: filter length at the lower rate, passband edge (fraction of its Nyquist), stopband target. */
interface QualityPreset {
  readonly length: number;
  readonly bandwidth: number;
  /** Kaiser window sidelobe target in dB; β = 0.1102 (A − 8.7) (Kaiser's formula for A > 50 dB). */
  readonly attenuation: number;
}

/**
 * Quality 0–10, after speexdsp's `quality_map` (filter length, downsampling bandwidth, window
 * class KAISER6/8/10/12, which its comments give as ~60/80/100 dB stopbands). Speex tabulates
 * its windows rather than computing them, so the output is close to, not bit-identical with,
 * Speex at the same quality.
 */
const PRESETS: readonly QualityPreset[] = [
  { length: 8, bandwidth: 0.83, attenuation: 60 },
  { length: 16, bandwidth: 0.85, attenuation: 60 },
  { length: 32, bandwidth: 0.882, attenuation: 60 },
  { length: 48, bandwidth: 0.895, attenuation: 80 },
  { length: 64, bandwidth: 0.921, attenuation: 80 },
  { length: 80, bandwidth: 0.922, attenuation: 100 },
  { length: 96, bandwidth: 0.94, attenuation: 100 },
  { length: 128, bandwidth: 0.95, attenuation: 100 },
  { length: 160, bandwidth: 0.96, attenuation: 100 },
  { length: 192, bandwidth: 0.968, attenuation: 120 },
  { length: 256, bandwidth: 0.975, attenuation: 120 },
];

/** The quality used for calls when none is given: Speex's 4, 64 taps at the lower rate, ~80 dB window. */
export const DEFAULT_QUALITY = 4;

/** Beyond this many coefficients (phases × taps) a rate pair is refused: rates with a tiny common divisor. */
const MAX_COEFFICIENTS = 1 << 21;

export interface PolyphaseOptions {
  /** 0 (fastest) to 10 (best), as for Speex; `DEFAULT_QUALITY` if left out. */
  readonly quality?: number;
  /** Interleaved channels, 1 if left out. */
  readonly channels?: number;
}

/** The filter of one rate pair and quality, shared by every resampler that uses it (it is never written). */
interface FilterBank {
  /** Phases: output positions fall on multiples of 1/L of an input sample. */
  readonly phases: number;
  /** Input samples advanced per output sample, in units of 1/L. */
  readonly step: number;
  /** Taps per phase (even). */
  readonly taps: number;
  /** `phases` rows of `taps` coefficients; row p is for the fraction p/L, tap j multiplies input n − taps + 1 + j. */
  readonly coefficients: Float64Array;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The modified Bessel function of the first kind, order 0, by its power series (converges fast for β ≤ 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarter = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= quarter / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

const banks = new Map<string, FilterBank>();

/** Designs (or finds in the cache) the polyphase filter for `inputRate` → `outputRate` at `quality`. */
function filterBank(inputRate: number, outputRate: number, quality: number): FilterBank {
  const key = `${inputRate}:${outputRate}:${quality}`;
  const cached = banks.get(key);
  if (cached !== undefined) return cached;
  const preset = PRESETS[quality]!;
  const divisor = gcd(inputRate, outputRate);
  const phases = outputRate / divisor;
  const step = inputRate / divisor;
  // Downsampling stretches the filter by in/out: same shape at the output rate, more input taps.
  const stretch = Math.max(1, inputRate / outputRate);
  const taps = 2 * Math.ceil((preset.length * stretch) / 2);
  if (phases * taps > MAX_COEFFICIENTS) {
    throw new ResamplerError(`${inputRate} → ${outputRate} Hz needs ${phases} filter phases: choose rates with a larger common divisor`);
  }
  // Cutoff in cycles per input sample: the passband edge of the lower rate's Nyquist.
  const cutoff = (preset.bandwidth * Math.min(inputRate, outputRate)) / (2 * inputRate);
  const half = taps / 2;
  const beta = 0.1102 * (preset.attenuation - 8.7);
  const windowNorm = besselI0(beta);
  const coefficients = new Float64Array(phases * taps);
  for (let p = 0; p < phases; p++) {
    const fraction = p / phases;
    const row = p * taps;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      // Distance from the output position (delayed by `half`) to the input sample this tap reads.
      const tau = taps - 1 - j + fraction - half;
      const ratio = tau / half;
      const window = ratio * ratio >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - ratio * ratio)) / windowNorm;
      const x = 2 * cutoff * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const value = 2 * cutoff * sinc * window;
      coefficients[row + j] = value;
      sum += value;
    }
    // Exact unit DC gain per phase: no ripple at the phase rate on a constant, silence stays zero.
    for (let j = 0; j < taps; j++) coefficients[row + j]! /= sum;
  }
  const bank: FilterBank = { phases, step, taps, coefficients };
  banks.set(key, bank);
  return bank;
}

/** The identity, for equal rates: no delay. */
class PassThrough implements Resampler {
  readonly delay = 0;
  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
  ) {}

  process(input: Int16Array): Int16Array {
    return input;
  }

  reset(): void {}
}

export class PolyphaseResampler implements Resampler {
  readonly quality: number;
  readonly channels: number;
  /**
   * Group delay in output samples (fractional for 44.1 kHz ↔ 48 kHz): output sample k is the
   * input signal at time (k − delay)/outputRate. Constant; the first `delay` output samples are
   * the filter filling up from silence.
   */
  readonly delay: number;
  /** The same delay in input samples (always an integer). */
  readonly inputDelay: number;
  private readonly bank: FilterBank;
  /** Interleaved samples: the last taps − 1 input frames of earlier blocks, then the current block. */
  private buffer: Float64Array;
  /** Where the next output sample falls relative to the current block's first frame, in 1/L of a frame. */
  private position = 0;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    options: PolyphaseOptions = {},
  ) {
    if (!(Number.isInteger(inputRate) && inputRate > 0 && Number.isInteger(outputRate) && outputRate > 0)) {
      throw new ResamplerError(`sample rates must be positive integers: ${inputRate} → ${outputRate}`);
    }
    const quality = options.quality ?? DEFAULT_QUALITY;
    if (!(Number.isInteger(quality) && quality >= 0 && quality < PRESETS.length)) {
      throw new ResamplerError(`quality must be an integer from 0 to ${PRESETS.length - 1}: ${quality}`);
    }
    const channels = options.channels ?? 1;
    if (!(Number.isInteger(channels) && channels >= 1 && channels <= 32)) {
      throw new ResamplerError(`channels must be an integer from 1 to 32: ${channels}`);
    }
    this.quality = quality;
    this.channels = channels;
    this.bank = filterBank(inputRate, outputRate, quality);
    this.inputDelay = this.bank.taps / 2;
    this.delay = (this.inputDelay * outputRate) / inputRate;
    this.buffer = new Float64Array((this.bank.taps - 1 + 960) * channels);
  }

  /**
   * Converts the next block of a continuous signal (interleaved frames if several channels). The
   * output length follows the rate ratio; fractions of a sample are carried over.
   */
  process(input: Int16Array): Int16Array {
    const channels = this.channels;
    if (input.length % channels !== 0) {
      throw new ResamplerError(`a block of ${input.length} samples is not a whole number of ${channels}-channel frames`);
    }
    const frames = input.length / channels;
    const { phases, step, taps, coefficients } = this.bank;
    const history = taps - 1;
    const needed = (history + frames) * channels;
    if (this.buffer.length < needed) {
      const grown = new Float64Array(needed);
      grown.set(this.buffer.subarray(0, history * channels));
      this.buffer = grown;
    }
    const buffer = this.buffer;
    buffer.set(input, history * channels);

    // Outputs whose input position ⌊position/L⌋ lies in this block.
    const end = frames * phases;
    const count = this.position >= end ? 0 : Math.ceil((end - this.position) / step);
    const output = new Int16Array(count * channels);
    let position = this.position;
    let out = 0;
    for (let k = 0; k < count; k++) {
      const frame = Math.floor(position / phases);
      const phase = position - frame * phases;
      const row = phase * taps;
      // Tap j reads input frame (frame − taps + 1 + j), which is buffer frame (frame + j).
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        let at = frame * channels + c;
        for (let j = 0; j < taps; j++, at += channels) acc += coefficients[row + j]! * buffer[at]!;
        // The sinc overshoots on full-scale steps: clamp rather than wrap.
        output[out++] = acc >= 32767 ? 32767 : acc <= -32768 ? -32768 : Math.round(acc);
      }
      position += step;
    }
    this.position = position - end;
    // Keep the last taps − 1 frames as the next block's history.
    buffer.copyWithin(0, frames * channels, needed);
    return output;
  }

  /** Forgets the signal so far, as if just constructed (a new call, a device change). */
  reset(): void {
    this.buffer.fill(0);
    this.position = 0;
  }
}

/** A factory of quality resamplers, the identity for equal rates. */
export function polyphaseResamplerFactory(options: PolyphaseOptions = {}): ResamplerFactory {
  return (inputRate, outputRate) =>
    inputRate === outputRate ? new PassThrough(inputRate, outputRate) : new PolyphaseResampler(inputRate, outputRate, options);
}

/** Mono, quality 4: the factory for MediaStream. */
export const polyphaseResampler: ResamplerFactory = polyphaseResamplerFactory();
