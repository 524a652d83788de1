import { PlcError } from './plc-error.js';

export interface G711PlcOptions {
  /** 8000 for G.711; 16000 for G.722's decoded PCM. Constants of Appendix I scale with it. */
  readonly sampleRate?: 8000 | 16000;
}

/** ITU-T G.711 Appendix I, §I.2: the concealment works on 10 ms frames. */
const FRAME_MS = 10;
/** §I.2.1: 20 % attenuation per 10 ms, starting with the second erased 10 ms frame. */
const ATTENUATION_PER_FRAME = 0.2;
/** §I.2.1: silence after 60 ms of erasure (six 10 ms frames). */
const MUTE_AFTER_FRAMES = 6;

/**
 * Packet loss concealment for PCM decoded from G.711 (or G.722), after ITU-T G.711 Appendix I.
 *
 * Every received frame passes through `good()`, every missing one is made by `conceal()`; both
 * return the same number of samples, delayed by `delaySamples` (3.75 ms) so that the first
 * concealed frame can be cross-faded into the tail of real speech (§I.2.2).
 * - On the first erasure: the pitch period is found by normalised autocorrelation of the last
 *   20 ms against lags of 5–15 ms (a coarse search on decimated samples, then a fine one), and
 *   the last period is repeated, its join overlap-added over a quarter period (§I.2.3).
 * - Second and third 10 ms: one then two more periods are taken into the repeated buffer, so
 *   the output does not buzz on a single period (§I.2.4).
 * - From the second 10 ms: attenuation by 20 % per 10 ms; silence after 60 ms (§I.2.4).
 * - First good frame after an erasure: the synthetic signal is overlap-added into the real one,
 *   over a window that lengthens by 4 ms per erased 10 ms (§I.2.5).
 */
export class G711Plc {
  /** Output lags input by this many samples (a quarter of the longest pitch period). */
  readonly delaySamples: number;
  readonly frameSize: number;

  private readonly pitchMin: number;
  private readonly pitchMax: number;
  private readonly overlapMax: number;
  private readonly historyLength: number;
  private readonly correlationLength: number;
  private readonly correlationMinPower: number;
  private readonly overlapIncrease: number;
  private readonly decimation: number;

  private readonly history: Float64Array;
  private readonly pitchBuffer: Float64Array;
  private readonly lastQuarter: Float64Array;
  /** One 10 ms frame of a good frame's samples, reused. */
  private readonly subframe: Float64Array;
  private erasedFrames = 0;
  private pitch = 0;
  private pitchOverlap = 0;
  private pitchOffset = 0;
  private pitchBufferLength = 0;
  private pitchBufferStart = 0;

  constructor(options: G711PlcOptions = {}) {
    const rate = options.sampleRate ?? 8000;
    const scale = rate / 8000;
    this.frameSize = (rate * FRAME_MS) / 1000;
    this.pitchMin = 40 * scale;
    this.pitchMax = 120 * scale;
    this.overlapMax = this.pitchMax >> 2;
    this.delaySamples = this.overlapMax;
    this.historyLength = this.pitchMax * 3 + this.overlapMax;
    this.correlationLength = 160 * scale;
    this.correlationMinPower = 250 * this.correlationLength;
    this.overlapIncrease = 32 * scale;
    this.decimation = 2 * scale;
    this.history = new Float64Array(this.historyLength);
    this.pitchBuffer = new Float64Array(this.historyLength);
    this.lastQuarter = new Float64Array(this.overlapMax);
    this.subframe = new Float64Array(this.frameSize);
  }

  /** A frame decoded from a received packet; returns the frame to play. */
  good(frame: Int16Array): Int16Array {
    this.checkLength(frame.length);
    const output = new Int16Array(frame.length);
    const subframe = this.subframe;
    for (let start = 0; start < frame.length; start += this.frameSize) {
      for (let i = 0; i < subframe.length; i++) subframe[i] = frame[start + i]!;
      this.receive(subframe);
      this.save(subframe, output, start);
    }
    return output;
  }

  /** A frame of `length` samples whose packet is missing; returns its concealment. */
  conceal(length: number): Int16Array {
    this.checkLength(length);
    const output = new Int16Array(length);
    for (let start = 0; start < length; start += this.frameSize) this.save(this.erased(), output, start);
    return output;
  }

  /** True while concealing (between the first missing frame and the next good one). */
  get concealing(): boolean {
    return this.erasedFrames > 0;
  }

  private checkLength(length: number): void {
    if (length <= 0 || length % this.frameSize !== 0) throw new PlcError(`a frame of ${length} samples is not a whole number of ${FRAME_MS} ms frames (${this.frameSize} samples)`);
  }

  /** §I.2.5: fade from the synthetic signal into the first good frame after an erasure. */
  private receive(subframe: Float64Array): void {
    if (this.erasedFrames === 0) return;
    const length = Math.min(this.frameSize, this.pitchOverlap + (this.erasedFrames - 1) * this.overlapIncrease);
    this.overlapAddAtEnd(subframe, this.synthesize(length), length);
    this.erasedFrames = 0;
  }

