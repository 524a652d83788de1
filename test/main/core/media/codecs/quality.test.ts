import { describe, expect, it } from 'vitest';
import { codecs, samplesPerFrame, type VoiceCodec } from '../../../../../main/core/media/codecs/index.js';
import { SPEECH_TONES, alignedSnr, goertzel, rms, roundTrip, sine, speechLike } from './signal.js';

/**
 * Round trips through each voice codec: the tones come back at their frequencies and the
 * waveform within a per-codec SNR, after aligning by the codec's delay (G.722's QMFs, Opus'
 * look-ahead). Opus is perceptual: SILK keeps the speech-like signal's spectrum, not its
 * waveform (7 dB measured at 32 kbit/s), so there its bound is low and the harmonics carry the test.
 */
interface Case {
  codec: VoiceCodec;
  sineSnr: number;
  speechSnr: number;
  maxDelay: number;
}
const cases: Case[] = [
  { codec: codecs.PCMU, sineSnr: 35, speechSnr: 30, maxDelay: 0 },
  { codec: codecs.PCMA, sineSnr: 35, speechSnr: 30, maxDelay: 0 },
  { codec: codecs.G722, sineSnr: 20, speechSnr: 20, maxDelay: 64 },
  { codec: codecs.opus, sineSnr: 15, speechSnr: 6, maxDelay: 960 },
];

describe.each(cases)('$codec.name round trip', ({ codec, sineSnr, speechSnr, maxDelay }) => {
  const rate = codec.sampleRate;
  const frame = samplesPerFrame(codec);
  const skip = Math.round(rate * 0.1); // adaptation at the start

  it(`keeps a 1 kHz sine at −3 dBFS, SNR ≥ ${sineSnr} dB`, () => {
    const input = sine(rate, 1000, 1, 0.7 * 32767);
    const output = roundTrip(codec, input, frame);
    const { snr } = alignedSnr(input, output, maxDelay, skip);
    expect(snr).toBeGreaterThanOrEqual(sineSnr);
    const tail = output.subarray(skip);
    // The tone is where it was, and nowhere else to speak of.
    expect(goertzel(tail, rate, 1000)).toBeGreaterThan(1000 * goertzel(tail, rate, 700));
    expect(goertzel(tail, rate, 1000)).toBeGreaterThan(1000 * goertzel(tail, rate, 1500));
    expect(20 * Math.log10(rms(tail) / rms(input.subarray(skip)))).toBeCloseTo(0, 0);
  });

  it(`keeps a speech-like signal's harmonics, SNR ≥ ${speechSnr} dB`, () => {
    const input = speechLike(rate, 1);
    const output = roundTrip(codec, input, frame);
    const { snr } = alignedSnr(input, output, maxDelay, skip);
    expect(snr).toBeGreaterThanOrEqual(speechSnr);
    const inTail = input.subarray(skip);
    const outTail = output.subarray(skip);
    for (const hz of SPEECH_TONES) {
      const ratioDb = 10 * Math.log10(goertzel(outTail, rate, hz) / goertzel(inTail, rate, hz));
      expect(Math.abs(ratioDb)).toBeLessThan(1.5);
    }
  });
});

describe('Opus specifics', () => {
  it('describes itself as RFC 7587 requires: 48000/2, useinbandfec=1', () => {
    expect(codecs.opus).toMatchObject({ name: 'opus', clockRate: 48000, channels: 2, sampleRate: 48000, payloadType: 111 });
    expect(codecs.opus.fmtp).toContain('useinbandfec=1');
    expect(codecs.opus.fmtp).toContain('maxplaybackrate=48000');
  });

  it('conceals a lost packet with signal that continues the tone (RFC 6716 §4.4)', () => {
    const rate = 48000;
    const input = sine(rate, 440, 0.5, 10000);
    const encoder = codecs.opus.createEncoder();
    const decoder = codecs.opus.createDecoder();
    for (let i = 0; i + 960 <= input.length; i += 960) decoder.decode(encoder.encode(input.subarray(i, i + 960)));
    const concealed = decoder.decodeLoss!(20);
    expect(concealed.length).toBe(960);
    expect(rms(concealed)).toBeGreaterThan(1000);
    expect(goertzel(concealed, rate, 440)).toBeGreaterThan(10 * goertzel(concealed, rate, 1500));
    // A later packet still decodes.
    expect(decoder.decode(encoder.encode(input.subarray(0, 960))).length).toBe(960);
  });

  it('runs at the device rate too (mono PCM at 16 kHz, still a 48 kHz RTP clock)', async () => {
    const { createOpusCodec } = await import('../../../../../main/core/media/codecs/index.js');
    const wideband = createOpusCodec({ sampleRate: 16000 });
    expect(wideband).toMatchObject({ clockRate: 48000, sampleRate: 16000, channels: 2 });
    const input = sine(16000, 1000, 1, 20000);
    const { snr } = alignedSnr(input, roundTrip(wideband, input, 320), 400, 1600);
    expect(snr).toBeGreaterThanOrEqual(15);
  });

  it('refuses frames of a length Opus does not have, and garbage payloads, with CodecError', () => {
    expect(() => codecs.opus.createEncoder().encode(new Int16Array(100))).toThrow(expect.objectContaining({ name: 'CodecError' }));
    expect(() => codecs.opus.createDecoder().decode(new Uint8Array(0))).toThrow(expect.objectContaining({ name: 'CodecError' }));
  });
});
