/**
 * Tone analysis of recorded WAVs, in plain TypeScript (no sox at analysis time): a PCM16 WAV
 * parser and a Goertzel filter, to check "the recording contains the other side's tone".
 */
import { readFileSync } from 'node:fs';

export interface PcmWav {
  readonly sampleRate: number;
  readonly channels: number;
  /** First channel, as floats in [-1, 1). */
  readonly samples: Float64Array;
}

/**
 * Parses a 16-bit PCM WAV (WAVE_FORMAT_PCM or EXTENSIBLE). A data chunk whose size is 0 or runs
 * past the end of the file (a recorder that has not finalised its header yet) is read to the end.
 */
export function parseWav(buffer: Buffer, name = 'WAV'): PcmWav {
  if (buffer.length < 12 || buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${name}: not a RIFF/WAVE file (${buffer.length} bytes)`);
  }
  let offset = 12;
  let format: { audioFormat: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    let size = buffer.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      let audioFormat = buffer.readUInt16LE(body);
      if (audioFormat === 0xfffe && size >= 26) audioFormat = buffer.readUInt16LE(body + 24); // sub-format GUID's first 2 bytes
      format = { audioFormat, channels: buffer.readUInt16LE(body + 2), sampleRate: buffer.readUInt32LE(body + 4), bitsPerSample: buffer.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!format) throw new Error(`${name}: data chunk before fmt chunk`);
      if (format.audioFormat !== 1 || format.bitsPerSample !== 16) {
        throw new Error(`${name}: only PCM 16-bit is supported (format ${format.audioFormat}, ${format.bitsPerSample} bits)`);
      }
      if (size === 0 || body + size > buffer.length) size = buffer.length - body;
      const frameBytes = 2 * format.channels;
      const frames = Math.floor(size / frameBytes);
      const samples = new Float64Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = buffer.readInt16LE(body + i * frameBytes) / 32768;
      return { sampleRate: format.sampleRate, channels: format.channels, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${name}: no data chunk`);
}

export interface ToneAnalysis {
  /** RMS level of the whole recording in dBFS (-Infinity for digital silence). */
  readonly level: number;
  /**
   * Share of the signal's energy at `hz` (0..1): Goertzel power at hz over total power, summed over
   * 50 ms blocks. A clean sine at hz gives ~1; another tone or silence gives ~0.
   */
  readonly presence: number;
  /** RMS level (dBFS) of the component at hz alone. */
  readonly toneLevel: number;
  readonly durationSeconds: number;
  readonly sampleRate: number;
}

/**
 * Goertzel power of `hz` over samples[start, start+n), normalised so that a full-block sine of
 * amplitude A at hz gives its mean power A²/2 (for a frequency on the block's bin grid).
 */
export function goertzelPower(samples: Float64Array, start: number, n: number, hz: number, sampleRate: number): number {
  const omega = (2 * Math.PI * hz) / sampleRate;
  const coeff = 2 * Math.cos(omega);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + n; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const magnitudeSquared = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * magnitudeSquared) / (n * n);
}

/** Analyses samples for a tone at hz (see ToneAnalysis). */
export function analyseSamples(wav: PcmWav, hz: number): ToneAnalysis {
  const { samples, sampleRate } = wav;
  // 50 ms blocks: bins every 20 Hz, so tones on a 20 Hz grid (440, 1000, 1500, 2000) fall on a bin.
  const blockSize = Math.max(1, Math.round(sampleRate / 20));
  let totalEnergy = 0;
  let toneEnergy = 0;
  for (let start = 0; start + blockSize <= samples.length; start += blockSize) {
    let blockEnergy = 0;
    for (let i = start; i < start + blockSize; i++) blockEnergy += (samples[i] ?? 0) ** 2;
    totalEnergy += blockEnergy / blockSize;
    toneEnergy += goertzelPower(samples, start, blockSize, hz, sampleRate);
  }
  let sumSquares = 0;
  for (const s of samples) sumSquares += s * s;
  const rms = samples.length === 0 ? 0 : Math.sqrt(sumSquares / samples.length);
  const blocks = Math.floor(samples.length / blockSize);
  const toneRms = blocks === 0 ? 0 : Math.sqrt(toneEnergy / blocks);
  return {
    level: 20 * Math.log10(rms),
    presence: totalEnergy === 0 ? 0 : Math.min(1, toneEnergy / totalEnergy),
    toneLevel: 20 * Math.log10(toneRms),
    durationSeconds: samples.length / sampleRate,
    sampleRate,
  };
}

/** Reads a PCM16 WAV and measures its level and how much of it is a tone at hz. */
export function analyseTone(wavPath: string, hz: number): ToneAnalysis {
  return analyseSamples(parseWav(readFileSync(wavPath), wavPath), hz);
}
