/**
 * What an `AudioSink` plays from: something that renders the next frame when asked, at the sink's
 * rate and channel count. Tone generators and ringtone players both are one.
 */
import { samplesPerFrame, type AudioFormat } from '../audio-driver.js';
import { ToneError } from './tone-plan.js';

export interface PcmPullSource {
  readonly sampleRate: number;
  readonly channels: number;
  /** The next `frameSamples` interleaved samples (a multiple of `channels`); silence once done. */
  pull(frameSamples: number): Int16Array;
  /** Fades out (5 ms) rather than cutting, then reports done. */
  stop(): void;
  /** True once a one-shot plan has ended or a stop has faded out. */
  readonly done: boolean;
}

/** The `pull` callback of `AudioSink.start` for a source matching the sink's format. */
export function sinkPuller(source: PcmPullSource, format: AudioFormat): () => Int16Array {
  if (format.sampleRate !== source.sampleRate || format.channels !== source.channels) {
    throw new ToneError(
      'invalid_format',
      `source renders ${source.sampleRate} Hz × ${source.channels} but the sink wants ${format.sampleRate} Hz × ${format.channels}`,
    );
  }
  const frameSamples = samplesPerFrame(format);
  return () => source.pull(frameSamples);
}

export function checkFrameSamples(frameSamples: number, channels: number): void {
  if (!Number.isInteger(frameSamples) || frameSamples < 0 || frameSamples % channels !== 0) {
    throw new ToneError('invalid_option', `frame of ${frameSamples} samples is not a whole number of ${channels}-channel frames`);
  }
}

export function checkFormat(sampleRate: number, channels: number): void {
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 384_000) {
    throw new ToneError('invalid_format', `sample rate ${sampleRate} is not a whole number of 1000–384000 Hz`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 8) throw new ToneError('invalid_format', `${channels} channels is not 1–8`);
}

/** Raised-cosine ramp: 0 at x ≤ 0, 1 at x ≥ 1, smooth in between (no click at a tone's edges). */
export function raisedCosine(x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return 0.5 - 0.5 * Math.cos(Math.PI * x);
}

export function toInt16(value: number): number {
  const rounded = Math.round(value);
  return rounded > 32767 ? 32767 : rounded < -32768 ? -32768 : rounded;
}
