export interface AgcOptions {
  /** Target speech level, dBFS RMS (default −20). */
  targetDbfs?: number;
  /** Largest gain, dB (default 30). */
  maxGainDb?: number;
  /** Smallest gain, dB (default −20). */
  minGainDb?: number;
  /** How fast the gain may rise, dB/s (default 8: slow release). */
  riseDbPerSecond?: number;
  /** How fast the gain may fall, dB/s (default 30). */
  fallDbPerSecond?: number;
  /** Frames below this level never count as speech, dBFS (default −65). */
  gateDbfs?: number;
}

const FULL_SCALE = 32768;
const LIMIT = 0.9 * 32767; // peak ceiling, ≈ −0.9 dBFS

function dbfs(rms: number): number {
  return 20 * Math.log10(Math.max(rms, 1e-9) / FULL_SCALE);
}

/**
 * Automatic gain control on any frame length (10/20 ms). Speech frames are told from noise by an
 * energy gate: above `gateDbfs` and ≥ 9 dB above a tracked noise floor. The speech level is
 * smoothed over speech frames only; the gain moves towards target − level at most
 * `riseDbPerSecond` up and `fallDbPerSecond` down, and is frozen during silence/noise, so noise is
 * never pumped up. A per-frame peak limiter guarantees no clipping.
 */
export class AutomaticGainControl {
  private readonly target: number;
  private readonly maxGain: number;
  private readonly minGain: number;
  private readonly rise: number;
  private readonly fall: number;
  private readonly gate: number;
  private noiseFloorDb: number | null = null;
  private speechLevelDb: number | null = null;
  private gainDb = 0;
  private appliedGain = 1;
  readonly latencySamples = 0;

  constructor(
    readonly sampleRate: number,
    options: AgcOptions = {},
  ) {
    this.target = options.targetDbfs ?? -20;
    this.maxGain = options.maxGainDb ?? 30;
    this.minGain = options.minGainDb ?? -20;
    this.rise = options.riseDbPerSecond ?? 8;
    this.fall = options.fallDbPerSecond ?? 30;
    this.gate = options.gateDbfs ?? -65;
  }

  /** Current gain in dB. */
  get currentGainDb(): number {
    return this.gainDb;
  }

  process(near: Int16Array): Int16Array {
    const out = new Int16Array(near.length);
    if (near.length === 0) return out;
    const seconds = near.length / this.sampleRate;
    let sum = 0;
    let peak = 0;
    for (let i = 0; i < near.length; i++) {
      const v = near[i]!;
      sum += v * v;
      const a = Math.abs(v);
      if (a > peak) peak = a;
    }
    const levelDb = dbfs(Math.sqrt(sum / near.length));
    // Noise floor: starts at the first frame, falls fast, rises slowly (3 dB/s).
    const floor = this.noiseFloorDb ?? levelDb;
    this.noiseFloorDb = levelDb < floor ? 0.7 * floor + 0.3 * levelDb : Math.min(levelDb, floor + 3 * seconds);
    const speech = levelDb > this.gate && levelDb > floor + 9;
    if (speech) {
      // Power average over ~0.4 s of speech frames (faster when the level jumps up).
      const a = Math.exp(-seconds / (levelDb > (this.speechLevelDb ?? -Infinity) + 6 ? 0.1 : 0.4));
      this.speechLevelDb =
        this.speechLevelDb === null ? levelDb : 10 * Math.log10(a * 10 ** (this.speechLevelDb / 10) + (1 - a) * 10 ** (levelDb / 10));
      const wanted = Math.min(this.maxGain, Math.max(this.minGain, this.target - this.speechLevelDb));
      const step = wanted - this.gainDb;
      this.gainDb += step > 0 ? Math.min(step, this.rise * seconds) : Math.max(step, -this.fall * seconds);
    }
    let gain = 10 ** (this.gainDb / 20);
    if (peak * gain > LIMIT) gain = LIMIT / peak;
    const start = this.appliedGain;
    for (let i = 0; i < near.length; i++) {
      let g = start + ((gain - start) * (i + 1)) / near.length;
      if (peak * g > LIMIT) g = LIMIT / peak;
      out[i] = Math.round(near[i]! * g);
    }
    this.appliedGain = gain;
    return out;
  }
}
