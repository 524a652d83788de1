import { Fft } from './fft.js';

export interface EchoCancellerOptions {
  /** Echo tail covered by the adaptive filter, ms (default 200). */
  tailMs?: number;
  /** Normalised step size, 0 < mu ≤ 1 (default 1). */
  stepSize?: number;
  /** Geigel double-talk threshold: near peak above this share of the recent far peak freezes adaptation (default 0.5). */
  geigelThreshold?: number;
  /** Residual echo suppression (spectral gain from the echo estimate), default true. */
  residualSuppression?: boolean;
}

/**
 * Acoustic echo canceller: partitioned-block frequency-domain adaptive filter (MDF, overlap-save,
 * FFT of two blocks, one partition per block), per-bin power-normalised step, constrained gradient
 * (every partition, every adapting block). Double talk by the Geigel detector with a hangover:
 * adaptation is frozen while the near-end peak exceeds `geigelThreshold` × the far-end peak over the
 * tail. An optional residual echo suppressor attenuates bins where the echo estimate dominates the error.
 */
export class EchoCancellerCore {
  private readonly fft: Fft;
  private readonly partitions: number;
  private readonly bins: number;
  private readonly xRe: Float64Array[];
  private readonly xIm: Float64Array[];
  private readonly wRe: Float64Array[];
  private readonly wIm: Float64Array[];
  private head = 0;
  private readonly prevFar: Float64Array;
  private readonly farPower: Float64Array;
  private readonly farPeaks: Float64Array;
  private peakIndex = 0;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly yRe: Float64Array;
  private readonly yIm: Float64Array;
  private readonly echo: Float64Array;
  private readonly eRe: Float64Array;
  private readonly eIm: Float64Array;
  private readonly error: Float64Array;
  private readonly errPow: Float64Array;
  private readonly echoPow: Float64Array;
  private readonly resPrevIn: Float64Array;
  private readonly resPrevEcho: Float64Array;
  private readonly resOverlap: Float64Array;
  private readonly window: Float64Array;
  private hangover = 0;
  private readonly hangoverBlocks: number;
  private readonly mu: number;
  private readonly geigel: number;
  private readonly residual: boolean;
  /** Blocks in which the filter adapted (for tests and diagnostics). */
  adaptedBlocks = 0;
  /** Blocks in which the double-talk detector froze adaptation. */
  doubleTalkBlocks = 0;
  readonly latencySamples: number;

