import { Fft } from './fft.js';

export type NoiseSuppressionLevel = 'off' | 'low' | 'high';

interface LevelParams {
  /** Lowest gain applied to a bin (attenuation limit). */
  floor: number;
  /** Noise over-estimation factor. */
  overSubtraction: number;
}

const PARAMS: Record<Exclude<NoiseSuppressionLevel, 'off'>, LevelParams> = {
  low: { floor: 0.25, overSubtraction: 1 }, // at most −12 dB
  high: { floor: 0.08, overSubtraction: 1.6 }, // at most −22 dB
};

/**
 * Single-channel noise suppressor: STFT (sqrt-Hann, 50 % overlap, frame = 2 blocks), noise power
 * by minimum statistics over ~1.5 s, decision-directed a-priori SNR and a Wiener gain with a floor.
 * Works in place on blocks; the output is delayed by one block (overlap-add).
 */
export class NoiseSuppressorCore {
  private readonly fft: Fft;
  private readonly window: Float64Array;
  private readonly prevIn: Float64Array;
  private readonly overlap: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly smoothed: Float64Array;
  private readonly noise: Float64Array;
  private readonly gainPrev: Float64Array;
  private readonly postPrev: Float64Array;
  private readonly subMin: Float64Array;
  private readonly minHistory: Float64Array[];
  private subCount = 0;
  private readonly subLength: number;
  private frames = 0;
  private params: LevelParams;
  readonly latencySamples: number;

  constructor(
    private readonly blockSize: number,
    sampleRate: number,
    level: Exclude<NoiseSuppressionLevel, 'off'> = 'high',
  ) {
    const m = blockSize * 2;
    const bins = blockSize + 1;
    this.fft = new Fft(m);
    this.window = new Float64Array(m);
    for (let i = 0; i < m; i++) this.window[i] = Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / m));
    this.prevIn = new Float64Array(blockSize);
    this.overlap = new Float64Array(blockSize);
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
    this.smoothed = new Float64Array(bins);
    this.noise = new Float64Array(bins);
    this.gainPrev = new Float64Array(bins).fill(1);
    this.postPrev = new Float64Array(bins).fill(1);
    this.subMin = new Float64Array(bins).fill(Infinity);
    // Minimum over 8 sub-windows of ~0.19 s each.
    this.subLength = Math.max(1, Math.round((0.19 * sampleRate) / blockSize));
    this.minHistory = Array.from({ length: 8 }, () => new Float64Array(bins).fill(Infinity));
    this.params = PARAMS[level];
    this.latencySamples = blockSize;
  }

  setLevel(level: Exclude<NoiseSuppressionLevel, 'off'>): void {
    this.params = PARAMS[level];
  }

  /** Replaces `block` with the suppressed signal, one block late. */
  processBlock(block: Float64Array): void {
    const n = this.blockSize;
    const m = n * 2;
    const { re, im, window } = this;
    for (let i = 0; i < n; i++) {
      re[i] = this.prevIn[i]! * window[i]!;
      re[i + n] = block[i]! * window[i + n]!;
      this.prevIn[i] = block[i]!;
    }
    im.fill(0);
    this.fft.forward(re, im);

    const first = this.frames === 0;
    this.frames++;
    const { floor, overSubtraction } = this.params;
    const BIAS = 1.8; // min of a smoothed periodogram under-estimates the mean
    const ALPHA_S = 0.8;
    const ALPHA_DD = 0.97;
    const endOfSub = ++this.subCount >= this.subLength;
    for (let k = 0; k <= n; k++) {
      const p = re[k]! * re[k]! + im[k]! * im[k]! + 1e-3;
      const s = first ? p : ALPHA_S * this.smoothed[k]! + (1 - ALPHA_S) * p;
      this.smoothed[k] = s;
      if (s < this.subMin[k]!) this.subMin[k] = s;
      let min = this.subMin[k]!;
      for (const h of this.minHistory) if (h[k]! < min) min = h[k]!;
      const noise = BIAS * min;
      this.noise[k] = noise;
      const post = p / (noise * overSubtraction);
      const prior = ALPHA_DD * this.gainPrev[k]! * this.gainPrev[k]! * this.postPrev[k]! + (1 - ALPHA_DD) * Math.max(post - 1, 0);
      let g = prior / (1 + prior);
      if (g < floor) g = floor;
      this.gainPrev[k] = g;
      this.postPrev[k] = post;
      re[k]! *= g;
      im[k]! *= g;
      if (k > 0 && k < n) {
        re[m - k] = re[k]!;
        im[m - k] = -im[k]!;
      }
    }
    if (endOfSub) {
      this.subCount = 0;
      const oldest = this.minHistory.shift()!;
      oldest.set(this.subMin);
      this.minHistory.push(oldest);
      this.subMin.fill(Infinity);
    }
    this.fft.inverse(re, im);
    for (let i = 0; i < n; i++) {
      block[i] = this.overlap[i]! + re[i]! * window[i]!;
      this.overlap[i] = re[i + n]! * window[i + n]!;
    }
  }
}
