/**
 * ITU-T G.711 (11/88) pulse code modulation: μ-law (Tables 2a/2b) and A-law (Tables 1a/1b).
 * 16-bit linear samples map to the law's uniform scale as the ITU's own reference does
 * (ITU-T G.191 STL, g711.c): the magnitude of a negative sample is its ones' complement, then
 * the low bits are dropped (2 for μ-law's 14-bit scale, 3 for A-law's 13-bit one, plus the sign).
 */
import type { AudioDecoder, AudioEncoder, VoiceCodec } from './audio-codec.js';

/** μ-law code → 16-bit linear: the decoder output values of G.711 Table 2a, times 4. */
export function ulawToLinear(code: number): number {
  // Transmitted codes are the complement of sign (1 = positive), segment (3 bits), step (4 bits).
  const inverted = ~code & 0xff;
  const segment = (inverted >> 4) & 0x07;
  const step = inverted & 0x0f;
  // In units of the 14-bit scale: segment s starts at (33 << s) − 33 and its steps are 2^(s+1) wide;
  // the output value is the middle of the step (Table 2a, column "decoder output value").
  const magnitude = (((step << 1) + 33) << segment) - 33;
  return code & 0x80 ? magnitude << 2 : -(magnitude << 2) | 0; // | 0: −0 is 0
}

/** 16-bit linear → μ-law code (G.711 Table 2a decision values). */
export function linearToUlaw(sample: number): number {
  const positive = sample >= 0;
  // Bias by 33 so that every segment starts at a power of two (G.711 §3, Table 2a note).
  let biased = ((positive ? sample : ~sample) >> 2) + 33;
  if (biased > 0x1fff) biased = 0x1fff;
  const segment = 31 - Math.clz32(biased) - 5; // bit 5 set ⇒ segment 0
  const step = (biased >> (segment + 1)) & 0x0f;
  // The line carries the complement of segment and step; the sign bit is 1 for positive samples.
  return ((segment << 4) | step) ^ (positive ? 0xff : 0x7f);
}

/** A-law code → 16-bit linear: the decoder output values of G.711 Table 1a, times 8. */
export function alawToLinear(code: number): number {
  // Even bits are inverted on the line (G.711 §2, Table 1a note 1).
  const character = code ^ 0x55;
  const segment = (character >> 4) & 0x07;
  const step = character & 0x0f;
  // In 16-bit units (the 13-bit scale times 8): segments 0 and 1 both step by 16; above, segment s
  // starts at 2^(s+7) and steps by 2^(s+3); the output is the middle of the step.
  const magnitude = segment === 0 ? (step << 4) + 8 : ((step << 4) + 0x108) << (segment - 1);
  return character & 0x80 ? magnitude : -magnitude;
}

/** 16-bit linear → A-law code (G.711 Table 1a decision values). */
export function linearToAlaw(sample: number): number {
  const positive = sample >= 0;
  const magnitude = (positive ? sample : ~sample) >> 4; // 0..2047
  let character: number;
  if (magnitude < 32) {
    character = magnitude; // segments 0 and 1 share one step size
  } else {
    const segment = 31 - Math.clz32(magnitude) - 3; // 2..7
    character = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0f);
  }
  return (positive ? 0x80 | character : character) ^ 0x55;
}

function decodeTable(toLinear: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = toLinear(code);
  return table;
}

function encodeTable(toCode: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let sample = -32768; sample < 32768; sample++) table[sample & 0xffff] = toCode(sample);
  return table;
}

const ULAW_TO_LINEAR = decodeTable(ulawToLinear);
const ALAW_TO_LINEAR = decodeTable(alawToLinear);
// 64 KiB each: one lookup per sample is what keeps G.711 nearly free.
const LINEAR_TO_ULAW = encodeTable(linearToUlaw);
const LINEAR_TO_ALAW = encodeTable(linearToAlaw);

class G711Encoder implements AudioEncoder {
  constructor(private readonly table: Uint8Array) {}
  encode(pcm: Int16Array): Uint8Array {
    const out = new Uint8Array(pcm.length);
    const table = this.table;
    for (let i = 0; i < pcm.length; i++) out[i] = table[pcm[i]! & 0xffff]!;
    return out;
  }
}

class G711Decoder implements AudioDecoder {
  constructor(private readonly table: Int16Array) {}
  decode(payload: Uint8Array): Int16Array {
    const out = new Int16Array(payload.length);
    const table = this.table;
    for (let i = 0; i < payload.length; i++) out[i] = table[payload[i]!]!;
    return out;
  }
}

/** PCMU: G.711 μ-law, static payload type 0 (RFC 3551 §4.5.14, Table 4). Stateless. */
export const pcmu: VoiceCodec = {
  name: 'PCMU',
  clockRate: 8000,
  sampleRate: 8000,
  channels: 1,
  payloadType: 0,
  frameDurationMs: 20,
  createEncoder: () => new G711Encoder(LINEAR_TO_ULAW),
  createDecoder: () => new G711Decoder(ULAW_TO_LINEAR),
};

/** PCMA: G.711 A-law, static payload type 8 (RFC 3551 §4.5.14, Table 4). Stateless. */
export const pcma: VoiceCodec = {
  name: 'PCMA',
  clockRate: 8000,
  sampleRate: 8000,
  channels: 1,
  payloadType: 8,
  frameDurationMs: 20,
  createEncoder: () => new G711Encoder(LINEAR_TO_ALAW),
  createDecoder: () => new G711Decoder(ALAW_TO_LINEAR),
};
