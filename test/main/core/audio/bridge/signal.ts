/** Test signals for the bridge: continuous tones frame by frame, and how loud a tone is in what was heard. */
import { goertzelAmplitude } from '../tones/signal-analysis.js';

/** A tone cut into frames, continuous across them. */
export class ToneFrames {
  private sample = 0;

  constructor(
    readonly hz: number,
    readonly sampleRate: number,
    readonly frameSamples: number,
    readonly amplitude = 8000,
  ) {}

  next(): Int16Array {
    const frame = new Int16Array(this.frameSamples);
    for (let i = 0; i < frame.length; i++, this.sample++) frame[i] = Math.round(this.amplitude * Math.sin((2 * Math.PI * this.hz * this.sample) / this.sampleRate));
    return frame;
  }
}

/** Concatenated frames. */
export function joined(frames: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const frame of frames) {
    out.set(frame, at);
    at += frame.length;
  }
  return out;
}

/** Amplitude of `hz` in `samples`. */
export function level(samples: Int16Array, sampleRate: number, hz: number): number {
  return goertzelAmplitude(samples, sampleRate, hz);
}
