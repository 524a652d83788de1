import type { CodecDescription, NegotiatedCodec } from './codec-description.js';
import { DEFAULT_TELEPHONE_EVENTS, isTelephoneEvent, isVoiceCodec, sameFormat } from './codec-description.js';
import type { RemoteFormat } from './session-description.js';

export interface CodecIntersection {
  /** Voice codecs and comfort noise in common, in OUR order, each with the OFFER's payload type. */
  readonly codecs: readonly NegotiatedCodec[];
  /** The offer's telephone-event format we accept, if any (RFC 4733). */
  readonly telephoneEvent?: NegotiatedCodec;
}

function negotiated(local: CodecDescription, remote: RemoteFormat): NegotiatedCodec {
  const fmtp = local.fmtp ?? (isTelephoneEvent(local) ? DEFAULT_TELEPHONE_EVENTS : undefined);
  return {
    name: local.name,
    clockRate: remote.clockRate,
    channels: remote.channels,
    payloadType: remote.payloadType,
    ...(fmtp === undefined ? {} : { fmtp }),
    ...(remote.fmtp === undefined ? {} : { remoteFmtp: remote.fmtp }),
  };
}

/**
 * The codecs of an offer we can use.
 *
 * Order: RFC 3264 §6.1 recommends listing the answer's formats in the offer's relative order
 * "unless there is a specific reason" not to. A softphone's user orders codecs on purpose (say,
 * G.722 before PCMA), and the offerer sends with the first format of the answer, so we list the
 * common codecs in OUR order: that is the specific reason.
 *
 * Payload types: each codec keeps the number the offer gave it. RFC 3264 §6.1 asks for that, and
 * it spares us from receiving one number and sending another (opus at 111 in the offer is 111 in
 * the answer, whatever our table prefers).
 */
export function intersectCodecs(local: readonly CodecDescription[], offered: readonly RemoteFormat[]): CodecIntersection {
  const codecs: NegotiatedCodec[] = [];
  for (const codec of local) {
    if (isTelephoneEvent(codec)) continue;
    const match = offered.find((format) => sameFormat(codec, format));
    if (match !== undefined && !codecs.some((c) => c.payloadType === match.payloadType)) codecs.push(negotiated(codec, match));
  }
  const primary = codecs.find(isVoiceCodec);
  const localEvents = local.filter(isTelephoneEvent);
  const offeredEvents = offered.filter(isTelephoneEvent);
  // RFC 4733 §2.1: events use the clock rate of the audio they go with; else one we list ourselves.
  const events =
    offeredEvents.find((format) => format.clockRate === primary?.clockRate) ??
    offeredEvents.find((format) => localEvents.some((codec) => codec.clockRate === format.clockRate));
  const localEvent = localEvents.find((codec) => codec.clockRate === events?.clockRate) ?? localEvents[0];
  if (events === undefined || localEvent === undefined || primary === undefined) return { codecs };
  return { codecs, telephoneEvent: negotiated(localEvent, events) };
}
