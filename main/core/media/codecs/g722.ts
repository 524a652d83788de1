/**
 * ITU-T G.722 (09/2012) 7 kHz audio coding at 64 kbit/s (mode 1): a quadrature mirror filter
 * (QMF, §3.1/§4.4) splits 16 kHz PCM into a 0–4 kHz and a 4–8 kHz band, coded by adaptive
 * differential PCM with 6 bits (low band) and 2 bits (high band) per 8 kHz sample (§3, §4).
 * Block names follow §6.2 (QUANTL, INVQAL, LOGSCL, SCALEL, UPPOL1/2, UPZERO, FILTEP, FILTEZ, …)
 * and so does the fixed-point arithmetic, checked byte for byte against spandsp's g722.c
 * (test/fixtures/codecs/g722-spandsp.c).
 *
 * PCM is 16-bit where G.722 specifies 14-bit: the transmit QMF divides by 2^14, giving the
 * 15-bit sub-band signals the ADPCM expects, and the receive QMF by 2^11, back to 16 bits (as
 * spandsp does). Where the receive QMF's result exceeds 16 bits we saturate; spandsp wraps around.
 */
import type { AudioDecoder, AudioEncoder, VoiceCodec } from './audio-codec.js';

/** QMF coefficients h0, h2, …, h22 (§3.1, §5); h is symmetric, so h1, h3, … is this reversed. */
const QMF_EVEN = Int32Array.of(3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11);
const QMF_ODD = Int32Array.of(-11, 53, -156, 362, -805, 3876, 951, -210, 32, 12, -11, 3);

/** QUANTL decision levels ("Q6"), times det/4096. */
const Q6 = Int32Array.of(
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
  786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
);
/** QUANTL output codes for negative (ILN) and positive (ILP) differences, by interval. */
const ILN = Int32Array.of(0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0);
const ILP = Int32Array.of(0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0);

/** INVQBL: 6-bit low-band inverse quantiser outputs ("QQ6"), by code. */
const QM6 = Int32Array.of(
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
  -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
  24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
  4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
);
/** INVQAL: 4-bit low-band inverse quantiser outputs ("QQ4"), by the code's top 4 bits. */
const QM4 = Int32Array.of(0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0);
/** INVQAH: 2-bit high-band inverse quantiser outputs ("QQ2"). */
const QM2 = Int32Array.of(-7408, -1616, 7408, 1616);

/** LOGSCL: magnitude index of a 4-bit code ("RIL → IL4") and its log-scale-factor multiplier ("WL"). */
const RL42 = Int32Array.of(0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0);
const WL = Int32Array.of(-60, -30, 58, 172, 334, 538, 1198, 3042);
/** LOGSCH: the same for the 2-bit high band ("IH2", "WH"). */
const RH2 = Int32Array.of(2, 1, 2, 1);
const WH = Int32Array.of(0, -214, 798);
/** QUANTH output codes by magnitude interval: negative (IHN) and positive (IHP). */
const IHN = Int32Array.of(0, 1, 0);
const IHP = Int32Array.of(0, 3, 2);

/** SCALEL/SCALEH: the antilog table ("ILA"), 2^(i/32) in Q11. */
const ILB = Int32Array.of(
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
  2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
);

function saturate16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

function saturate15(x: number): number {
  return x > 16383 ? 16383 : x < -16384 ? -16384 : x;
}

/** Whether two 16-bit values differ in sign, as G.722's sign-bit comparisons (a zero counts as positive). */
function signsDiffer(a: number, b: number): boolean {
  return (a ^ b) < 0;
}

/**
 * The adaptive predictor and scale factor of one sub-band (blocks 3L/3H and 4L/4H), the same
 * in the encoder and the decoder, which is what keeps them in step.
 */
class SubBand {
  /** Signal estimate SL/SH (PREDIC). */
  s = 0;
  /** Zero-section signal estimate SZL/SZH (FILTEZ). */
  sz = 0;
  /** Reconstructed signal delayed by one sample, RL(n−1) (FILTEP). */
  r1 = 0;
  /** Pole predictor coefficients AL1, AL2 (UPPOL1, UPPOL2). */
  a1 = 0;
  a2 = 0;
  /** Partially reconstructed signal delayed by 1 and 2 samples, PL(n−1), PL(n−2) (PARREC). */
  p1 = 0;
  p2 = 0;
  /** Zero predictor coefficients BL1..BL6 and the quantised differences DL(n)..DL(n−6) (UPZERO, DELAYA). */
  readonly b = new Int32Array(6);
  readonly d = new Int32Array(7);
  /** Logarithmic scale factor NBL/NBH (LOGSCL/LOGSCH). */
  nb = 0;
  /** Scale factor DETL/DETH (SCALEL/SCALEH). */
  det: number;

