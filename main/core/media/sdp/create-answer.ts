import { isIP } from 'node:net';
import type { NegotiatedCodec } from './codec-description.js';
import { isVoiceCodec } from './codec-description.js';
import { intersectCodecs } from './codec-intersection.js';
import { isLegacyHold } from './legacy-hold.js';
import type { LocalDescription } from './local-description.js';
import { checkCryptoLines, checkLocalDescription } from './local-description.js';
import type { MediaDirection } from './media-direction.js';
import { answerDirection, directionOf, receives, sends } from './media-direction.js';
import type { NegotiatedAudio } from './negotiated-audio.js';
import { SdpNegotiationError } from './sdp-negotiation-error.js';
import type { SdpLimits } from './sdp-limits.js';
import { DEFAULT_SDP_LIMITS } from './sdp-limits.js';
import type { RemoteMediaDescription } from './session-description.js';
import { parseSessionDescription } from './session-description.js';
import type { AudioSection, MediaSection, RejectedSection } from './write-session-description.js';
import { writeSessionDescription } from './write-session-description.js';

export interface AnswerResult {
  readonly sdp: string;
  readonly negotiated: NegotiatedAudio;
}

/** RFC 3264 §6: a refused stream is answered with port 0 and the offer's own formats. */
function rejected(media: RemoteMediaDescription): RejectedSection {
  return { kind: 'rejected', type: media.type, protocol: media.protocol, formats: media.formats };
}

/** The peer's direction once a legacy c=0.0.0.0 is taken into account. */
function effectiveDirection(media: RemoteMediaDescription): MediaDirection {
  return isLegacyHold(media.connection) ? directionOf(sends(media.direction), false) : media.direction;
}

function rtcpTarget(media: RemoteMediaDescription, address: string, rtcpMux: boolean): { rtcpAddress: string; rtcpPort: number } {
  if (rtcpMux) return { rtcpAddress: address, rtcpPort: media.port };
  if (media.rtcp !== undefined) return { rtcpAddress: media.rtcp.address ?? address, rtcpPort: media.rtcp.port };
  return { rtcpAddress: address, rtcpPort: media.port + 1 };
}

/** Accepts one offered audio stream, or says why not. */
function acceptAudio(
  media: RemoteMediaDescription,
  local: LocalDescription,
): { section: AudioSection; negotiated: NegotiatedAudio } | SdpNegotiationError {
  const { audio } = local;
  if (media.protocol !== audio.profile) {
    return new SdpNegotiationError('incompatible_transport_protocol', `${media.protocol} offered, we use ${audio.profile}`);
  }
  const connection = media.connection;
  const family = connection === undefined ? 0 : isIP(connection.address);
  if (connection === undefined || family !== connection.ipVersion || family !== isIP(local.address)) {
    return new SdpNegotiationError('incompatible_network_address', `cannot reach ${connection?.address ?? 'no address'} from ${local.address}`);
  }
  const { codecs, telephoneEvent } = intersectCodecs(audio.codecs, media.rtpFormats);
  const codec = codecs.find(isVoiceCodec);
  if (codec === undefined) return new SdpNegotiationError('incompatible_media_format', 'no audio codec in common');
  const crypto = typeof audio.crypto === 'function' ? audio.crypto(media.crypto) : (audio.crypto ?? []);
  checkCryptoLines(crypto);
  // RFC 4568 §7.1.2: SRTP keyed by SDES needs a key from each side.
  if (audio.profile === 'RTP/SAVP' && (media.crypto.length === 0 || crypto.length === 0)) {
    return new SdpNegotiationError('incompatible_transport_protocol', 'RTP/SAVP without an acceptable a=crypto');
  }
  const rtcpMux = media.rtcpMux && audio.rtcpMux === true;
  const remote = effectiveDirection(media);
  const direction = answerDirection(remote, audio.direction);
  const answered: NegotiatedCodec[] = telephoneEvent === undefined ? [...codecs] : [...codecs, telephoneEvent];
  return {
    section: {
      kind: 'audio',
      port: audio.port,
      protocol: media.protocol,
      codecs: answered,
      ...(audio.ptime === undefined ? {} : { ptime: audio.ptime }),
      ...(audio.rtcpPort === undefined || rtcpMux ? {} : { rtcpPort: audio.rtcpPort }),
      rtcpMux,
      crypto,
      direction,
    },
    negotiated: {
      mediaIndex: media.index,
      protocol: media.protocol,
      remoteAddress: connection.address,
      remotePort: media.port,
      ...rtcpTarget(media, connection.address, rtcpMux),
      rtcpMux,
      codec,
      codecs: answered,
      ...(telephoneEvent === undefined ? {} : { telephoneEvent: { payloadType: telephoneEvent.payloadType, clockRate: telephoneEvent.clockRate } }),
      ptime: media.ptime ?? audio.ptime ?? 20,
      direction,
      remoteHold: !receives(remote),
      crypto: media.crypto,
    },
  };
}

/**
 * Our answer to an offer (RFC 3264 §6): as many m= lines as the offer, in its order; the first
 * audio stream we can use is accepted, every other stream (video, application, further audio,
 * streams the offerer disabled) is refused with port 0.
 *
 * Throws `SdpParseError` for an unreadable offer, and `SdpNegotiationError` (→ 488 with Warning)
 * when no audio stream is acceptable: the reason is that of the first audio stream refused.
 */
export function createAnswer(offer: string, local: LocalDescription, limits: SdpLimits = DEFAULT_SDP_LIMITS): AnswerResult {
  checkLocalDescription(local);
  const remote = parseSessionDescription(offer, limits);
  let accepted: NegotiatedAudio | undefined;
  let firstRefusal: SdpNegotiationError | undefined;
  const sections: MediaSection[] = [];
  for (const media of remote.media) {
    const result = accepted === undefined && media.type === 'audio' && media.port !== 0 ? acceptAudio(media, local) : undefined;
    if (result === undefined || result instanceof SdpNegotiationError) {
      if (result !== undefined) firstRefusal ??= result;
      sections.push(rejected(media));
    } else {
      accepted = result.negotiated;
      sections.push(result.section);
    }
  }
  if (accepted === undefined) {
    throw firstRefusal ?? new SdpNegotiationError('media_type_not_available', 'no audio stream in the offer');
  }
  const sdp = writeSessionDescription({
    username: local.username ?? '-',
    sessionId: local.sessionId,
    sessionVersion: local.sessionVersion,
    address: local.address,
    sections,
  });
  return { sdp, negotiated: accepted };
}
