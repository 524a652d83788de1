/**
 * A PCM clip played in a loop, for music on hold: a `PcmPullSource` (the tones' interface), so a
 * bridge player port can play it. The clip is made mono and brought to the wanted rate once, up
 * front, and its two ends are faded (5 ms) so the loop's seam does not click.
 */
import { monoAtRate } from '../wav-conversion.js';
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
    this.clip = fadeEnds(monoAtRate(audio, sampleRate), Math.round((sampleRate * FADE_MS) / 1000));
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
