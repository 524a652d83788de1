/**
 * CN, comfort noise (RFC 3389): a silence insertion descriptor says how loud the background
 * noise is (§3.1) and, optionally, its spectrum as reflection coefficients of an all-pole model
 * (§3.2). We only receive it: the decoder plays noise of that level and shape until the next
 * descriptor or voice packet (§4). We never send CN, so there is no encoder.
 */
import type { AudioCodec, AudioDecoder } from './audio-codec.js';
import { CodecError } from './codec-error.js';

/** 0 dBov: the RMS of a full-scale square wave (RFC 3389 §3.1), in 16-bit PCM. */
export const DBOV_REFERENCE_RMS = 32767;
/** A cap on the model order, which the payload length alone sets (§3): coefficients beyond it are ignored, as §3 allows. */
const MAX_MODEL_ORDER = 32;

/** The parameters of one silence insertion descriptor (RFC 3389 §3). */
export interface ComfortNoiseDescription {
  /** Noise level in dBov, 0 to −127 (§3.1). */
  readonly levelDbov: number;
  /** Reflection coefficients k1…kM in (−1, 1) (§3.2); empty for white noise. */
  readonly reflectionCoefficients: readonly number[];
}

/** Reads a CN payload: level octet, then one octet per reflection coefficient (RFC 3389 §3). */
export function parseComfortNoise(payload: Uint8Array): ComfortNoiseDescription {
  if (payload.length === 0) throw new CodecError('CN', 'empty payload');
  // §3.1: the MSB is unused and must be 0; the 7 bits are the level in −dBov.
  const levelDbov = -(payload[0]! & 0x7f);
  const reflectionCoefficients: number[] = [];
  for (let i = 1; i < payload.length && i <= MAX_MODEL_ORDER; i++) {
    // §3.2: uniform 8-bit quantisation, k = (N − 127) / 128; 255 would be an unstable 1.0.
    reflectionCoefficients.push((Math.min(payload[i]!, 254) - 127) / 128);
  }
  return { levelDbov, reflectionCoefficients };
}

/** Writes a CN payload (for tests and for peers' sakes; we do not send CN). */
export function formatComfortNoise(description: ComfortNoiseDescription): Uint8Array {
  const out = new Uint8Array(1 + description.reflectionCoefficients.length);
  out[0] = Math.min(127, Math.max(0, Math.round(-description.levelDbov)));
  description.reflectionCoefficients.forEach((k, i) => {
    out[i + 1] = Math.min(254, Math.max(0, Math.round(k * 128) + 127));
  });
  return out;
}

/**
 * Generates the noise: white noise through the all-pole lattice filter of the reflection
 * coefficients, scaled so that the output's RMS is the level the descriptor gives. An all-pole
 * filter driven by unit white noise has output power 1 / Π(1 − k²), so the excitation is
 * scaled by √Π(1 − k²).
 */
export class ComfortNoiseDecoder implements AudioDecoder {
  private description: ComfortNoiseDescription = { levelDbov: -127, reflectionCoefficients: [] };
  private excitationRms = 0;
  /** The lattice filter's backward prediction errors b0…bM−1 of the previous sample. */
  private backward = new Float64Array(0);
  private seed: number;

  constructor(
    private readonly sampleRate: number,
    private readonly frameDurationMs: number,
    seed = 0x2545f491,
  ) {
    this.seed = seed >>> 0 || 1;
  }

  /** Takes a new descriptor and returns the first frame of its noise. */
  decode(payload: Uint8Array): Int16Array {
    this.update(parseComfortNoise(payload));
    return this.generate(this.frameDurationMs);
  }

  /** No descriptor came: the noise goes on as the last one said (RFC 3389 §4). */
  decodeLoss(durationMs: number): Int16Array {
    return this.generate(durationMs);
  }

  update(description: ComfortNoiseDescription): void {
    const ks = description.reflectionCoefficients;
    if (ks.length !== this.description.reflectionCoefficients.length) this.backward = new Float64Array(ks.length);
    this.description = description;
    let gain = 1;
    for (const k of ks) gain *= 1 - k * k;
    this.excitationRms = DBOV_REFERENCE_RMS * 10 ** (description.levelDbov / 20) * Math.sqrt(gain);
  }

  generate(durationMs: number): Int16Array {
    const out = new Int16Array(Math.round((durationMs * this.sampleRate) / 1000));
    const ks = this.description.reflectionCoefficients;
    const order = ks.length;
    const b = this.backward;
    // Uniform noise in [−√3, √3) has unit variance.
    const scale = this.excitationRms * 2 * Math.sqrt(3);
    for (let n = 0; n < out.length; n++) {
      let f = (this.random() - 0.5) * scale;
      // All-pole lattice synthesis, from order M down to 1: f_{m−1} = f_m − k_m·b_{m−1}(n−1),
      // b_m(n) = b_{m−1}(n−1) + k_m·f_{m−1}.
      for (let m = order - 1; m >= 0; m--) {
        f -= ks[m]! * b[m]!;
        if (m + 1 < order) b[m + 1] = b[m]! + ks[m]! * f;
      }
      if (order > 0) b[0] = f;
      out[n] = f > 32767 ? 32767 : f < -32768 ? -32768 : Math.round(f);
    }
    return out;
  }

  /** xorshift32: cheap, and good enough for noise. */
  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 2 ** 32;
  }
}

/** CN's table entry: receive-only. */
export interface ComfortNoiseCodec extends AudioCodec {
  createDecoder(): ComfortNoiseDecoder;
}

/** A CN table entry at `clockRate` (static payload type 13 is CN at 8000, RFC 3551 Table 4). */
export function createComfortNoiseCodec(clockRate = 8000, payloadType = 13): ComfortNoiseCodec {
  const frameDurationMs = 20;
  return {
    name: 'CN',
    clockRate,
    sampleRate: clockRate,
    channels: 1,
    payloadType,
    frameDurationMs,
    createDecoder: () => new ComfortNoiseDecoder(clockRate, frameDurationMs),
  };
}

export const comfortNoise = createComfortNoiseCodec();
