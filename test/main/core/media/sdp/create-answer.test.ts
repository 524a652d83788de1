import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import type { MediaDirection } from '../../../../../main/core/media/sdp/index.js';
import { createAnswer, SdpNegotiationError } from '../../../../../main/core/media/sdp/index.js';
import { G722, HEADER, local, OPUS, PCMA, PCMU, sdp, sdpFixture, TELEPHONE_EVENT } from './sdp-fixtures.js';

function refusal(run: () => unknown): SdpNegotiationError {
  try {
    run();
  } catch (error) {
    if (error instanceof SdpNegotiationError) return error;
    throw error;
  }
  throw new Error('expected an SdpNegotiationError');
}

describe('createAnswer: codecs (RFC 3264 §6.1)', () => {
  it('baresip offer: our order among common codecs, offer payload types, events, rtcp-mux', () => {
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('baresip-offer'), local({ rtcpMux: true }));
    const audio = parse(answer).media[0];
    expect(audio?.payloads).toBe('96 9 8 0 101');
    expect(audio?.rtcpMux).toBe('rtcp-mux');
    expect(negotiated).toMatchObject({
      mediaIndex: 0,
      remoteAddress: '192.168.1.20',
      remotePort: 10000,
      rtcpAddress: '192.168.1.20',
      rtcpPort: 10000,
      rtcpMux: true,
      telephoneEvent: { payloadType: 101, clockRate: 8000 },
      ptime: 20,
      direction: 'sendrecv',
      remoteHold: false,
      crypto: [],
    });
    expect(negotiated.codec).toEqual({ ...OPUS, remoteFmtp: 'stereo=1;sprop-stereo=1' });
  });

  it('opus/48000/2 at 111 in the offer is 111 in the answer (Kamailio-relayed WebRTC client)', () => {
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('kamailio-relayed-offer'), local());
    const audio = parse(answer).media[0];
    expect(audio?.payloads).toBe('111 8 0 126');
    expect(audio?.rtp).toContainEqual({ payload: 111, codec: 'opus', rate: 48000, encoding: 2 });
    expect(audio?.rtp).toContainEqual({ payload: 126, codec: 'telephone-event', rate: 8000 });
    expect(audio?.fmtp).toContainEqual({ payload: 126, config: '0-16' });
    expect(negotiated.codec.payloadType).toBe(111);
    expect(negotiated.codec.remoteFmtp).toBe('minptime=10;useinbandfec=1');
    expect(negotiated.telephoneEvent).toEqual({ payloadType: 126, clockRate: 8000 });
    // a=rtcp (RFC 3605) and no rtcp-mux offered: RTCP goes to the given port.
    expect(negotiated).toMatchObject({ rtcpMux: false, rtcpAddress: '203.0.113.10', rtcpPort: 35001 });
    expect(answer).not.toContain('a=rtcp-mux');
  });

  it('Asterisk offer PCMA first: we still answer in our order (G.722 before PCMA)', () => {
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('asterisk-offer'), local());
    expect(parse(answer).media[0]?.payloads).toBe('9 8 0 101');
    expect(negotiated.codec).toEqual(G722);
    expect(negotiated.codecs.map((c) => c.name)).toEqual(['G722', 'PCMA', 'PCMU', 'telephone-event']);
    expect(negotiated.rtcpPort).toBe(17585);
  });

  it('Linphone offer: telephone-event at the codec clock rate, video refused with port 0', () => {
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('linphone-offer'), local());
    const parsed = parse(answer);
    expect(parsed.media.map((m) => [m.type, m.port, String(m.payloads)])).toEqual([
      ['audio', 40000, '96 8 0 101'],
      ['video', 0, '102'],
    ]);
    // opus (48 kHz) goes with telephone-event/48000 at 101 (RFC 4733 §2.1).
    expect(negotiated.telephoneEvent).toEqual({ payloadType: 101, clockRate: 48000 });
    expect(parsed.media[0]?.rtp).toContainEqual({ payload: 101, codec: 'telephone-event', rate: 48000 });
    expect(negotiated.rtcpPort).toBe(7079);
  });

  it('static payload types need no rtpmap (RFC 3264 §5.1)', () => {
    const offer = sdp(...HEADER, 'm=audio 5004 RTP/AVP 18 0', 'a=sendrecv');
    const { negotiated } = createAnswer(offer, local());
    expect(negotiated.codec).toEqual(PCMU);
  });

  it('an unknown dynamic payload type without rtpmap is skipped, not guessed', () => {
    const offer = sdp(...HEADER, 'm=audio 5004 RTP/AVP 97 8', 'a=rtpmap:97 opus/48000');
    expect(createAnswer(offer, local()).negotiated.codec).toEqual(PCMA);
  });

  it('no telephone-event in the answer if we have none', () => {
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('asterisk-offer'), local({ codecs: [PCMA] }));
    expect(String(parse(answer).media[0]?.payloads)).toBe('8');
    expect(negotiated.telephoneEvent).toBeUndefined();
  });

  it('answers IPv6 with IPv6', () => {
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('ipv6-offer'), local({}, '2001:db8::10'));
    expect(answer).toContain('c=IN IP6 2001:db8::10\r\n');
    expect(negotiated).toMatchObject({ remoteAddress: '2001:db8::20', remotePort: 4000, codec: G722 });
  });

  it('passes SDES keys through: all offered ones out, ours chosen from them in', () => {
    const { sdp: answer, negotiated } = createAnswer(
      sdpFixture('srtp-offer'),
      local({ profile: 'RTP/SAVP', crypto: (offered) => [`${offered[0]?.split(' inline:')[0] ?? ''} inline:OURKEY`] }),
    );
    expect(negotiated.crypto).toEqual([
      '1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^31',
      '2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^31',
    ]);
    expect(answer).toContain('m=audio 40000 RTP/SAVP 8 0 101\r\n');
    expect(answer).toContain('a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:OURKEY\r\n');
  });
});

