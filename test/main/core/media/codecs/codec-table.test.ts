import { describe, expect, it } from 'vitest';
import type { CodecDescription } from '../../../../../main/core/media/sdp/codec-description.js';
import { codecDescriptions, codecs, describeCodec, findCodec } from '../../../../../main/core/media/codecs/index.js';

describe('the codec table', () => {
  it('describes each codec for SDP negotiation, in our order of preference', () => {
    const described: CodecDescription[] = codecDescriptions();
    expect(described).toEqual([
      {
        name: 'opus',
        clockRate: 48000,
        channels: 2,
        payloadType: 111,
        fmtp: 'maxplaybackrate=48000;sprop-maxcapturerate=48000;stereo=0;sprop-stereo=0;useinbandfec=1',
      },
      { name: 'G722', clockRate: 8000, channels: 1, payloadType: 9 },
      { name: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0 },
      { name: 'PCMA', clockRate: 8000, channels: 1, payloadType: 8 },
      { name: 'telephone-event', clockRate: 8000, channels: 1, payloadType: 101, fmtp: '0-16' },
      { name: 'CN', clockRate: 8000, channels: 1, payloadType: 13 },
    ]);
  });

  it('has no PCM codec for telephone-event (RFC 4733) and only a decoder for CN (RFC 3389)', () => {
    const events = codecs['telephone-event'];
    expect(events.createEncoder).toBeUndefined();
    expect(events.createDecoder).toBeUndefined();
    expect(codecs.CN.createEncoder).toBeUndefined();
    expect(typeof codecs.CN.createDecoder).toBe('function');
  });

  it('finds a negotiated format by name, case-insensitively (RFC 4855 §3), and rate', () => {
    expect(findCodec({ name: 'OPUS', clockRate: 48000 })).toBe(codecs.opus);
    expect(findCodec({ name: 'pcmu', clockRate: 8000 })).toBe(codecs.PCMU);
    expect(findCodec({ name: 'G722', clockRate: 16000 })).toBeUndefined();
    expect(describeCodec(codecs.PCMA)).toEqual({ name: 'PCMA', clockRate: 8000, channels: 1, payloadType: 8 });
  });
});
