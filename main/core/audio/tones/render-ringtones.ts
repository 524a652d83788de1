/**
 * Synthesises the bundled ringtones (assets/ringtones/*.wav) so they are reproducible and carry
 * no third-party rights. 16 kHz mono 16-bit: small files, and ringer sounds stay well under the
 * 8 kHz Nyquist limit. Regenerate with:
 *
 *   npx tsx main/core/audio/tones/render-ringtones.ts assets/ringtones
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeWav, type WavAudio } from '../wav.js';
import { raisedCosine, toInt16 } from './pcm-pull-source.js';

export const RINGTONE_SAMPLE_RATE = 16_000;
/** −6 dBFS peak: loud enough to be heard across a room, with headroom for the mix. */
const PEAK = 32767 * 10 ** (-6 / 20);
const FADE_MS = 5;

/** One voice of a ringtone: a sound between `startMs` and `endMs`, sampled at time t (s) since its start. */
interface Note {
  readonly startMs: number;
  readonly endMs: number;
  readonly sound: (t: number) => number;
}

/** An electronic ringer: a carrier warbling between two frequencies (phase-continuous FSK). */
function trill(low: number, high: number, rateHz: number): (t: number) => number {
  // Integral of the square-wave frequency, so phase is continuous at every switch.
  const half = 1 / (2 * rateHz);
  return (t) => {
    const whole = Math.floor(t / half);
    const highHalves = Math.floor(whole / 2);
    const lowHalves = whole - highHalves;
    const inHalf = t - whole * half;
    const phase = (lowHalves * low + highHalves * high) * half + (whole % 2 === 0 ? low : high) * inHalf;
    return Math.sin(2 * Math.PI * phase);
  };
}

/** A struck-bell note: fundamental and two partials, decaying exponentially. */
function bell(frequency: number, decayPerSecond: number): (t: number) => number {
  return (t) =>
    Math.exp(-decayPerSecond * t) *
    (0.7 * Math.sin(2 * Math.PI * frequency * t) + 0.2 * Math.sin(2 * Math.PI * 2 * frequency * t) + 0.1 * Math.sin(2 * Math.PI * 3 * frequency * t));
}

function render(notes: readonly Note[], durationMs: number): WavAudio {
  const length = Math.round((durationMs * RINGTONE_SAMPLE_RATE) / 1000);
  const samples = new Int16Array(length);
  const fade = (FADE_MS * RINGTONE_SAMPLE_RATE) / 1000;
  for (let n = 0; n < length; n++) {
    const ms = (n * 1000) / RINGTONE_SAMPLE_RATE;
    let sum = 0;
    for (const note of notes) {
      if (ms < note.startMs || ms >= note.endMs) continue;
      const fromStart = ((ms - note.startMs) * RINGTONE_SAMPLE_RATE) / 1000;
      const toEnd = ((note.endMs - ms) * RINGTONE_SAMPLE_RATE) / 1000;
      const edge = Math.min(raisedCosine(fromStart / fade), raisedCosine(toEnd / fade));
      sum += edge * note.sound((ms - note.startMs) / 1000);
    }
    samples[n] = toInt16(PEAK * Math.max(-1, Math.min(1, sum)));
  }
  return { sampleRate: RINGTONE_SAMPLE_RATE, channels: 1, samples };
}

/** The bundled ringtones by name (the file name without `.wav`). */
export function renderRingtones(): ReadonlyMap<string, WavAudio> {
  const ringer = trill(1000, 1250, 20);
  const intercom = trill(880, 1100, 16);
  return new Map([
    // Two trill bursts, like an electronic desk phone; the player adds the long pause.
    ['classic', render([{ startMs: 0, endMs: 400, sound: ringer }, { startMs: 600, endMs: 1000, sound: ringer }], 1000)],
    // Three falling-and-rising bell notes (E5, C5, G5).
    [
      'chime',
      render(
        [
          { startMs: 0, endMs: 600, sound: bell(659.25, 6) },
          { startMs: 400, endMs: 1000, sound: bell(523.25, 6) },
          { startMs: 800, endMs: 1500, sound: bell(783.99, 5) },
        ],
        1500,
      ),
    ],
    // Short double burst for calls from inside the PBX (Alert-Info `info=alert-internal`).
    ['internal', render([{ startMs: 0, endMs: 250, sound: intercom }, { startMs: 400, endMs: 650, sound: intercom }], 650)],
  ]);
}

export function writeRingtones(directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  const written: string[] = [];
  for (const [name, audio] of renderRingtones()) {
    const path = join(directory, `${name}.wav`);
    writeFileSync(path, encodeWav(audio));
    written.push(path);
  }
  return written;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  for (const path of writeRingtones(process.argv[2] ?? 'assets/ringtones')) process.stdout.write(`${path}\n`);
}
