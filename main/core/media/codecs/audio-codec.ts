import type { CodecDescription, CodecName } from '../sdp/codec-description.js';

/**
 * Turns PCM into RTP payloads. Stateful (ADPCM predictors, Opus' analysis): one per outgoing
 * stream, fed frames in order.
 */
export interface AudioEncoder {
  /**
   * One frame of mono PCM at the codec's `sampleRate` → one RTP payload (RFC 3550 §5.1). `pcm` is
   * only read during the call: the caller may reuse it for the next frame.
   */
  encode(pcm: Int16Array): Uint8Array;
}

/** Turns RTP payloads back into PCM. Stateful: one per incoming stream (SSRC), fed in order. */
export interface AudioDecoder {
  /** One RTP payload → mono PCM at the codec's `sampleRate`. */
  decode(payload: Uint8Array): Int16Array;
  /**
   * Packet loss concealment: PCM to play for `durationMs` of lost packets, from the decoder's
   * own model of the signal (Opus: RFC 6716 §4.4). Absent where the codec defines none; the
   * caller then conceals itself (e.g. G.711 Appendix I).
   */
  decodeLoss?(durationMs: number): Int16Array;
}

/**
 * One payload format: the data the SDP offer/answer needs plus, for codecs that carry audio,
 * factories of encoders and decoders (baresip's `struct aucodec`). Description-only formats
 * (telephone-event) have neither; receive-only ones (CN) have only a decoder.
 */
export interface AudioCodec {
  /** The RTP media subtype (RFC 4855 §3), as in a=rtpmap. */
  readonly name: CodecName;
  /** The RTP timestamp clock (RFC 3550 §5.1), as in a=rtpmap. */
  readonly clockRate: number;
  /** The PCM rate the encoder takes and the decoder gives (G.722: 16000 on an 8000 clock). */
  readonly sampleRate: number;
  /** Channels as written in a=rtpmap (Opus: always 2, RFC 7587 §7); the PCM is always mono. */
  readonly channels: number;
  /** Static payload type (RFC 3551 Table 4) or our preferred dynamic one (96–127). */
  readonly payloadType: number;
  /** Our a=fmtp parameters, if any. */
  readonly fmtp?: string;
  /** The frame duration we send, in milliseconds (a=ptime, RFC 4566 §6). */
  readonly frameDurationMs: number;
  createEncoder?(): AudioEncoder;
  createDecoder?(): AudioDecoder;
}

/** A codec that carries voice both ways. */
export interface VoiceCodec extends AudioCodec {
  createEncoder(): AudioEncoder;
  createDecoder(): AudioDecoder;
}

/** Samples in one frame of `codec` at its PCM rate. */
export function samplesPerFrame(codec: Pick<AudioCodec, 'sampleRate' | 'frameDurationMs'>): number {
  return Math.round((codec.sampleRate * codec.frameDurationMs) / 1000);
}

/** What SDP negotiation needs to know of a codec (main/core/media/sdp). */
export function describeCodec(codec: AudioCodec): CodecDescription {
  const { name, clockRate, channels, payloadType, fmtp } = codec;
  return fmtp === undefined ? { name, clockRate, channels, payloadType } : { name, clockRate, channels, payloadType, fmtp };
}
