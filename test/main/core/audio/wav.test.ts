import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, WavFormatError, WavWriter } from '../../../../main/core/audio/index.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const header = (rate: number, channels: number, dataBytes: number) =>
  // RIFF, size, WAVE, fmt , 16, PCM, channels, rate, byte rate, block align, 16 bits, data, size
  [
    ...'RIFF'.split('').map((c) => c.charCodeAt(0)),
    ...le32(36 + dataBytes),
    ...'WAVEfmt '.split('').map((c) => c.charCodeAt(0)),
    ...le32(16),
    1, 0,
    channels, 0,
    ...le32(rate),
    ...le32(rate * channels * 2),
    channels * 2, 0,
    16, 0,
    ...'data'.split('').map((c) => c.charCodeAt(0)),
    ...le32(dataBytes),
  ];
function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

describe('WAV', () => {
  it('writes the canonical 44-byte header and little-endian samples, byte for byte', () => {
    const bytes = encodeWav({ sampleRate: 8000, channels: 1, samples: Int16Array.from([0, 1, -1, 32767, -32768]) });
    expect([...bytes]).toEqual([...header(8000, 1, 10), 0, 0, 1, 0, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x80]);
  });

  it('parses what it writes, skipping unknown chunks, and refuses what is not 16-bit PCM', () => {
    const samples = Int16Array.from({ length: 960 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    const bytes = encodeWav({ sampleRate: 48000, channels: 2, samples });
    expect(parseWav(bytes)).toEqual({ sampleRate: 48000, channels: 2, samples });
    // A LIST chunk between fmt and data, with an odd size (padded).
    const list = [...'LIST'.split('').map((c) => c.charCodeAt(0)), ...le32(3), 1, 2, 3, 0];
    const withList = Uint8Array.from([...bytes.subarray(0, 36), ...list, ...bytes.subarray(36)]);
    expect(parseWav(withList).samples).toEqual(samples);
    const float = Uint8Array.from(bytes);
    float[34] = 32;
    expect(() => parseWav(float)).toThrowError(WavFormatError);
    expect(() => parseWav(new Uint8Array(10))).toThrowError(WavFormatError);
  });

  it('writes incrementally and fixes the sizes on close; a file still open reads too', () => {
    const path = join(tempDir(), 'rec.wav');
    const writer = new WavWriter(path, 16000, 1);
    writer.write(Int16Array.from([1, 2, 3]));
    expect(parseWav(readFileSync(path)).samples).toEqual(Int16Array.from([1, 2, 3]));
    writer.write(Int16Array.from([4]));
    writer.close();
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 44)]).toEqual(header(16000, 1, 8));
    expect(parseWav(bytes).samples).toEqual(Int16Array.from([1, 2, 3, 4]));
    writeFileSync(path, bytes.subarray(0, 44 + 5));
    expect(parseWav(readFileSync(path)).samples).toEqual(Int16Array.from([1, 2]));
  });

  it('keeps up to bufferBytes in memory, and writes them on flush and close', () => {
    const path = join(tempDir(), 'rec.wav');
    const writer = new WavWriter(path, 8000, 1, { bufferBytes: 8 });
    writer.write(Int16Array.from([1, 2, 3]));
    expect(parseWav(readFileSync(path)).samples).toEqual(new Int16Array(0));
    writer.write(Int16Array.from([4, 5]));
    expect(parseWav(readFileSync(path)).samples).toEqual(Int16Array.from([1, 2, 3]));
    writer.flush();
    expect(parseWav(readFileSync(path)).samples).toEqual(Int16Array.from([1, 2, 3, 4, 5]));
    writer.write(Int16Array.from([6, 7, 8, 9, 10, 11]));
    writer.write(Int16Array.from([12]).subarray(0, 1));
    writer.close();
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 44)]).toEqual(header(8000, 1, 24));
    expect(parseWav(bytes).samples).toEqual(Int16Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
