import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { G722Decoder, G722Encoder, codecs } from '../../../../../main/core/media/codecs/index.js';

/**
 * Byte-exact vectors from spandsp's G.722 (the ITU-T test sequences are not redistributable):
 * test/fixtures/codecs/g722-spandsp.c made them with Debian's libspandsp 0.0.6; see its header.
 */
const fixtures = join(import.meta.dirname, '../../../../fixtures/codecs');
const octets = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtures, name)));
const pcm = (name: string): Int16Array => {
  const bytes = readFileSync(join(fixtures, name));
  const out = new Int16Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(2 * i);
  return out;
};

/**
 * Decoded samples equal spandsp's, except where the receive QMF's result does not fit 16 bits:
 * spandsp then wraps around (an int16_t cast), we saturate. Returns the positions that differ.
 */
function differences(ours: Int16Array, reference: Int16Array): number[] {
  expect(ours.length).toBe(reference.length);
  const differ: number[] = [];
  for (let i = 0; i < ours.length; i++) if (ours[i] !== reference[i]) differ.push(i);
  return differ;
}

describe('G.722 at 64 kbit/s against spandsp', () => {
  it('encodes the fixture input byte for byte (chirp, noise, full-scale square, silence, −40 dBFS)', () => {
    const encoded = new G722Encoder().encode(pcm('g722-input.s16le'));
    expect(Buffer.from(encoded).equals(Buffer.from(octets('g722-encoded.g722')))).toBe(true);
  });

  it('encodes the same when fed 20 ms frames, or odd-sized pieces', () => {
    const input = pcm('g722-input.s16le');
    const expected = octets('g722-encoded.g722');
    for (const piece of [320, 7]) {
      const encoder = new G722Encoder();
      const parts: number[] = [];
      for (let i = 0; i < input.length; i += piece) parts.push(...encoder.encode(input.subarray(i, i + piece)));
      expect(Buffer.from(parts).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('decodes its own output like spandsp, bar the samples spandsp wraps around', () => {
    const ours = new G722Decoder().decode(octets('g722-encoded.g722'));
    const reference = pcm('g722-decoded.s16le');
    const differ = differences(ours, reference);
    // Only in the full-scale noise and square wave (samples 8000–15999, plus the QMF's delay), where we clip.
    expect(differ.length).toBeGreaterThan(0);
    for (const i of differ) {
      expect(i >= 8000 && i < 16000 + 48).toBe(true);
      expect([32767, -32768]).toContain(ours[i]);
    }
    expect(differ.length).toBeLessThan(ours.length / 40);
  });

  it('decodes every code, in pseudo-random order, like spandsp, bar wrapped samples', () => {
    const ours = new G722Decoder().decode(octets('g722-random.g722'));
    const differ = differences(ours, pcm('g722-random.s16le'));
    for (const i of differ) expect([32767, -32768]).toContain(ours[i]);
    expect(differ.length).toBeLessThan(ours.length / 100);
  });

  it('is 16 kHz PCM on an 8000 Hz RTP clock, payload type 9 (RFC 3551 §4.5.2)', () => {
    expect(codecs.G722).toMatchObject({ name: 'G722', clockRate: 8000, sampleRate: 16000, channels: 1, payloadType: 9 });
    const frame = codecs.G722.createEncoder().encode(new Int16Array(320));
    expect(frame.length).toBe(160);
    expect(codecs.G722.createDecoder().decode(frame).length).toBe(320);
  });
});