  constructor(
    initialDet: number,
    private readonly nbMax: number,
    private readonly scaleShift: number,
  ) {
    this.det = initialDet;
  }

  /** LOGSCL/LOGSCH then SCALEL/SCALEH (§6.2). */
  adaptScale(weight: number): void {
    let nb = ((this.nb * 127) >> 7) + weight;
    if (nb < 0) nb = 0;
    else if (nb > this.nbMax) nb = this.nbMax;
    this.nb = nb;
    const mantissa = ILB[(nb >> 6) & 31]!;
    const shift = this.scaleShift - (nb >> 11);
    this.det = (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
  }

  /** Block 4: reconstruct and adapt the pole and zero predictors to the new difference `dx` (§6.2). */
  adaptPredictor(dx: number): void {
    // RECONS, PARREC
    const r = saturate16(this.s + dx);
    const p = saturate16(this.sz + dx);

    // UPPOL2: a2 follows the sign correlations of p with p(n−1) and p(n−2), leaks by 1 − 2^-7.
    const wd1 = saturate16(this.a1 << 2);
    let wd2 = signsDiffer(p, this.p1) ? wd1 : -wd1;
    if (wd2 > 32767) wd2 = 32767;
    let a2 = (signsDiffer(p, this.p2) ? -128 : 128) + (wd2 >> 7) + ((this.a2 * 32512) >> 15);
    if (a2 > 12288) a2 = 12288;
    else if (a2 < -12288) a2 = -12288;

    // UPPOL1: a1 follows the sign correlation of p with p(n−1), leaks by 1 − 2^-8, bounded by 1 − 2^-4 − a2.
    let a1 = saturate16((signsDiffer(p, this.p1) ? -192 : 192) + ((this.a1 * 32640) >> 15));
    const a1Limit = saturate16(15360 - a2);
    if (a1 > a1Limit) a1 = a1Limit;
    else if (a1 < -a1Limit) a1 = -a1Limit;

    // FILTEP: the pole section's estimate from the last two reconstructed samples.
    const sp = saturate16(((a1 * saturate16(r + r)) >> 15) + ((a2 * saturate16(this.r1 + this.r1)) >> 15));
    this.r1 = r;
    this.a1 = a1;
    this.a2 = a2;
    this.p2 = this.p1;
    this.p1 = p;

    // UPZERO (sign-sign adaptation, leak 1 − 2^-8), DELAYA, FILTEZ.
    const step = dx === 0 ? 0 : 128;
    const b = this.b;
    const d = this.d;
    d[0] = dx;
    let sz = 0;
    for (let i = 5; i >= 0; i--) {
      const bi = saturate16((signsDiffer(d[i + 1]!, dx) ? -step : step) + ((b[i]! * 32640) >> 15));
      b[i] = bi;
      sz += (bi * saturate16(d[i]! + d[i]!)) >> 15;
      d[i + 1] = d[i]!;
    }
    this.sz = saturate16(sz);

    // PREDIC
    this.s = saturate16(sp + this.sz);
  }
}

function lowBand(): SubBand {
  // DETL starts at 32, NBL is limited to 18432.
  return new SubBand(32, 18432, 8);
}

function highBand(): SubBand {
  // DETH starts at 8, NBH is limited to 22528.
  return new SubBand(8, 22528, 10);
}

/** A G.722 64 kbit/s encoder: 2 samples of 16 kHz PCM → 1 octet (high-band bits 7–6, low-band bits 5–0). */
export class G722Encoder implements AudioEncoder {
  private readonly low = lowBand();
  private readonly high = highBand();
  /** The transmit QMF's last 12 input pairs, stored twice over so that a window is contiguous. */
  private readonly xEven = new Int32Array(24);
  private readonly xOdd = new Int32Array(24);
  private qmfPosition = 0;
  /** An odd sample left over from the previous call, waiting for its partner. */
  private pending: number | undefined;

  /** Encodes `pcm` (16 kHz); an odd trailing sample is kept for the next call. */
  encode(pcm: Int16Array): Uint8Array {
    let i = 0;
    const total = pcm.length + (this.pending === undefined ? 0 : 1);
    const out = new Uint8Array(total >> 1);
    let o = 0;
    if (this.pending !== undefined && pcm.length > 0) {
      out[o++] = this.encodePair(this.pending, pcm[0]!);
      this.pending = undefined;
      i = 1;
    }
    for (; i + 1 < pcm.length; i += 2) out[o++] = this.encodePair(pcm[i]!, pcm[i + 1]!);
    if (i < pcm.length) this.pending = pcm[i]!;
    return out;
  }

