/**
 * Adaptive jitter buffer: turns received RTP packets (RFC 3550) into one frame per playout
 * period, with loss reported for concealment and clock drift absorbed in silence.
 */
export type { Clock, ReceivedPacket } from './received-packet.js';
export { JitterBuffer } from './jitter-buffer.js';
export type { ConcealReason, JitterBufferOptions, JitterBufferStatistics, PlayoutFrame } from './jitter-buffer.js';
export { JitterBufferError } from './jitter-buffer-error.js';
export { DelayEstimator } from './delay-estimator.js';
export type { DelayEstimatorOptions } from './delay-estimator.js';