describe('createAnswer: refusals (RFC 3264 §6)', () => {
  it('no codec in common: 488 with Warning 305', () => {
    const offer = sdp(...HEADER, 'm=audio 5004 RTP/AVP 18', 'a=rtpmap:18 G729/8000');
    const error = refusal(() => createAnswer(offer, local()));
    expect(error).toMatchObject({ name: 'SdpNegotiationError', reason: 'incompatible_media_format', statusCode: 488, warnCode: 305 });
  });

  it('only CN and events in common is no codec in common', () => {
    const offer = sdp(...HEADER, 'm=audio 5004 RTP/AVP 18 13 101', 'a=rtpmap:101 telephone-event/8000');
    const codecs = [PCMU, { name: 'CN', clockRate: 8000, channels: 1, payloadType: 13 }, TELEPHONE_EVENT];
    expect(refusal(() => createAnswer(offer, local({ codecs }))).reason).toBe('incompatible_media_format');
  });

  it('a first audio stream with no common codec is answered port 0 with its own formats; the second is used', () => {
    const offer = sdp(
      ...HEADER,
      'm=audio 5004 RTP/AVP 18 97',
      'a=rtpmap:97 iLBC/8000',
      'm=audio 5006 RTP/AVP 0 101',
      'a=rtpmap:101 telephone-event/8000',
      'm=audio 5008 RTP/AVP 8',
    );
    const { sdp: answer, negotiated } = createAnswer(offer, local());
    expect(answer).toContain('m=audio 0 RTP/AVP 18 97\r\n');
    expect(parse(answer).media.map((m) => [m.port, String(m.payloads)])).toEqual([
      [0, '18 97'],
      [40000, '0 101'],
      [0, '8'],
    ]);
    expect(negotiated).toMatchObject({ mediaIndex: 1, remotePort: 5006, codec: PCMU });
  });

  it('non-audio streams are refused with port 0 in the same order, the audio answered', () => {
    const offer = sdp(
      ...HEADER,
      'm=video 6000 RTP/AVP 97',
      'a=rtpmap:97 H264/90000',
      'm=audio 5004 RTP/AVP 0',
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'm=image 6002 udptl t38',
    );
    const { sdp: answer } = createAnswer(offer, local());
    expect(answer.split('\r\n').filter((line) => line.startsWith('m='))).toEqual([
      'm=video 0 RTP/AVP 97',
      'm=audio 40000 RTP/AVP 0',
      'm=application 0 UDP/DTLS/SCTP webrtc-datachannel',
      'm=image 0 udptl t38',
    ]);
  });

  it('an offer without audio: 488 with Warning 304', () => {
    const offer = sdp(...HEADER, 'm=video 6000 RTP/AVP 97', 'a=rtpmap:97 H264/90000');
    expect(refusal(() => createAnswer(offer, local()))).toMatchObject({ reason: 'media_type_not_available', warnCode: 304 });
  });

  it('an audio stream disabled by the offerer (port 0) stays disabled (RFC 3264 §8.2)', () => {
    const offer = sdp(...HEADER, 'm=audio 0 RTP/AVP 0', 'm=audio 5006 RTP/AVP 8');
    const { sdp: answer, negotiated } = createAnswer(offer, local());
    expect(answer).toContain('m=audio 0 RTP/AVP 0\r\n');
    expect(negotiated.mediaIndex).toBe(1);
  });

  it('a profile we do not use: Warning 302', () => {
    expect(refusal(() => createAnswer(sdpFixture('srtp-offer'), local()))).toMatchObject({ reason: 'incompatible_transport_protocol', warnCode: 302 });
    expect(refusal(() => createAnswer(sdpFixture('asterisk-offer'), local({ profile: 'RTP/SAVP', crypto: ['1 X inline:Y'] }))).reason).toBe(
      'incompatible_transport_protocol',
    );
    const noKeys = sdp(...HEADER, 'm=audio 5004 RTP/SAVP 0');
    expect(refusal(() => createAnswer(noKeys, local({ profile: 'RTP/SAVP', crypto: ['1 X inline:Y'] }))).reason).toBe('incompatible_transport_protocol');
  });

  it('an address we cannot reach: Warning 301', () => {
    expect(refusal(() => createAnswer(sdpFixture('ipv6-offer'), local()))).toMatchObject({ reason: 'incompatible_network_address', warnCode: 301 });
    const hostname = sdp('v=0', 'o=- 1 1 IN IP4 pbx.example.com', 's=-', 'c=IN IP4 pbx.example.com', 't=0 0', 'm=audio 5004 RTP/AVP 0');
    expect(refusal(() => createAnswer(hostname, local())).reason).toBe('incompatible_network_address');
  });
});

