/**
 * A whole WAV clip made mono at another rate, for sources that play a file at the rate a device
 * or bridge runs (music on hold, the WAV driver's microphone): channels averaged, then the
 * polyphase resampler with its delay compensated so the clip keeps its length and start.
 */
import { PolyphaseResampler } from './resampler/index.js';
import type { WavAudio } from './wav.js';

export function monoAtRate(audio: WavAudio, sampleRate: number): Int16Array {
  return toRate(toMono(audio), audio.sampleRate, sampleRate);
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
