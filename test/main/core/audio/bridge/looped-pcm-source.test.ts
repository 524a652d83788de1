import { describe, expect, it } from 'vitest';
import { LoopedPcmSource } from '../../../../../main/core/audio/bridge/looped-pcm-source.js';
import { level, ToneFrames } from './signal.js';

describe('LoopedPcmSource', () => {
  it('loops the clip, with its seam faded rather than stepped', () => {
    const clip = new Int16Array(400).fill(10000);
    const source = new LoopedPcmSource({ sampleRate: 16000, channels: 1, samples: clip }, 16000);
    const out = source.pull(1200);
    expect(out[200]).toBe(10000);
    expect(out[600]).toBe(10000);
    // Each seam (every 400 samples) dips to near zero over 5 ms (80 samples) either side.
    expect(Math.abs(out[399]!)).toBeLessThan(200);
    expect(Math.abs(out[400]!)).toBeLessThan(200);
    for (let i = 1; i < out.length; i++) expect(Math.abs(out[i]! - out[i - 1]!)).toBeLessThan(300);
  });

  it('makes a stereo clip at another rate mono at the wanted rate, same pitch and length', () => {
    const tone = new ToneFrames(500, 8000, 8000).next();
    const stereo = new Int16Array(tone.length * 2);
    tone.forEach((s, i) => {
      stereo[2 * i] = s;
      stereo[2 * i + 1] = s;
    });
    const source = new LoopedPcmSource({ sampleRate: 8000, channels: 2, samples: stereo }, 16000);
    const out = source.pull(16000);
    expect(level(out.subarray(1000, 15000), 16000, 500)).toBeGreaterThan(7000);
    expect(level(out.subarray(1000, 15000), 16000, 1000)).toBeLessThan(100);
  });

  it('fades out on stop, then is done', () => {
    const source = new LoopedPcmSource({ sampleRate: 16000, channels: 1, samples: new Int16Array(1000).fill(8000) }, 16000);
    source.pull(200);
    source.stop();
    const out = source.pull(200);
    expect(out[0]).toBeGreaterThan(7000);
    expect(out[79]).toBeLessThan(200);
    expect(out[100]).toBe(0);
    expect(source.done).toBe(true);
  });
});
