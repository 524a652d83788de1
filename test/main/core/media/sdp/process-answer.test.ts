import { describe, expect, it } from 'vitest';
import { createAnswer, createOffer, processAnswer, SdpNegotiationError, SdpParseError } from '../../../../../main/core/media/sdp/index.js';
import { G722, local, OPUS, PCMA, PCMU, sdp } from './sdp-fixtures.js';

const OFFER = createOffer(local({ rtcpMux: true }));
const ANSWER_HEADER = ['v=0', 'o=bob 77 1 IN IP4 198.51.100.20', 's=-', 'c=IN IP4 198.51.100.20', 't=0 0'];

function answer(...media: string[]): string {
  return sdp(...ANSWER_HEADER, ...media);
}

function mismatch(offer: string, text: string): SdpNegotiationError {
  try {
    processAnswer(offer, text);
  } catch (error) {
    if (error instanceof SdpNegotiationError) return error;
    throw error;
  }
  throw new Error('expected an SdpNegotiationError');
}

describe('processAnswer (RFC 3264 §7)', () => {
  it('reads what our own answerer agreed, from the offerer side', () => {
    const bob = createAnswer(OFFER, local({ codecs: [PCMA, G722, OPUS] }, '198.51.100.20'));
    const agreed = processAnswer(OFFER, bob.sdp);
    expect(agreed).toMatchObject({
      mediaIndex: 0,
      remoteAddress: '198.51.100.20',
      remotePort: 40000,
      direction: 'sendrecv',
      remoteHold: false,
      ptime: 20,
    });
    // The answerer's order is its preference: we send PCMA.
    expect(agreed.codec).toEqual(PCMA);
    expect(agreed.codecs.map((c) => c.payloadType)).toEqual([8, 9, 96]);
  });

  it('uses the first voice codec of the answer, events at their payload type, the peer ptime', () => {
    const agreed = processAnswer(
      OFFER,
      answer('m=audio 30000 RTP/AVP 101 0', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=ptime:30'),
    );
    expect(agreed.codec).toEqual(PCMU);
    expect(agreed.telephoneEvent).toEqual({ payloadType: 101, clockRate: 8000 });
    expect(agreed.ptime).toBe(30);
    expect(agreed.codecs.find((c) => c.payloadType === 101)?.remoteFmtp).toBe('0-15');
  });

  it('RTCP: mux only when both said so; else a=rtcp, else port + 1', () => {
    expect(processAnswer(OFFER, answer('m=audio 30000 RTP/AVP 0', 'a=rtcp-mux'))).toMatchObject({ rtcpMux: true, rtcpPort: 30000 });
    expect(processAnswer(OFFER, answer('m=audio 30000 RTP/AVP 0', 'a=rtcp:30007 IN IP4 198.51.100.21'))).toMatchObject({
      rtcpMux: false,
      rtcpAddress: '198.51.100.21',
      rtcpPort: 30007,
    });
    const plain = createOffer(local());
    expect(processAnswer(plain, answer('m=audio 30000 RTP/AVP 0', 'a=rtcp-mux'))).toMatchObject({ rtcpMux: false, rtcpPort: 30001 });
  });

  it('directions from our side: our hold offer answered recvonly', () => {
    const hold = createOffer(local({ direction: 'sendonly' }));
    expect(processAnswer(hold, answer('m=audio 30000 RTP/AVP 0', 'a=recvonly'))).toMatchObject({ direction: 'sendonly', remoteHold: false });
    expect(processAnswer(OFFER, answer('m=audio 30000 RTP/AVP 0', 'a=sendonly'))).toMatchObject({ direction: 'recvonly', remoteHold: true });
    expect(processAnswer(OFFER, answer('m=audio 30000 RTP/AVP 0', 'a=inactive'))).toMatchObject({ direction: 'inactive', remoteHold: true });
    // An answer that strays beyond the offer is read within it.
    expect(processAnswer(hold, answer('m=audio 30000 RTP/AVP 0', 'a=sendrecv')).direction).toBe('sendonly');
  });

  it('legacy c=0.0.0.0 in an answer: we do not send', () => {
    const legacy = sdp('v=0', 'o=- 1 2 IN IP4 0.0.0.0', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 30000 RTP/AVP 0');
    expect(processAnswer(OFFER, legacy)).toMatchObject({ direction: 'recvonly', remoteHold: true });
  });

  it('returns the SDES line the answer chose', () => {
    const offer = createOffer(local({ profile: 'RTP/SAVP', crypto: ['1 AES_CM_128_HMAC_SHA1_80 inline:A', '2 AES_CM_128_HMAC_SHA1_32 inline:B'] }));
    const agreed = processAnswer(offer, answer('m=audio 30000 RTP/SAVP 0', 'a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:C|2^31'));
    expect(agreed.crypto).toEqual(['2 AES_CM_128_HMAC_SHA1_32 inline:C|2^31']);
  });
});

describe('processAnswer: answers that do not fit the offer', () => {
  const twoStreams = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0', 'm=audio 40000 RTP/AVP 0 8', 'm=video 40002 RTP/AVP 97', 'a=rtpmap:97 H264/90000');

  it.each([
    ['more m= lines', OFFER, answer('m=audio 30000 RTP/AVP 0', 'm=video 0 RTP/AVP 97')],
    ['fewer m= lines', twoStreams, answer('m=audio 30000 RTP/AVP 0')],
    ['another order', twoStreams, answer('m=video 0 RTP/AVP 97', 'm=audio 30000 RTP/AVP 0')],
    ['a payload type never offered', OFFER, answer('m=audio 30000 RTP/AVP 0 18')],
    ['an offered number for another codec', OFFER, answer('m=audio 30000 RTP/AVP 96', 'a=rtpmap:96 speex/16000')],
    ['another transport', OFFER, answer('m=audio 30000 RTP/SAVP 0')],
  ])('%s: 488 with Warning 399', (_name, offer, text) => {
    expect(mismatch(offer, text)).toMatchObject({ reason: 'answer_mismatch', statusCode: 488, warnCode: 399 });
  });

  it('an answer accepting a stream we disabled', () => {
    const disabled = sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0', 'm=audio 40000 RTP/AVP 0', 'm=video 0 RTP/AVP 97');
    expect(mismatch(disabled, answer('m=audio 30000 RTP/AVP 0', 'm=video 30002 RTP/AVP 97')).reason).toBe('answer_mismatch');
  });

  it('an answer refusing our audio, or keeping only events', () => {
    expect(mismatch(OFFER, answer('m=audio 0 RTP/AVP 0')).reason).toBe('incompatible_media_format');
    expect(mismatch(OFFER, answer('m=audio 30000 RTP/AVP 101', 'a=rtpmap:101 telephone-event/8000')).reason).toBe('incompatible_media_format');
  });

  it('a malformed answer is an SdpParseError', () => {
    expect(() => processAnswer(OFFER, answer('m=audio 30000 RTP/AVP zero'))).toThrow(SdpParseError);
  });

  it('an answer for a video stream alongside, refused, is fine', () => {
    const agreed = processAnswer(twoStreams, answer('m=audio 30000 RTP/AVP 8', 'm=video 0 RTP/AVP 97'));
    expect(agreed.codec).toEqual(PCMA);
  });
});
