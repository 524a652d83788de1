/**
 * The media engine's codec table (baresip's aucodec list): each entry is data plus factories
 * of stateful encoders/decoders. `codecDescriptions()` is what SDP negotiation offers.
 */
import { isVoiceCodec, type CodecDescription } from '../sdp/codec-description.js';
import { describeCodec, type AudioCodec } from './audio-codec.js';
import { comfortNoise } from './comfort-noise.js';
import { pcma, pcmu } from './g711.js';
import { g722 } from './g722.js';
import { createOpusCodec, isOpusAvailable } from './opus.js';
import { telephoneEvent } from './telephone-event.js';

export type { AudioCodec, AudioDecoder, AudioEncoder, VoiceCodec } from './audio-codec.js';
export { describeCodec, samplesPerFrame } from './audio-codec.js';
export { CodecError, CodecUnavailableError } from './codec-error.js';
export { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from './g711.js';
export { G722Decoder, G722Encoder } from './g722.js';
export { createOpusCodec, isOpusAvailable, type OpusOptions, type OpusSampleRate } from './opus.js';
export {
  ComfortNoiseDecoder,
  createComfortNoiseCodec,
  DBOV_REFERENCE_RMS,
  formatComfortNoise,
  parseComfortNoise,
  type ComfortNoiseCodec,
  type ComfortNoiseDescription,
} from './comfort-noise.js';

/** Every codec we implement, by RTP media subtype name. */
export const codecs = {
  opus: createOpusCodec(),
  G722: g722,
  PCMU: pcmu,
  PCMA: pcma,
  'telephone-event': telephoneEvent,
  CN: comfortNoise,
} as const;

/** The voice codecs by name, in our default order of preference (the account's `codecs` names these). */
export const VOICE_CODEC_NAMES = ['opus', 'G722', 'PCMU', 'PCMA'] as const;
export type VoiceCodecName = (typeof VOICE_CODEC_NAMES)[number];

/**
 * What we offer, in order of preference: the account's voice codecs in its order (default: Opus
 * where libopus loads, G.722, G.711 μ-law and A-law), then telephone-event and CN (RFC 3264
 * §5.1: the offer lists formats by preference). A codec left out of `order` is neither offered
 * nor accepted; Opus is skipped where libopus does not load.
 */
export function codecDescriptions(order: readonly VoiceCodecName[] = VOICE_CODEC_NAMES): CodecDescription[] {
  const voice = order.filter((name) => name !== 'opus' || isOpusAvailable()).map((name): AudioCodec => codecs[name]);
  return [...voice, codecs['telephone-event'], codecs.CN].map(describeCodec);
}

/** Whether a codec list from `codecDescriptions` has a voice codec to talk with. */
export function hasVoiceCodec(list: readonly CodecDescription[]): boolean {
  return list.some(isVoiceCodec);
}

/** The codec of a negotiated format (names compare case-insensitively, RFC 4855 §3). */
export function findCodec(format: { name: string; clockRate: number }): AudioCodec | undefined {
  const name = format.name.toLowerCase();
  return Object.values(codecs).find((codec: AudioCodec) => codec.name.toLowerCase() === name && codec.clockRate === format.clockRate);
}
