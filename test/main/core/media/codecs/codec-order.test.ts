import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { AudioCodecName } from '../../../../../shared/model.js';
import { codecDescriptions, hasVoiceCodec, isOpusAvailable, VOICE_CODEC_NAMES } from '../../../../../main/core/media/codecs/index.js';
import { createAnswer, createOffer, SdpNegotiationError } from '../../../../../main/core/media/sdp/index.js';
import { local, sdpFixture } from '../sdp/sdp-fixtures.js';

/** The payload formats of the first m= line, as written. */
function formats(sdp: string): string | undefined {
  return parse(sdp).media[0]?.payloads?.toString();
}

describe('an account’s codec order', () => {
  it('names the same codecs as the contract', () => {
    expect([...VOICE_CODEC_NAMES]).toEqual(AudioCodecName.options);
  });

  it('lists the voice codecs in the account’s order, then telephone-event and CN', () => {
    expect(codecDescriptions(['PCMA', 'G722', 'PCMU']).map((c) => c.name)).toEqual(['PCMA', 'G722', 'PCMU', 'telephone-event', 'CN']);
    expect(codecDescriptions(['PCMU']).map((c) => c.name)).toEqual(['PCMU', 'telephone-event', 'CN']);
  });

  it('skips Opus where libopus does not load, and says when no voice codec is left', () => {
    const onlyOpus = codecDescriptions(['opus']);
    expect(hasVoiceCodec(onlyOpus)).toBe(isOpusAvailable());
    expect(hasVoiceCodec(codecDescriptions(['PCMA']))).toBe(true);
  });

  it('our offer lists the formats in the account’s order; a codec switched off is not offered (RFC 3264 §5.1)', () => {
    const offer = createOffer(local({ codecs: codecDescriptions(['PCMA', 'PCMU']) }));
    expect(formats(offer)).toBe('8 0 101 13');
    expect(offer).not.toMatch(/G722|opus/);
  });

  it('as answerer we pick by the account’s order, not the offer’s', () => {
    // The baresip offer lists opus, G722, PCMU, PCMA (in that order) and telephone-event.
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('baresip-offer'), local({ codecs: codecDescriptions(['PCMA', 'PCMU']) }));
    expect(negotiated.codec.name).toBe('PCMA');
    expect(formats(answer)).toBe('8 0 101');
  });

  it('an offer with none of the account’s codecs is refused (→ 488)', () => {
    const offerG722Only = createOffer(local({ codecs: codecDescriptions(['G722']) }));
    expect(() => createAnswer(offerG722Only, local({ codecs: codecDescriptions(['PCMU']) }))).toThrow(SdpNegotiationError);
  });
});