describe('createAnswer: direction (RFC 3264 §6.1 table)', () => {
  const cases: [offered: MediaDirection, wanted: MediaDirection, answered: MediaDirection][] = [
    ['sendrecv', 'sendrecv', 'sendrecv'],
    ['sendonly', 'sendrecv', 'recvonly'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['inactive', 'sendrecv', 'inactive'],
    ['sendrecv', 'sendonly', 'sendonly'],
    ['sendrecv', 'recvonly', 'recvonly'],
    ['sendonly', 'sendonly', 'inactive'],
    ['recvonly', 'recvonly', 'inactive'],
    ['sendrecv', 'inactive', 'inactive'],
  ];
  it.each(cases)('offer %s, we want %s → answer %s', (offered, wanted, answered) => {
    const offer = sdp(...HEADER, 'm=audio 5004 RTP/AVP 0', `a=${offered}`);
    const { sdp: answer, negotiated } = createAnswer(offer, local({ direction: wanted }));
    expect(parse(answer).media[0]?.direction).toBe(answered);
    expect(negotiated.direction).toBe(answered);
  });

  it('a session-level direction applies to media without one (RFC 4566 §6)', () => {
    const offer = sdp(...HEADER, 'a=sendonly', 'm=audio 5004 RTP/AVP 0');
    expect(createAnswer(offer, local()).negotiated.direction).toBe('recvonly');
  });

  it('a hold offer (sendonly, Asterisk re-INVITE) is answered recvonly and reported as remote hold (RFC 6337)', () => {
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('asterisk-hold-offer'), local());
    expect(answer).toContain('a=recvonly\r\n');
    expect(negotiated).toMatchObject({ direction: 'recvonly', remoteHold: true });
  });

  it('an inactive offer is answered inactive, remote hold', () => {
    const offer = sdp(...HEADER, 'm=audio 5004 RTP/AVP 0', 'a=inactive');
    expect(createAnswer(offer, local()).negotiated).toMatchObject({ direction: 'inactive', remoteHold: true });
  });

  it('legacy c=0.0.0.0 is understood as hold (RFC 3264 §8.4): we do not send, and never write it', () => {
    const { sdp: answer, negotiated } = createAnswer(sdpFixture('legacy-hold-offer'), local());
    expect(negotiated).toMatchObject({ remoteAddress: '0.0.0.0', direction: 'recvonly', remoteHold: true });
    expect(answer).toContain('a=recvonly\r\n');
    expect(answer).not.toContain('0.0.0.0');
  });

  it('a recvonly offer is not a hold', () => {
    const offer = sdp(...HEADER, 'm=audio 5004 RTP/AVP 0', 'a=recvonly');
    expect(createAnswer(offer, local()).negotiated).toMatchObject({ direction: 'sendonly', remoteHold: false });
  });
});