  constructor(
    private readonly blockSize: number,
    sampleRate: number,
    options: EchoCancellerOptions = {},
  ) {
    const n = blockSize;
    const m = 2 * n;
    this.fft = new Fft(m);
    this.bins = n + 1;
    const tail = Math.round(((options.tailMs ?? 200) * sampleRate) / 1000);
    this.partitions = Math.max(1, Math.ceil(tail / n));
    const spectra = (): Float64Array[] => Array.from({ length: this.partitions }, () => new Float64Array(this.bins));
    this.xRe = spectra();
    this.xIm = spectra();
    this.wRe = spectra();
    this.wIm = spectra();
    this.prevFar = new Float64Array(n);
    this.farPower = new Float64Array(this.bins);
    this.farPeaks = new Float64Array(this.partitions + 1);
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
    this.yRe = new Float64Array(this.bins);
    this.yIm = new Float64Array(this.bins);
    this.echo = new Float64Array(n);
    this.eRe = new Float64Array(this.bins);
    this.eIm = new Float64Array(this.bins);
    this.error = new Float64Array(n);
    this.errPow = new Float64Array(this.bins);
    this.echoPow = new Float64Array(this.bins);
    this.resPrevIn = new Float64Array(n);
    this.resPrevEcho = new Float64Array(n);
    this.resOverlap = new Float64Array(n);
    this.window = new Float64Array(m);
    for (let i = 0; i < m; i++) this.window[i] = Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / m));
    this.hangoverBlocks = Math.ceil((0.25 * sampleRate) / n);
    this.mu = options.stepSize ?? 1;
    this.geigel = options.geigelThreshold ?? 0.5;
    this.residual = options.residualSuppression ?? true;
    this.latencySamples = this.residual ? n : 0;
  }

  /** Adaptive filter length in samples. */
  get filterLength(): number {
    return this.partitions * this.blockSize;
  }

  /** Replaces `near` (microphone block) with the echo-cancelled block; `far` is what the speaker played. */
  processBlock(near: Float64Array, far: Float64Array | null): void {
    const n = this.blockSize;
    const m = 2 * n;
    const P = this.partitions;
    const { re, im } = this;

    // Far-end spectrum of [previous block, this block] into the ring.
    this.head = (this.head + P - 1) % P;
    let farPeak = 0;
    let farEnergy = 0;
    for (let i = 0; i < n; i++) {
      const x = far ? far[i]! : 0;
      re[i] = this.prevFar[i]!;
      re[i + n] = x;
      this.prevFar[i] = x;
      const a = Math.abs(x);
      if (a > farPeak) farPeak = a;
      farEnergy += x * x;
    }
    im.fill(0);
    this.fft.forward(re, im);
    const xr0 = this.xRe[this.head]!;
    const xi0 = this.xIm[this.head]!;
    for (let k = 0; k < this.bins; k++) {
      xr0[k] = re[k]!;
      xi0[k] = im[k]!;
      const p = re[k]! * re[k]! + im[k]! * im[k]!;
      this.farPower[k] = 0.9 * this.farPower[k]! + 0.1 * p;
    }
    this.farPeaks[this.peakIndex] = farPeak;
    this.peakIndex = (this.peakIndex + 1) % this.farPeaks.length;

    // Echo estimate Y = Σ W_p X_{i-p}.
    this.yRe.fill(0);
    this.yIm.fill(0);
    for (let p = 0; p < P; p++) {
      const xr = this.xRe[(this.head + p) % P]!;
      const xi = this.xIm[(this.head + p) % P]!;
      const wr = this.wRe[p]!;
      const wi = this.wIm[p]!;
      for (let k = 0; k < this.bins; k++) {
        this.yRe[k]! += wr[k]! * xr[k]! - wi[k]! * xi[k]!;
        this.yIm[k]! += wr[k]! * xi[k]! + wi[k]! * xr[k]!;
      }
    }
    this.toTime(this.yRe, this.yIm);
    let nearPeak = 0;
    for (let i = 0; i < n; i++) {
      const d = near[i]!;
      const a = Math.abs(d);
      if (a > nearPeak) nearPeak = a;
      this.echo[i] = re[i + n]!;
      this.error[i] = d - re[i + n]!;
    }

    // Double-talk detection (Geigel) with hangover.
    let maxFar = 0;
    for (const v of this.farPeaks) if (v > maxFar) maxFar = v;
    if (nearPeak > this.geigel * maxFar && nearPeak > 64) this.hangover = this.hangoverBlocks;
    else if (this.hangover > 0) this.hangover--;
    const farActive = farEnergy / n > 100; // above ≈ −70 dBFS
    if (this.hangover > 0 && farActive) this.doubleTalkBlocks++;

    if (this.hangover === 0 && farActive) {
      this.adaptedBlocks++;
      for (let i = 0; i < n; i++) {
        re[i] = 0;
        re[i + n] = this.error[i]!;
      }
      im.fill(0);
      this.fft.forward(re, im);
      const eRe = this.eRe;
      const eIm = this.eIm;
      eRe.set(re.subarray(0, this.bins));
      eIm.set(im.subarray(0, this.bins));
      let meanPower = 0;
      for (let k = 0; k < this.bins; k++) meanPower += this.farPower[k]!;
      meanPower /= this.bins;
      const delta = 0.01 * meanPower + m * 100;
      for (let p = 0; p < P; p++) {
        const xr = this.xRe[(this.head + p) % P]!;
        const xi = this.xIm[(this.head + p) % P]!;
        const wr = this.wRe[p]!;
        const wi = this.wIm[p]!;
        for (let k = 0; k < this.bins; k++) {
          const g = this.mu / (P * this.farPower[k]! + delta);
          const er = eRe[k]!;
          const ei = eIm[k]!;
          // conj(X) · E
          wr[k]! += g * (xr[k]! * er + xi[k]! * ei);
          wi[k]! += g * (xr[k]! * ei - xi[k]! * er);
        }
        this.constrain(wr, wi);
      }
    }

    if (this.residual) this.suppressResidual(near);
    else near.set(this.error);
  }

  /** Inverse FFT of a half spectrum into `re` (time domain). */
  private toTime(sr: Float64Array, si: Float64Array): void {
    const m = 2 * this.blockSize;
    const { re, im } = this;
    for (let k = 0; k < this.bins; k++) {
      re[k] = sr[k]!;
      im[k] = si[k]!;
      if (k > 0 && k < this.blockSize) {
        re[m - k] = sr[k]!;
        im[m - k] = -si[k]!;
      }
    }
    this.fft.inverse(re, im);
  }

  /** Gradient constraint: keep only the first half of the partition's impulse response. */
  private constrain(wr: Float64Array, wi: Float64Array): void {
    const n = this.blockSize;
    this.toTime(wr, wi);
    const { re, im } = this;
    for (let i = n; i < 2 * n; i++) re[i] = 0;
    im.fill(0);
    this.fft.forward(re, im);
    for (let k = 0; k < this.bins; k++) {
      wr[k] = re[k]!;
      wi[k] = im[k]!;
    }
  }

  /**
   * Residual echo suppression: STFT of the error and of the echo estimate, gain
   * max(floor, 1 − β·|Ŷ|²/|E|²) (smoothed powers), overlap-add; delays the output by one block.
   */
  private suppressResidual(out: Float64Array): void {
    const n = this.blockSize;
    const m = 2 * n;
    const { re, im, window } = this;
    // Echo estimate spectrum (windowed) first.
    for (let i = 0; i < n; i++) {
      re[i] = this.resPrevEcho[i]! * window[i]!;
      re[i + n] = this.echo[i]! * window[i + n]!;
      this.resPrevEcho[i] = this.echo[i]!;
    }
    im.fill(0);
    this.fft.forward(re, im);
    for (let k = 0; k < this.bins; k++) this.echoPow[k] = 0.6 * this.echoPow[k]! + 0.4 * (re[k]! * re[k]! + im[k]! * im[k]!);
    for (let i = 0; i < n; i++) {
      re[i] = this.resPrevIn[i]! * window[i]!;
      re[i + n] = this.error[i]! * window[i + n]!;
      this.resPrevIn[i] = this.error[i]!;
    }
    im.fill(0);
    this.fft.forward(re, im);
    for (let k = 0; k < this.bins; k++) {
      const e = re[k]! * re[k]! + im[k]! * im[k]!;
      this.errPow[k] = 0.6 * this.errPow[k]! + 0.4 * e;
      // The residual is roughly 15–25 dB below the estimate once converged; only remove that much.
      const residual = 0.03 * this.echoPow[k]!;
      let g = 1 - residual / (this.errPow[k]! + 1e-6);
      if (g < 0.1) g = 0.1;
      re[k]! *= g;
      im[k]! *= g;
      if (k > 0 && k < n) {
        re[m - k] = re[k]!;
        im[m - k] = -im[k]!;
      }
    }
    this.fft.inverse(re, im);
    for (let i = 0; i < n; i++) {
      out[i] = this.resOverlap[i]! + re[i]! * window[i]!;
      this.resOverlap[i] = re[i + n]! * window[i + n]!;
    }
  }
}
