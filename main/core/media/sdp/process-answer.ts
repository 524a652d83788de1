import type { NegotiatedCodec } from './codec-description.js';
import { isTelephoneEvent, isVoiceCodec, sameFormat } from './codec-description.js';
import { isLegacyHold } from './legacy-hold.js';
import type { MediaDirection } from './media-direction.js';
import { agreedDirection, directionOf, receives, sends } from './media-direction.js';
import type { NegotiatedAudio } from './negotiated-audio.js';
import { SdpNegotiationError } from './sdp-negotiation-error.js';
import type { SdpLimits } from './sdp-limits.js';
import { DEFAULT_SDP_LIMITS } from './sdp-limits.js';
import type { RemoteMediaDescription, RemoteSessionDescription } from './session-description.js';
import { parseSessionDescription } from './session-description.js';

function mismatch(message: string): SdpNegotiationError {
  return new SdpNegotiationError('answer_mismatch', message);
}

/** RFC 3264 §6: same number of m= lines, same order, same media and transport. */
function checkShape(offer: RemoteSessionDescription, answer: RemoteSessionDescription): void {
  if (answer.media.length !== offer.media.length) {
    throw mismatch(`the answer has ${answer.media.length} m= lines, the offer ${offer.media.length} (RFC 3264 §6)`);
  }
  offer.media.forEach((offered, index) => {
    const answered = answer.media[index];
    if (answered === undefined || answered.type !== offered.type) throw mismatch(`m= line ${index + 1} changed media type (RFC 3264 §6)`);
    if (answered.port === 0) return;
    // RFC 3264 §8.2: a stream the offer disabled stays disabled.
    if (offered.port === 0) throw mismatch(`m= line ${index + 1} was disabled in the offer (RFC 3264 §8.2)`);
    if (answered.protocol !== offered.protocol) throw mismatch(`m= line ${index + 1} changed transport (RFC 3264 §6.1)`);
  });
}

/**
 * The codecs of the answer, which may only use payload types of the offer, each for the format the
 * offer gave it (RFC 3264 §6.1). Kept in the answer's order: the answerer's preference.
 */
function answeredCodecs(offered: RemoteMediaDescription, answered: RemoteMediaDescription): NegotiatedCodec[] {
  const codecs: NegotiatedCodec[] = [];
  for (const payloadType of answered.payloadTypes) {
    const ours = offered.rtpFormats.find((format) => format.payloadType === payloadType);
    if (!offered.payloadTypes.includes(payloadType) || ours === undefined) {
      throw mismatch(`payload type ${payloadType} was not offered (RFC 3264 §6.1)`);
    }
    const theirs = answered.rtpFormats.find((format) => format.payloadType === payloadType);
    if (theirs !== undefined && !sameFormat(theirs, ours)) {
      throw mismatch(`payload type ${payloadType} is ${ours.name} in the offer, ${theirs.name} in the answer`);
    }
    codecs.push({
      name: ours.name,
      clockRate: ours.clockRate,
      channels: ours.channels,
      payloadType,
      ...(ours.fmtp === undefined ? {} : { fmtp: ours.fmtp }),
      ...(theirs?.fmtp === undefined ? {} : { remoteFmtp: theirs.fmtp }),
    });
  }
  return codecs;
}

function peerDirection(media: RemoteMediaDescription): MediaDirection {
  return isLegacyHold(media.connection) ? directionOf(sends(media.direction), false) : media.direction;
}

/**
 * Reads the answer to our offer (RFC 3264 §7) and returns what was agreed for the first audio
 * stream the answer accepted. Throws `SdpParseError` for an unreadable answer and
 * `SdpNegotiationError` for one that does not fit the offer or accepts no audio; the caller then
 * ends the session (RFC 3261 §13.2.2.4) or refuses the request that carried it (488).
 */
export function processAnswer(offer: string, answer: string, limits: SdpLimits = DEFAULT_SDP_LIMITS): NegotiatedAudio {
  const ours = parseSessionDescription(offer, limits);
  const theirs = parseSessionDescription(answer, limits);
  checkShape(ours, theirs);
  const index = ours.media.findIndex((media, i) => media.type === 'audio' && media.port !== 0 && (theirs.media[i]?.port ?? 0) !== 0);
  const offered = ours.media[index];
  const answered = theirs.media[index];
  if (offered === undefined || answered === undefined) {
    throw new SdpNegotiationError('incompatible_media_format', 'the answer accepts no audio stream');
  }
  const codecs = answeredCodecs(offered, answered);
  // The answer was checked against the offer; whatever remains must still hold a voice codec.
  const codec = codecs.find(isVoiceCodec);
  if (codec === undefined) throw new SdpNegotiationError('incompatible_media_format', 'the answer holds no audio codec');
  const events = codecs.find(isTelephoneEvent);
  const connection = answered.connection;
  if (connection === undefined) throw mismatch('the answer has no c= for the audio stream');
  const remote = peerDirection(answered);
  const rtcpMux = offered.rtcpMux && answered.rtcpMux;
  const rtcp = rtcpMux
    ? { rtcpAddress: connection.address, rtcpPort: answered.port }
    : { rtcpAddress: answered.rtcp?.address ?? connection.address, rtcpPort: answered.rtcp?.port ?? answered.port + 1 };
  return {
    mediaIndex: index,
    protocol: answered.protocol,
    remoteAddress: connection.address,
    remotePort: answered.port,
    ...rtcp,
    rtcpMux,
    codec,
    codecs,
    ...(events === undefined ? {} : { telephoneEvent: { payloadType: events.payloadType, clockRate: events.clockRate } }),
    ptime: answered.ptime ?? offered.ptime ?? 20,
    // RFC 3264 §6.1 bounds the answer's direction by the offer's; an answer that strays (sendrecv to
    // our sendonly) is read within what we offered rather than refused.
    direction: agreedDirection(offered.direction, remote),
    // The peer declines what we offered to send (RFC 6337 §5.3).
    remoteHold: sends(offered.direction) && !receives(remote),
    crypto: answered.crypto,
  };
}
