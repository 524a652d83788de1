import { DEFAULT_TELEPHONE_EVENTS } from '../sdp/codec-description.js';
import type { AudioCodec } from './audio-codec.js';

/**
 * telephone-event (RFC 4733): DTMF and other named events sent as their own payload, not as
 * audio, so there is no PCM encoder or decoder here (the media/dtmf module builds the payloads).
 * We offer events 0–15 (DTMF 0–9 * # A–D) and 16 (flash), RFC 4733 §7.1.1 / §3.2.
 */
export const telephoneEvent: AudioCodec = {
  name: 'telephone-event',
  clockRate: 8000,
  sampleRate: 8000,
  channels: 1,
  payloadType: 101,
  fmtp: DEFAULT_TELEPHONE_EVENTS,
  frameDurationMs: 20,
};