  private erased(): Float64Array {
    const end = this.historyLength;
    let output: Float64Array;
    if (this.erasedFrames === 0) {
      // §I.2.3: first erased frame: pitch, then a quarter-period cross-fade of the real tail
      // into the signal one period earlier, so the repeated period joins without a click.
      this.pitchBuffer.set(this.history);
      this.pitch = this.findPitch();
      this.pitchOverlap = this.pitch >> 2;
      this.lastQuarter.set(this.pitchBuffer.subarray(end - this.pitchOverlap, end));
      this.pitchOffset = 0;
      this.pitchBufferLength = this.pitch;
      this.pitchBufferStart = end - this.pitchBufferLength;
      this.overlapAdd(this.pitchBufferStart - this.pitchOverlap);
      // The cross-faded tail has not been played yet (output is delayed): it replaces history.
      this.history.set(this.pitchBuffer.subarray(end - this.pitchOverlap, end), end - this.pitchOverlap);
      output = this.synthesize(this.frameSize);
    } else if (this.erasedFrames <= 2) {
      // §I.2.4: 10 and 20 ms in, widen the repeated buffer by one pitch period.
      const savedOffset = this.pitchOffset;
      const tail = this.synthesize(this.pitchOverlap);
      this.pitchOffset = savedOffset;
      while (this.pitchOffset > this.pitch) this.pitchOffset -= this.pitch;
      this.pitchBufferLength += this.pitch;
      this.pitchBufferStart = end - this.pitchBufferLength;
      this.overlapAdd(this.pitchBufferStart - this.pitchOverlap);
      output = this.synthesize(this.frameSize);
      this.overlapAddAtEnd(output, tail, this.pitchOverlap);
      this.attenuate(output);
    } else if (this.erasedFrames < MUTE_AFTER_FRAMES) {
      output = this.synthesize(this.frameSize);
      this.attenuate(output);
    } else {
      output = new Float64Array(this.frameSize);
    }
    this.erasedFrames++;
    return output;
  }

  /** Next `length` samples of the repeated pitch buffer. */
  private synthesize(length: number): Float64Array {
    const output = new Float64Array(length);
    for (let written = 0; written < length; ) {
      const count = Math.min(length - written, this.pitchBufferLength - this.pitchOffset);
      output.set(this.pitchBuffer.subarray(this.pitchBufferStart + this.pitchOffset, this.pitchBufferStart + this.pitchOffset + count), written);
      this.pitchOffset += count;
      if (this.pitchOffset === this.pitchBufferLength) this.pitchOffset = 0;
      written += count;
    }
    return output;
  }

  /** §I.2.4: linear gain ramp, from 1 - 0.2 × (erased frames - 1), down 20 % over the frame. */
  private attenuate(samples: Float64Array): void {
    let gain = 1 - (this.erasedFrames - 1) * ATTENUATION_PER_FRAME;
    const step = ATTENUATION_PER_FRAME / this.frameSize;
    for (let i = 0; i < samples.length; i++) {
      samples[i] = (samples[i] ?? 0) * Math.max(0, gain);
      gain -= step;
    }
  }

  /** Cross-fade in the pitch buffer: the real last quarter period into the samples at `from`. */
  private overlapAdd(from: number): void {
    const count = this.pitchOverlap;
    const increment = 1 / count;
    let left = 1 - increment;
    let right = increment;
    const target = this.historyLength - count;
    for (let i = 0; i < count; i++) {
      this.pitchBuffer[target + i] = left * (this.lastQuarter[i] ?? 0) + right * (this.pitchBuffer[from + i] ?? 0);
      left -= increment;
      right += increment;
    }
  }

  /** Cross-fade from `synthetic` (attenuated as the erasure has been) into the start of `samples`. */
  private overlapAddAtEnd(samples: Float64Array, synthetic: Float64Array, count: number): void {
    const increment = 1 / count;
    const gain = Math.max(0, 1 - (this.erasedFrames - 1) * ATTENUATION_PER_FRAME);
    let left = (1 - increment) * gain;
    let right = increment;
    for (let i = 0; i < count; i++) {
      samples[i] = left * (synthetic[i] ?? 0) + right * (samples[i] ?? 0);
      left -= increment * gain;
      right += increment;
    }
  }

  /**
   * §I.2.3: the lag (5–15 ms) whose segment best matches the last 20 ms, by correlation
   * normalised by the candidate's energy: first every `decimation`-th sample, then every sample
   * around the coarse best.
   */
  private findPitch(): number {
    const signal = this.pitchBuffer;
    const end = this.historyLength;
    const latest = end - this.correlationLength;
    const earliest = end - this.correlationLength - this.pitchMax;
    const range = this.pitchMax - this.pitchMin;
    const score = (shift: number, step: number): number => {
      let energy = 0;
      let correlation = 0;
      for (let i = 0; i < this.correlationLength; i += step) {
        const candidate = signal[earliest + shift + i] ?? 0;
        energy += candidate * candidate;
        correlation += candidate * (signal[latest + i] ?? 0);
      }
      return correlation / Math.sqrt(Math.max(energy, this.correlationMinPower / step));
    };
    let best = 0;
    let bestScore = score(0, this.decimation);
    for (let shift = this.decimation; shift <= range; shift += this.decimation) {
      const candidate = score(shift, this.decimation);
      if (candidate >= bestScore) {
        bestScore = candidate;
        best = shift;
      }
    }
    const low = Math.max(0, best - (this.decimation - 1));
    const high = Math.min(range, best + (this.decimation - 1));
    bestScore = Number.NEGATIVE_INFINITY;
    for (let shift = low; shift <= high; shift++) {
      const candidate = score(shift, 1);
      if (candidate >= bestScore) {
        bestScore = candidate;
        best = shift;
      }
    }
    return this.pitchMax - best;
  }

  /** Append to history; the frame that leaves the delay line goes to `output` at `at` (rounded, clipped to 16 bits). */
  private save(subframe: Float64Array, output: Int16Array, at: number): void {
    const size = this.frameSize;
    const history = this.history;
    history.copyWithin(0, size);
    history.set(subframe, this.historyLength - size);
    const from = this.historyLength - size - this.overlapMax;
    for (let i = 0; i < size; i++) output[at + i] = Math.max(-32768, Math.min(32767, Math.round(history[from + i]!)));
  }
}
