/** Test signals shared by the benchmarks. */

/** A speech-like test signal: three formant-ish tones with a 4 Hz syllable envelope, plus a little noise. */
export function speechLike(rate: number, seconds: number): Int16Array {
  const out = new Int16Array(rate * seconds);
  let seed = 1;
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    const pitch = 120 + 20 * Math.sin(2 * Math.PI * 0.5 * t);
    const voiced = 0.5 * Math.sin(2 * Math.PI * pitch * t) + 0.3 * Math.sin(2 * Math.PI * 700 * t) + 0.2 * Math.sin(2 * Math.PI * 2300 * t);
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const noise = (seed / 2 ** 32 - 0.5) * 0.05;
    out[i] = Math.round(12000 * envelope * voiced + 12000 * noise);
  }
  return out;
}

/** The signal cut into consecutive frames of `size` samples (a trailing partial frame is dropped). */
export function frames(pcm: Int16Array, size: number): Int16Array[] {
  const list: Int16Array[] = [];
  for (let i = 0; i + size <= pcm.length; i += size) list.push(pcm.slice(i, i + size));
  return list;
}
