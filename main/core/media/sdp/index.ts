/**
 * SDP offer/answer for the audio stream of a call (RFC 3264 over RFC 4566), with hold (RFC 6337)
 * and SDES keys passed through (RFC 4568). Independent of the media engine: it takes the codecs
 * we can use and returns what was agreed.
 */
export type { CodecDescription, CodecName, NegotiatedCodec } from './codec-description.js';
export { DEFAULT_TELEPHONE_EVENTS, isDynamicPayloadType, sameFormat, staticPayloadFormat } from './codec-description.js';
export type { CryptoLines, LocalAudio, LocalDescription, RtpProfile } from './local-description.js';
export type { MediaDirection } from './media-direction.js';
export { agreedDirection, answerDirection, holdDirection, MEDIA_DIRECTIONS } from './media-direction.js';
export type { NegotiatedAudio } from './negotiated-audio.js';
export { createOffer } from './create-offer.js';
export { createAnswer } from './create-answer.js';
export type { AnswerResult } from './create-answer.js';
export { processAnswer } from './process-answer.js';
export { newSessionId, SessionDescriptionState } from './session-description-state.js';
export type { SessionDescriptionStateOptions } from './session-description-state.js';
export { parseSessionDescription } from './session-description.js';
export type { RemoteFormat, RemoteMediaDescription, RemoteSessionDescription, SdpConnection } from './session-description.js';
export { DEFAULT_SDP_LIMITS } from './sdp-limits.js';
export type { SdpLimits } from './sdp-limits.js';
export { SdpParseError } from './sdp-parse-error.js';
export type { SdpParseErrorCode } from './sdp-parse-error.js';
export { SdpNegotiationError } from './sdp-negotiation-error.js';
export type { SdpNegotiationReason } from './sdp-negotiation-error.js';
