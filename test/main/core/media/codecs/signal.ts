/** Test signals and measurements shared by the codec tests. */

export function sine(rate: number, hz: number, seconds: number, amplitude: number): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

/** Speech-like: a 150 Hz-pitched harmonic series with formant-ish weights under a 4 Hz syllable envelope. */
export const SPEECH_TONES = [150, 450, 750, 1200, 2400] as const;
export function speechLike(rate: number, seconds: number): Int16Array {
  const weights = [0.35, 0.25, 0.2, 0.12, 0.08];
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t);
    let v = 0;
    SPEECH_TONES.forEach((hz, k) => {
      v += weights[k]! * Math.sin(2 * Math.PI * hz * t + k);
    });
    out[i] = Math.round(16000 * envelope * v);
  }
  return out;
}

/** Goertzel: the power of `signal` at `hz`, normalised by length. */
export function goertzel(signal: ArrayLike<number>, rate: number, hz: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < signal.length; i++) {
    const s0 = signal[i]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (signal.length * signal.length);
}

export function rms(signal: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < signal.length; i++) sum += signal[i]! * signal[i]!;
  return Math.sqrt(sum / signal.length);
}

/**
 * SNR in dB of `decoded` against `reference`, after finding the codec's delay (0…maxDelay
 * samples) that gives the least error. `skip` samples at the start are left out (start-up).
 */
export function alignedSnr(reference: Int16Array, decoded: Int16Array, maxDelay: number, skip: number): { snr: number; delay: number } {
  let best = { snr: Number.NEGATIVE_INFINITY, delay: 0 };
  const length = Math.min(reference.length, decoded.length - maxDelay) - skip;
  for (let delay = 0; delay <= maxDelay; delay++) {
    let signal = 0;
    let noise = 0;
    for (let i = skip; i < skip + length; i++) {
      const r = reference[i]!;
      const e = decoded[i + delay]! - r;
      signal += r * r;
      noise += e * e;
    }
    const snr = 10 * Math.log10(signal / Math.max(noise, 1e-9));
    if (snr > best.snr) best = { snr, delay };
  }
  return best;
}

/** Encodes and decodes `pcm` frame by frame through one encoder/decoder pair. */
export function roundTrip(
  codec: { createEncoder(): { encode(pcm: Int16Array): Uint8Array }; createDecoder(): { decode(payload: Uint8Array): Int16Array } },
  pcm: Int16Array,
  frameSamples: number,
): Int16Array {
  const encoder = codec.createEncoder();
  const decoder = codec.createDecoder();
  const out = new Int16Array(pcm.length + frameSamples * 4);
  let o = 0;
  for (let i = 0; i + frameSamples <= pcm.length; i += frameSamples) {
    const decoded = decoder.decode(encoder.encode(pcm.subarray(i, i + frameSamples)));
    out.set(decoded, o);
    o += decoded.length;
  }
  return out.subarray(0, o);
}
