/**
 * One payload format we can send and receive, as the negotiation sees it (the media engine's codec
 * table supplies these; this module never touches an encoder). Names are RTP media subtypes
 * (RFC 4855 §3, IANA "RTP Payload Format media types").
 */
export type CodecName = 'PCMU' | 'PCMA' | 'G722' | 'opus' | 'telephone-event' | 'CN' | (string & {});

export interface CodecDescription {
  readonly name: CodecName;
  /**
   * The RTP clock rate, as written in a=rtpmap (RFC 4566 §6). G.722 is 8000 although it samples at
   * 16 kHz (RFC 3551 §4.5.2); Opus is always 48000 (RFC 7587 §7).
   */
  readonly clockRate: number;
  /** Audio channels as written in a=rtpmap; 1 when absent (RFC 4566 §6). Opus is always 2 (RFC 7587 §7). */
  readonly channels: number;
  /** A static payload type (RFC 3551 Table 4) or the preferred dynamic one (96–127) for our offers. */
  readonly payloadType: number;
  /** The a=fmtp parameters, opaque here (e.g. `0-16` for telephone-event, `useinbandfec=1` for Opus). */
  readonly fmtp?: string;
}

/** A codec both sides support, carrying the payload type that the offer chose for it. */
export interface NegotiatedCodec extends CodecDescription {
  /** The peer's a=fmtp for this payload type: how it wants to receive (RFC 4566 §6). */
  readonly remoteFmtp?: string;
}

/** The audio payload formats of RFC 3551 Table 4 that an SDP may name by number alone (RFC 3264 §5.1). */
const STATIC_AUDIO_PAYLOAD_TYPES: ReadonlyMap<number, { name: string; clockRate: number; channels: number }> = new Map([
  [0, { name: 'PCMU', clockRate: 8000, channels: 1 }],
  [3, { name: 'GSM', clockRate: 8000, channels: 1 }],
  [4, { name: 'G723', clockRate: 8000, channels: 1 }],
  [5, { name: 'DVI4', clockRate: 8000, channels: 1 }],
  [6, { name: 'DVI4', clockRate: 16000, channels: 1 }],
  [7, { name: 'LPC', clockRate: 8000, channels: 1 }],
  [8, { name: 'PCMA', clockRate: 8000, channels: 1 }],
  [9, { name: 'G722', clockRate: 8000, channels: 1 }],
  [10, { name: 'L16', clockRate: 44100, channels: 2 }],
  [11, { name: 'L16', clockRate: 44100, channels: 1 }],
  [12, { name: 'QCELP', clockRate: 8000, channels: 1 }],
  [13, { name: 'CN', clockRate: 8000, channels: 1 }],
  [14, { name: 'MPA', clockRate: 90000, channels: 1 }],
  [15, { name: 'G728', clockRate: 8000, channels: 1 }],
  [16, { name: 'DVI4', clockRate: 11025, channels: 1 }],
  [17, { name: 'DVI4', clockRate: 22050, channels: 1 }],
  [18, { name: 'G729', clockRate: 8000, channels: 1 }],
]);

export function staticPayloadFormat(payloadType: number): { name: string; clockRate: number; channels: number } | undefined {
  return STATIC_AUDIO_PAYLOAD_TYPES.get(payloadType);
}

/** RFC 3551 §3: 96–127 are assigned dynamically, through a=rtpmap. */
export function isDynamicPayloadType(payloadType: number): boolean {
  return payloadType >= 96 && payloadType <= 127;
}

/** Media subtype names compare case-insensitively (RFC 4855 §3); rate and channels must be equal. */
export function sameFormat(
  a: { name: string; clockRate: number; channels: number },
  b: { name: string; clockRate: number; channels: number },
): boolean {
  return a.name.toLowerCase() === b.name.toLowerCase() && a.clockRate === b.clockRate && a.channels === b.channels;
}

export function isTelephoneEvent(codec: { name: string }): boolean {
  return codec.name.toLowerCase() === 'telephone-event';
}

export function isComfortNoise(codec: { name: string }): boolean {
  return codec.name.toLowerCase() === 'cn';
}

/** A codec that carries the voice itself, rather than events (RFC 4733) or comfort noise (RFC 3389). */
export function isVoiceCodec(codec: { name: string }): boolean {
  return !isTelephoneEvent(codec) && !isComfortNoise(codec);
}

/** RFC 4733 §7.1.1: the events we offer when the table gives none: DTMF 0–9 * # A–D and flash. */
export const DEFAULT_TELEPHONE_EVENTS = '0-16';
