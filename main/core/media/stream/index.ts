/**
 * The per-call media stream: microphone → resample → encode → RTP (→ SRTP) → UDP, and back
 * through the jitter buffer → decode / conceal / comfort noise → resample → speaker.
 */
export { MediaStream } from './media-stream.js';
export type { DeviceAudioHooks, DtmfSendOutcome, MediaStreamDelegate, MediaStreamOptions } from './media-stream.js';
export type { MediaStreamStatistics } from './media-stream-statistics.js';
export { MediaStreamError } from './media-stream-error.js';
export type { MediaStreamErrorCode } from './media-stream-error.js';
export { LinearResampler, linearResampler, ResamplerError } from './resampler.js';
export type { Resampler, ResamplerFactory } from './resampler.js';
export { AudioPlayout } from './audio-playout.js';
export type { AudioPlayoutOptions, AudioPlayoutStatistics } from './audio-playout.js';
export { AudioPacketizer, sendPacketMs } from './audio-packetizer.js';
export type { EncodedFrame } from './audio-packetizer.js';
export { opusPacketDurationMs, payloadDurationMs } from './packet-duration.js';