  private encodePair(first: number, second: number): number {
    // Transmit QMF (§3.1): split into the low and high band at 8 kHz.
    const n = this.qmfPosition;
    this.xEven[n] = this.xEven[n + 12] = first;
    this.xOdd[n] = this.xOdd[n + 12] = second;
    const start = (this.qmfPosition = n === 11 ? 0 : n + 1);
    let sumEven = 0;
    let sumOdd = 0;
    for (let k = 0; k < 12; k++) {
      sumEven += this.xEven[start + k]! * QMF_EVEN[k]!;
      sumOdd += this.xOdd[start + k]! * QMF_ODD[k]!;
    }
    const xl = saturate16((sumOdd + sumEven) >> 14);
    const xh = saturate16((sumOdd - sumEven) >> 14);

    // Low band: SUBTRA, QUANTL (6 bits), INVQAL (4 bits), LOGSCL, SCALEL, block 4.
    const low = this.low;
    const el = saturate16(xl - low.s);
    const magnitude = el >= 0 ? el : ~el;
    let interval = 1;
    while (interval < 30 && magnitude >= (Q6[interval]! * low.det) >> 12) interval++;
    const il = el < 0 ? ILN[interval]! : ILP[interval]!;
    const il4 = il >> 2;
    const dl = (low.det * QM4[il4]!) >> 15;
    low.adaptScale(WL[RL42[il4]!]!);
    low.adaptPredictor(dl);

    // High band: SUBTRA, QUANTH (2 bits), INVQAH, LOGSCH, SCALEH, block 4.
    const high = this.high;
    const eh = saturate16(xh - high.s);
    const bigger = (eh >= 0 ? eh : ~eh) >= (564 * high.det) >> 12 ? 2 : 1;
    const ih = eh < 0 ? IHN[bigger]! : IHP[bigger]!;
    const dh = (high.det * QM2[ih]!) >> 15;
    high.adaptScale(WH[RH2[ih]!]!);
    high.adaptPredictor(dh);

    return (ih << 6) | il;
  }
}

/** A G.722 64 kbit/s decoder: 1 octet → 2 samples of 16 kHz PCM. */
export class G722Decoder implements AudioDecoder {
  private readonly low = lowBand();
  private readonly high = highBand();
  /** The receive QMF's last 12 sum and difference values, stored twice over. */
  private readonly xSum = new Int32Array(24);
  private readonly xDifference = new Int32Array(24);
  private qmfPosition = 0;

  decode(octets: Uint8Array): Int16Array {
    const out = new Int16Array(octets.length * 2);
    for (let j = 0; j < octets.length; j++) {
      const code = octets[j]!;
      // Low band: INVQBL (6 bits) for the output, INVQAL (4 bits) for the predictor (§4.2).
      const low = this.low;
      const il = code & 0x3f;
      const rl = saturate15(low.s + ((low.det * QM6[il]!) >> 15));
      const il4 = il >> 2;
      const dl = (low.det * QM4[il4]!) >> 15;
      low.adaptScale(WL[RL42[il4]!]!);
      low.adaptPredictor(dl);

      // High band: INVQAH, LOGSCH, SCALEH, block 4.
      const high = this.high;
      const ih = code >> 6;
      const dh = (high.det * QM2[ih]!) >> 15;
      const rh = saturate15(high.s + dh);
      high.adaptScale(WH[RH2[ih]!]!);
      high.adaptPredictor(dh);

      // Receive QMF (§4.4): interleave the two bands back into 16 kHz.
      const n = this.qmfPosition;
      this.xSum[n] = this.xSum[n + 12] = rl + rh;
      this.xDifference[n] = this.xDifference[n + 12] = rl - rh;
      const start = (this.qmfPosition = n === 11 ? 0 : n + 1);
      let first = 0;
      let second = 0;
      for (let k = 0; k < 12; k++) {
        first += this.xDifference[start + k]! * QMF_ODD[k]!;
        second += this.xSum[start + k]! * QMF_EVEN[k]!;
      }
      out[2 * j] = saturate16(first >> 11);
      out[2 * j + 1] = saturate16(second >> 11);
    }
    return out;
  }
}

/**
 * G722: static payload type 9 whose RTP clock says 8000 although it samples at 16 kHz, an
 * error kept for compatibility (RFC 3551 §4.5.2). Each 20 ms frame is 320 samples → 160 octets.
 */
export const g722: VoiceCodec = {
  name: 'G722',
  clockRate: 8000,
  sampleRate: 16000,
  channels: 1,
  payloadType: 9,
  frameDurationMs: 20,
  createEncoder: () => new G722Encoder(),
  createDecoder: () => new G722Decoder(),
};
