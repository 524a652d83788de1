/** Measurements on rendered PCM: Goertzel amplitude per frequency, and on/off runs of the envelope. */

/** Peak amplitude of the `frequency` component in samples[start, start+length) (Hann-windowed Goertzel). */
export function goertzelAmplitude(samples: Int16Array, sampleRate: number, frequency: number, start = 0, length = samples.length - start): number {
  const omega = (2 * Math.PI * frequency) / sampleRate;
  const coeff = 2 * Math.cos(omega);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < length; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (length - 1));
    windowSum += w;
    const s0 = w * (samples[start + i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / windowSum;
}

export interface Burst {
  /** Sample index of the first and one past the last non-zero sample. */
  readonly start: number;
  readonly end: number;
}

/** Runs of sound separated by at least `minGapMs` of digital silence (zero crossings are not gaps). */
export function bursts(samples: Int16Array, sampleRate: number, minGapMs = 2): Burst[] {
  const minGap = Math.round((minGapMs * sampleRate) / 1000);
  const found: Burst[] = [];
  let start = -1;
  let lastNonZero = -1;
  for (let i = 0; i < samples.length; i++) {
    if ((samples[i] ?? 0) === 0) continue;
    if (start < 0) start = i;
    else if (i - lastNonZero > minGap) {
      found.push({ start, end: lastNonZero + 1 });
      start = i;
    }
    lastNonZero = i;
  }
  if (start >= 0) found.push({ start, end: lastNonZero + 1 });
  return found;
}

export const ms = (samples: number, sampleRate: number) => (samples * 1000) / sampleRate;
