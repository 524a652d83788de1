/** Synthetic signals for the voice-processing tests and benchmark (deterministic, seeded). */

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

export interface SpeechLike {
  signal: Float64Array;
  /** true where a syllable is sounding */
  active: Uint8Array;
}

/**
 * Speech-like signal: voiced syllables (harmonics of a drifting 100–220 Hz pitch, shaped by two
 * formants chosen per syllable) of 120–300 ms with raised-cosine envelopes, 60–200 ms gaps and
 * an occasional 500 ms pause. Scaled so the RMS over active samples is `levelDbfs`.
 */
export function speechLike(sampleRate: number, seconds: number, seed: number, levelDbfs = -20): SpeechLike {
  const r = rng(seed);
  const total = Math.round(sampleRate * seconds);
  const signal = new Float64Array(total);
  const active = new Uint8Array(total);
  let t = Math.round(0.05 * sampleRate);
  let phase = 0;
  while (t < total) {
    const len = Math.round((0.12 + 0.18 * r()) * sampleRate);
    const f0Base = 100 + 120 * r();
    const f1 = 400 + 500 * r();
    const f2 = 1000 + 1400 * r();
    const maxH = Math.floor(Math.min(4000, sampleRate * 0.45) / 100);
    for (let i = 0; i < len && t + i < total; i++) {
      const env = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / len);
      const f0 = f0Base * (1 + 0.08 * Math.sin((2 * Math.PI * i) / len));
      phase += (2 * Math.PI * f0) / sampleRate;
      let v = 0;
      for (let h = 1; h <= maxH; h++) {
        const f = h * f0;
        if (f > sampleRate * 0.45) break;
        const a = (Math.exp(-(((f - f1) / 150) ** 2)) + 0.5 * Math.exp(-(((f - f2) / 250) ** 2)) + 0.05) / Math.sqrt(h);
        v += a * Math.sin(h * phase);
      }
      signal[t + i] = env * v;
      if (env > 0.1) active[t + i] = 1;
    }
    t += len + Math.round((r() < 0.15 ? 0.5 : 0.06 + 0.14 * r()) * sampleRate);
  }
  scaleActive(signal, active, levelDbfs);
  return { signal, active };
}

function scaleActive(signal: Float64Array, active: Uint8Array, levelDbfs: number): void {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < signal.length; i++) if (active[i]) {
    sum += signal[i]! ** 2;
    count++;
  }
  const g = (32768 * 10 ** (levelDbfs / 20)) / Math.sqrt(sum / Math.max(count, 1));
  for (let i = 0; i < signal.length; i++) signal[i]! *= g;
}

/** White (flat) or pink (−3 dB/octave, Paul Kellet's filter) Gaussian noise at `levelDbfs` RMS. */
export function noise(length: number, seed: number, levelDbfs: number, kind: 'white' | 'pink' = 'white'): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(length);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < length; i++) {
    const w = gauss(r);
    if (kind === 'white') out[i] = w;
    else {
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.969 * b2 + w * 0.153852;
      b3 = 0.8665 * b3 + w * 0.3104856;
      b4 = 0.55 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.016898;
      out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
      b6 = w * 0.115926;
    }
  }
  const rms = Math.sqrt(energy(out) / length);
  const g = (32768 * 10 ** (levelDbfs / 20)) / rms;
  for (let i = 0; i < length; i++) out[i]! *= g;
  return out;
}

/** Room impulse response: `bulkDelayMs` of silence, then exponentially decaying noise (−60 dB over `lengthMs`), energy gain `gainDb`. */
export function roomImpulseResponse(sampleRate: number, seed: number, bulkDelayMs = 15, lengthMs = 100, gainDb = -10): Float64Array {
  const r = rng(seed);
  const bulk = Math.round((bulkDelayMs * sampleRate) / 1000);
  const len = Math.round((lengthMs * sampleRate) / 1000);
  const h = new Float64Array(bulk + len);
  const tau = len / 6.9;
  for (let i = 0; i < len; i++) h[bulk + i] = gauss(r) * Math.exp(-i / tau);
  const g = 10 ** (gainDb / 20) / Math.sqrt(energy(h));
  for (let i = 0; i < h.length; i++) h[i]! *= g;
  return h;
}

export function convolve(x: Float64Array, h: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  let first = 0;
  while (first < h.length && h[first] === 0) first++;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const end = Math.min(h.length, x.length - i);
    for (let j = first; j < end; j++) out[i + j]! += xi * h[j]!;
  }
  return out;
}

export function energy(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return s;
}

export function add(...parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts[0]!.length);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i]! += p[i]!;
  return out;
}

export function toInt16(x: Float64Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]!)));
  return out;
}

/** Feeds `near` (and `far`) through `process` in frames of `frame` samples; returns the concatenated output. */
export function run(
  process: (near: Int16Array, far?: Int16Array) => Int16Array,
  near: Int16Array,
  frame: number,
  far?: Int16Array,
): Int16Array {
  const out = new Int16Array(near.length);
  for (let i = 0; i + frame <= near.length; i += frame) {
    out.set(process(near.subarray(i, i + frame), far?.subarray(i, i + frame)), i);
  }
  return out;
}

/**
 * SNR (dB) of `output` against the clean reference, after aligning by the lag (0..maxLag) with the
 * highest correlation and projecting onto the reference (so a plain gain is not counted as error).
 */
export function alignedSnr(clean: Float64Array, output: ArrayLike<number>, maxLag: number, from = 0): { snr: number; lag: number } {
  let bestLag = 0;
  let best = -Infinity;
  for (let lag = 0; lag <= maxLag; lag++) {
    let c = 0;
    for (let i = from; i + lag < output.length; i++) c += clean[i]! * output[i + lag]!;
    if (c > best) {
      best = c;
      bestLag = lag;
    }
  }
  let cs = 0;
  let ss = 0;
  for (let i = from; i + bestLag < output.length; i++) {
    cs += clean[i]! * output[i + bestLag]!;
    ss += clean[i]! ** 2;
  }
  const alpha = cs / ss;
  let sig = 0;
  let err = 0;
  for (let i = from; i + bestLag < output.length; i++) {
    const s = alpha * clean[i]!;
    sig += s * s;
    err += (output[i + bestLag]! - s) ** 2;
  }
  return { snr: 10 * Math.log10(sig / err), lag: bestLag };
}
