/** DTMF: RFC 4733 telephone-event in RTP, and the SIP INFO application/dtmf-relay fallback. */
export { DtmfError, DtmfParseError } from './dtmf-error.js';
export { decodeTelephoneEvent, digitForEvent, DTMF_DIGITS, encodeTelephoneEvent, eventForDigit, MAX_EVENT_DURATION } from './telephone-event.js';
export type { TelephoneEvent } from './telephone-event.js';
export { telephoneEventPackets } from './telephone-event-sender.js';
export type { TelephoneEventPacket, TelephoneEventPacketsOptions } from './telephone-event-sender.js';
export { TelephoneEventReceiver } from './telephone-event-receiver.js';
export type { DtmfEvent, ReceivedEventPacket, TelephoneEventReceiverOptions } from './telephone-event-receiver.js';
export { DTMF_RELAY_CONTENT_TYPE, formatDtmfRelay, parseDtmfRelay } from './dtmf-relay.js';
export type { DtmfRelay } from './dtmf-relay.js';
