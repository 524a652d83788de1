/**
 * Mixing in a wide accumulator, then one clamp to int16 (saturation rather than wrap-around: a
 * wrapped sum flips sign, which is a loud click). A talker that joins or leaves a mix is faded
 * in or out over one frame (a linear gain ramp), so a connection change does not step the
 * waveform either.
 */

/** Adds `frame` to `acc` with a gain going linearly from `from` to `to` across the frame. */
export function addRamped(acc: Float64Array, frame: Int16Array, from: number, to: number): void {
  const n = Math.min(acc.length, frame.length);
  if (from === to) {
    if (from === 0) return;
    if (from === 1) {
      for (let i = 0; i < n; i++) acc[i]! += frame[i]!;
      return;
    }
    for (let i = 0; i < n; i++) acc[i]! += from * frame[i]!;
    return;
  }
  const step = (to - from) / acc.length;
  let gain = from;
  for (let i = 0; i < n; i++) {
    gain += step;
    acc[i]! += gain * frame[i]!;
  }
}

/** The accumulator as int16, clamped (saturated) and rounded. */
export function saturate(acc: Float64Array): Int16Array {
  const out = new Int16Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    const v = acc[i]!;
    out[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : Math.round(v);
  }
  return out;
}

/** The sum of two frames, saturated. */
export function addSaturated(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) {
    const v = (a[i] ?? 0) + (b[i] ?? 0);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/** `frame` cut or padded with silence to exactly `samples` samples (producers may hand back short frames). */
export function fitFrame(frame: Int16Array, samples: number): Int16Array {
  if (frame.length === samples) return frame;
  const out = new Int16Array(samples);
  out.set(frame.length > samples ? frame.subarray(0, samples) : frame);
  return out;
}
