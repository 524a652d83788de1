/**
 * Music on hold when no asset is configured: a soft, slow arpeggio (C major, A minor, F major,
 * G major — a I–vi–IV–V loop) of sine notes with gentle attack and release, about 8 s long.
 * Quiet (peak −18 dBFS) so a held party is not startled; tonal so they know the call is alive.
 */
import type { WavAudio } from '../wav.js';

/** Note frequencies in Hz (equal temperament, A4 = 440 Hz). */
const CHORDS: readonly (readonly number[])[] = [
  [261.63, 329.63, 392.0, 523.25],
  [220.0, 261.63, 329.63, 440.0],
  [174.61, 220.0, 261.63, 349.23],
  [196.0, 246.94, 293.66, 392.0],
];
const NOTE_MS = 500;
const PEAK = Math.round(32767 * 10 ** (-18 / 20));

export function holdMusic(sampleRate: number): WavAudio {
  const noteSamples = Math.round((sampleRate * NOTE_MS) / 1000);
  const notes = CHORDS.flatMap((chord) => chord);
  const samples = new Int16Array(notes.length * noteSamples);
  const attack = Math.round(sampleRate * 0.03);
  notes.forEach((hz, n) => {
    for (let i = 0; i < noteSamples; i++) {
      const t = i / sampleRate;
      // Attack, then an exponential decay like a plucked string.
      const envelope = Math.min(1, i / attack) * Math.exp(-3 * (i / noteSamples));
      const tone = Math.sin(2 * Math.PI * hz * t) + 0.3 * Math.sin(4 * Math.PI * hz * t);
      samples[n * noteSamples + i] = Math.round((PEAK / 1.3) * envelope * tone);
    }
  });
  return { sampleRate, channels: 1, samples };
}
