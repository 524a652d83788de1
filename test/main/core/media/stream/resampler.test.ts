import { describe, expect, it } from 'vitest';
import { codecs } from '../../../../../main/core/media/codecs/index.js';
import { AudioPacketizer, LinearResampler, linearResampler, opusPacketDurationMs, payloadDurationMs, ResamplerError, sendPacketMs } from '../../../../../main/core/media/stream/index.js';

describe('LinearResampler', () => {
  it.each([
    [8000, 48000],
    [48000, 8000],
    [16000, 48000],
    [48000, 16000],
    [8000, 16000],
  ])('%i → %i Hz keeps the rate ratio over many blocks and a constant signal constant', (from, to) => {
    const resampler = new LinearResampler(from, to);
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const out = resampler.process(new Int16Array(from / 50).fill(1000));
      total += out.length;
      expect(out.every((s) => s === 1000)).toBe(true);
    }
    // At most a few samples of lag (the interpolator waits for the next input sample).
    expect(to - total).toBeGreaterThanOrEqual(0);
    expect(to - total).toBeLessThanOrEqual(to / from);
  });

  it('interpolates between samples, continuous across blocks', () => {
    const resampler = new LinearResampler(8000, 16000);
    const first = resampler.process(Int16Array.of(0, 100));
    const second = resampler.process(Int16Array.of(200, 300));
    expect([...first, ...second]).toEqual([0, 50, 100, 150, 200, 250, 300]);
  });

  it('is the identity at equal rates and refuses nonsense rates', () => {
    const pcm = Int16Array.of(1, 2, 3);
    expect(linearResampler(8000, 8000).process(pcm)).toBe(pcm);
    expect(() => new LinearResampler(0, 8000)).toThrow(ResamplerError);
  });
});

describe('packet durations', () => {
  it('reads G.711 and G.722 payload lengths and Opus TOC octets (RFC 6716 §3.1)', () => {
    expect(payloadDurationMs('PCMU', new Uint8Array(160))).toBe(20);
    expect(payloadDurationMs('G722', new Uint8Array(240))).toBe(30);
    expect(payloadDurationMs('CN', new Uint8Array(1))).toBeUndefined();
    // Config 27 (CELT FB 20 ms), code 0: one frame.
    expect(opusPacketDurationMs(Uint8Array.of((27 << 3) | 0))).toBe(20);
    // Config 1 (SILK NB 20 ms), code 1: two frames.
    expect(opusPacketDurationMs(Uint8Array.of((1 << 3) | 1))).toBe(40);
    // Config 16 (CELT NB 2.5 ms), code 3 with 4 frames.
    expect(opusPacketDurationMs(Uint8Array.of((16 << 3) | 3, 4))).toBe(10);
    // Code 3 with 0 frames, or more than 120 ms: unreadable.
    expect(opusPacketDurationMs(Uint8Array.of((16 << 3) | 3, 0))).toBeUndefined();
    expect(opusPacketDurationMs(Uint8Array.of((3 << 3) | 3, 3))).toBeUndefined();
    expect(opusPacketDurationMs(new Uint8Array(0))).toBeUndefined();
  });

  it('sends the negotiated ptime where the codec can', () => {
    expect(sendPacketMs(codecs.PCMU, 30)).toBe(30);
    expect(sendPacketMs(codecs.PCMU, 1000)).toBe(200);
    expect(sendPacketMs(codecs.opus, 30)).toBe(20);
    expect(sendPacketMs(codecs.opus, 40)).toBe(40);
  });
});

describe('AudioPacketizer', () => {
  it('cuts PCM into packets of the ptime, whatever the block sizes', () => {
    const packetizer = new AudioPacketizer(codecs.G722, 30);
    const frames = [...packetizer.push(new Int16Array(320)), ...packetizer.push(new Int16Array(320)), ...packetizer.push(new Int16Array(320))];
    // 960 samples at 16 kHz = 60 ms = two 30 ms packets of 240 octets and 240 timestamp units (RFC 3551 §4.5.2).
    expect(frames.map((f) => [f.payload.length, f.samples])).toEqual([
      [240, 240],
      [240, 240],
    ]);
  });
});
