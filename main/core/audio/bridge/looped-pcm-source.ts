/**
 * A PCM clip played in a loop, for music on hold: a `PcmPullSource` (the tones' interface), so a
 * bridge player port can play it. The clip is made mono and brought to the wanted rate once, up
 * front, and its two ends are faded (5 ms) so the loop's seam does not click.
 */
import { PolyphaseResampler } from '../resampler/index.js';
import type { PcmPullSource } from '../tones/pcm-pull-source.js';
import type { WavAudio } from '../wav.js';

const FADE_MS = 5;

export class LoopedPcmSource implements PcmPullSource {
  readonly channels = 1;
  private readonly clip: Int16Array;
  private position = 0;
  /** Samples left of the fade-out after `stop()`; undefined while playing. */
  private fadeLeft: number | undefined;
  private readonly fadeSamples: number;

  constructor(
    audio: WavAudio,
    readonly sampleRate: number,
  ) {
    this.clip = fadeEnds(toRate(toMono(audio), audio.sampleRate, sampleRate), Math.round((sampleRate * FADE_MS) / 1000));
    this.fadeSamples = Math.max(1, Math.round((sampleRate * FADE_MS) / 1000));
  }

  get done(): boolean {
    return this.fadeLeft === 0 || this.clip.length === 0;
  }

  pull(frameSamples: number): Int16Array {
    const out = new Int16Array(frameSamples);
    if (this.done) return out;
    for (let i = 0; i < frameSamples; i++) {
      let sample = this.clip[this.position]!;
      if (++this.position >= this.clip.length) this.position = 0;
      if (this.fadeLeft !== undefined) {
        if (this.fadeLeft === 0) break;
        sample = Math.round((sample * --this.fadeLeft) / this.fadeSamples);
      }
      out[i] = sample;
    }
    return out;
  }

  stop(): void {
    this.fadeLeft ??= this.fadeSamples;
  }
}

function toMono(audio: WavAudio): Int16Array {
  if (audio.channels === 1) return audio.samples;
  const frames = Math.floor(audio.samples.length / audio.channels);
  const mono = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < audio.channels; c++) sum += audio.samples[f * audio.channels + c]!;
    mono[f] = Math.round(sum / audio.channels);
  }
  return mono;
}

function toRate(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples;
  const resampler = new PolyphaseResampler(from, to);
  // Flush the filter with silence so the clip's end is not cut off by its delay, then skip that delay.
  const padded = new Int16Array(samples.length + resampler.inputDelay);
  padded.set(samples);
  const out = resampler.process(padded);
  const skip = Math.round(resampler.delay);
  return out.slice(skip, skip + Math.round((samples.length * to) / from));
}

function fadeEnds(samples: Int16Array, fade: number): Int16Array {
  const out = samples.slice();
  const n = Math.min(fade, Math.floor(out.length / 2));
  for (let i = 0; i < n; i++) {
    const gain = (i + 0.5) / n;
    out[i] = Math.round(out[i]! * gain);
    out[out.length - 1 - i] = Math.round(out[out.length - 1 - i]! * gain);
  }
  return out;
}
