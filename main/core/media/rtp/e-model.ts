/**
 * An estimate of call quality from the E-model, ITU-T G.107, in the simplified form used for
 * VoIP monitoring (all default parameters, so Ro − Is = 93.2):
 *
 *   R = 93.2 − Id − Ie-eff                                   (G.107 §7.1, default values)
 *   Ie-eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl)      (G.107 §7.5; BurstR = 1: random loss)
 *   MOS = 1 + 0.035 R + R (R − 60)(100 − R) · 7·10⁻⁶          (G.107 Annex B)
 *
 * Id is the delay impairment Idd for an absolute one-way delay Ta (G.107 §7.4), with echo taken
 * as well controlled (the Idte/Idle terms are left out — the usual simplification).
 */

/** Equipment impairment Ie and packet-loss robustness Bpl of a codec (ITU-T G.113 Appendix I). */
export interface CodecImpairment {
  readonly ie: number;
  readonly bpl: number;
}

/**
 * Values on the narrowband R scale.
 * - G.711: G.113 Appendix I: Ie 0; Bpl 4.3 without PLC, 25.1 with the G.711 Appendix I PLC.
 * - G.722 and Opus: G.113 rates them only on the wideband scale (Appendix IV, Ie,wb, against
 *   Ro = 129 of G.107.1), which does not mix with 93.2. Here they are taken as no worse than
 *   G.711 with PLC (Ie 0, Bpl 25.1) — an assumption, not a G.113 value; both carry their own
 *   concealment (G.722 Appendix III/IV, Opus RFC 6716 §4.4).
 */
export const CODEC_IMPAIRMENTS = {
  'PCMU': { ie: 0, bpl: 4.3 },
  'PCMA': { ie: 0, bpl: 4.3 },
  'PCMU+PLC': { ie: 0, bpl: 25.1 },
  'PCMA+PLC': { ie: 0, bpl: 25.1 },
  'G722': { ie: 0, bpl: 25.1 },
  'opus': { ie: 0, bpl: 25.1 },
} as const satisfies Record<string, CodecImpairment>;

export interface QualityInput {
  readonly codec: CodecImpairment;
  /** Packet loss in percent, 0–100. */
  readonly lossPercent: number;
  /** One-way mouth-to-ear delay in milliseconds (network + jitter buffer + packetisation). */
  readonly delayMs: number;
}

/** G.107 §7.4: Idd = 0 for Ta ≤ 100 ms, else 25 {(1 + X⁶)^⅙ − 3 (1 + (X/3)⁶)^⅙ + 2}, X = log₂(Ta/100). */
export function delayImpairment(delayMs: number): number {
  if (delayMs <= 100) return 0;
  const x = Math.log2(delayMs / 100);
  return 25 * ((1 + x ** 6) ** (1 / 6) - 3 * (1 + (x / 3) ** 6) ** (1 / 6) + 2);
}

export function effectiveEquipmentImpairment(codec: CodecImpairment, lossPercent: number): number {
  const ppl = Math.min(100, Math.max(0, lossPercent));
  return codec.ie + ((95 - codec.ie) * ppl) / (ppl + codec.bpl);
}

export function rFactor(input: QualityInput): number {
  return 93.2 - delayImpairment(Math.max(0, input.delayMs)) - effectiveEquipmentImpairment(input.codec, input.lossPercent);
}

/** G.107 Annex B: R to the estimated conversational MOS, 1–4.5. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export function estimateMos(input: QualityInput): number {
  return mosFromR(rFactor(input));
}
