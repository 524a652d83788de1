import { describe, expect, it } from 'vitest';
import {
  ComfortNoiseDecoder,
  DBOV_REFERENCE_RMS,
  codecs,
  formatComfortNoise,
  parseComfortNoise,
} from '../../../../../main/core/media/codecs/index.js';
import { goertzel, rms } from './signal.js';

const levelDbov = (pcm: Int16Array): number => 20 * Math.log10(rms(pcm) / DBOV_REFERENCE_RMS);

describe('CN comfort noise decoder (RFC 3389)', () => {
  it.each([30, 50, 70])('plays white noise at the −%i dBov the payload says (§3.1)', (level) => {
    const decoder = codecs.CN.createDecoder();
    const first = decoder.decode(Uint8Array.of(level));
    expect(first.length).toBe(160); // 20 ms at 8000 Hz
    const more = decoder.decodeLoss(1000);
    expect(levelDbov(more)).toBeCloseTo(-level, 0);
  });

  it('shapes the noise with the reflection coefficients, at the same level (§3.2)', () => {
    // k1 = +0.9 or −0.9: a strongly low-pass or high-pass all-pole model, depending on the sign convention.
    const decoder = new ComfortNoiseDecoder(8000, 20);
    decoder.decode(formatComfortNoise({ levelDbov: -40, reflectionCoefficients: [0.9, 0.2] }));
    const noise = decoder.decodeLoss(4000);
    expect(Math.abs(levelDbov(noise) - -40)).toBeLessThan(1);
    const low = goertzel(noise, 8000, 300);
    const high = goertzel(noise, 8000, 3500);
    expect(Math.max(low, high) / Math.min(low, high)).toBeGreaterThan(10);
  });

  it('reads and writes the payload: level octet, then k quantised as (N − 127) / 128', () => {
    expect(parseComfortNoise(Uint8Array.of(0x80 | 45, 127, 255, 0))).toEqual({ levelDbov: -45, reflectionCoefficients: [0, 127 / 128, -127 / 128] });
    expect([...formatComfortNoise({ levelDbov: -45, reflectionCoefficients: [0, 0.5] })]).toEqual([45, 127, 191]);
    expect(() => parseComfortNoise(new Uint8Array(0))).toThrow(expect.objectContaining({ name: 'CodecError' }));
  });

  it('goes on at the last level until the next descriptor (§4)', () => {
    const decoder = codecs.CN.createDecoder();
    expect(rms(decoder.decodeLoss(100))).toBe(0); // nothing said yet: −127 dBov rounds to silence
    decoder.decode(Uint8Array.of(20));
    expect(levelDbov(decoder.decodeLoss(1000))).toBeCloseTo(-20, 0);
    decoder.decode(Uint8Array.of(60));
    expect(levelDbov(decoder.decodeLoss(1000))).toBeCloseTo(-60, 0);
  });
});
