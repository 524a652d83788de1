/**
 * A ringtone player: loops a WAV asset with a pause between plays, at a volume, converted once to
 * the device's rate (linear interpolation — enough for a ringer, not for voice) and channel count.
 */
import type { WavAudio } from '../wav.js';
import { checkFormat, checkFrameSamples, raisedCosine, toInt16, type PcmPullSource } from './pcm-pull-source.js';
import { ToneError } from './tone-plan.js';
import { DEFAULT_RAMP_MS } from './tone-generator.js';

export interface RingtoneOptions {
  /** The device rate and channel count. */
  readonly sampleRate: number;
  readonly channels?: number;
  /** Silence after each play of the asset, in ms. Default 2000. */
  readonly pauseMs?: number;
  /** Linear gain 0–1. Default 1. */
  readonly volume?: number;
  /** Plays of the asset before done; default unlimited (until stopped). */
  readonly loops?: number;
}

/** Mixes interleaved channels down to mono (average). */
export function downmix(audio: WavAudio): Float32Array {
  const frames = Math.floor(audio.samples.length / audio.channels);
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < audio.channels; c++) sum += audio.samples[i * audio.channels + c] ?? 0;
    mono[i] = sum / audio.channels;
  }
  return mono;
}

/** Linear-interpolation resampling of a mono signal; the output keeps the input's duration. */
export function resampleLinear(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const length = Math.round((input.length * toRate) / fromRate);
  const out = new Float32Array(length);
  const last = input.length - 1;
  for (let m = 0; m < length; m++) {
    const t = (m * fromRate) / toRate;
    const i = Math.floor(t);
    const frac = t - i;
    const a = input[Math.min(i, last)] ?? 0;
    const b = input[Math.min(i + 1, last)] ?? 0;
    out[m] = a + (b - a) * frac;
  }
  return out;
}

export class Ringtone implements PcmPullSource {
  readonly sampleRate: number;
  readonly channels: number;
  private readonly audio: Float32Array;
  private readonly pauseSamples: number;
  private readonly loops: number;
  private readonly rampSamples: number;
  private volumeGain: number;
  /** Position in the current play + pause, per channel. */
  private cursor = 0;
  private played = 0;
  private stopRemaining: number | undefined;
  private finished = false;

  constructor(asset: WavAudio, options: RingtoneOptions) {
    this.sampleRate = options.sampleRate;
    this.channels = options.channels ?? 1;
    checkFormat(this.sampleRate, this.channels);
    const pauseMs = options.pauseMs ?? 2000;
    if (!Number.isFinite(pauseMs) || pauseMs < 0 || pauseMs > 60_000) throw new ToneError('invalid_option', `pause of ${pauseMs} ms is not 0–60000 ms`);
    this.loops = options.loops ?? Number.POSITIVE_INFINITY;
    if (!(this.loops >= 1)) throw new ToneError('invalid_option', `loops ${this.loops} is not at least 1`);
    this.volumeGain = Ringtone.checkVolume(options.volume ?? 1);
    this.audio = resampleLinear(downmix(asset), asset.sampleRate, this.sampleRate);
    if (this.audio.length === 0) throw new ToneError('invalid_option', 'the ringtone asset holds no samples');
    this.pauseSamples = Math.round((pauseMs * this.sampleRate) / 1000);
    this.rampSamples = Math.max(1, Math.round((DEFAULT_RAMP_MS * this.sampleRate) / 1000));
  }

  private static checkVolume(volume: number): number {
    if (!Number.isFinite(volume) || volume < 0 || volume > 1) throw new ToneError('invalid_option', `volume ${volume} is not 0–1`);
    return volume;
  }

  get volume(): number {
    return this.volumeGain;
  }

  set volume(volume: number) {
    this.volumeGain = Ringtone.checkVolume(volume);
  }

  get done(): boolean {
    return this.finished;
  }

  pull(frameSamples: number): Int16Array {
    checkFrameSamples(frameSamples, this.channels);
    const out = new Int16Array(frameSamples);
    const frames = frameSamples / this.channels;
    for (let i = 0; i < frames && !this.finished; i++) {
      const value = toInt16(this.next());
      for (let c = 0; c < this.channels; c++) out[i * this.channels + c] = value;
    }
    return out;
  }

  /** Fades out over 5 ms (at once if in the pause). */
  stop(): void {
    if (this.finished || this.stopRemaining !== undefined) return;
    if (this.cursor >= this.audio.length) this.finished = true;
    else this.stopRemaining = this.rampSamples;
  }

  private next(): number {
    if (this.stopRemaining !== undefined && this.stopRemaining <= 0) {
      this.finished = true;
      return 0;
    }
    const value = this.cursor < this.audio.length ? (this.audio[this.cursor] ?? 0) * this.volumeGain : 0;
    let gain = 1;
    if (this.stopRemaining !== undefined) {
      gain = raisedCosine(this.stopRemaining / this.rampSamples);
      this.stopRemaining--;
      if (this.cursor >= this.audio.length) this.finished = true;
    }
    this.cursor++;
    if (this.cursor === this.audio.length) {
      this.played++;
      // The last play needs no pause after it.
      if (this.played >= this.loops) this.finished = true;
    }
    if (this.cursor >= this.audio.length + this.pauseSamples) this.cursor = 0;
    return value * gain;
  }
}
