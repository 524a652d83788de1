/** The project's SDP fixtures (test/fixtures/sdp) and a local codec table for the tests. */
import { readFileSync } from 'node:fs';
import type { CodecDescription, LocalAudio, LocalDescription } from '../../../../../main/core/media/sdp/index.js';

const root = new URL('../../../../fixtures/sdp/', import.meta.url);

export type FixtureName =
  | 'asterisk-hold-offer'
  | 'asterisk-offer'
  | 'baresip-offer'
  | 'ipv6-offer'
  | 'kamailio-relayed-offer'
  | 'legacy-hold-offer'
  | 'linphone-offer'
  | 'srtp-offer';

/** A fixture with CRLF line ends, whatever the checkout did to them. */
export function sdpFixture(name: FixtureName): string {
  return readFileSync(new URL(`${name}.sdp`, root), 'utf8').replace(/\r?\n/g, '\r\n');
}

export const OPUS: CodecDescription = { name: 'opus', clockRate: 48000, channels: 2, payloadType: 96, fmtp: 'useinbandfec=1' };
export const G722: CodecDescription = { name: 'G722', clockRate: 8000, channels: 1, payloadType: 9 };
export const PCMU: CodecDescription = { name: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0 };
export const PCMA: CodecDescription = { name: 'PCMA', clockRate: 8000, channels: 1, payloadType: 8 };
export const TELEPHONE_EVENT: CodecDescription = { name: 'telephone-event', clockRate: 8000, channels: 1, payloadType: 101 };

/** The user's order: Opus, G.722, PCMA, PCMU, then events. */
export const CODECS: readonly CodecDescription[] = [OPUS, G722, PCMA, PCMU, TELEPHONE_EVENT];

export function localAudio(change: Partial<LocalAudio> = {}): LocalAudio {
  return { port: 40000, codecs: CODECS, ptime: 20, direction: 'sendrecv', profile: 'RTP/AVP', ...change };
}

export function local(change: Partial<LocalAudio> = {}, address = '192.0.2.10'): LocalDescription {
  return { sessionId: '4242', sessionVersion: 1, address, audio: localAudio(change) };
}

/** Builds an SDP from lines, CRLF-terminated. */
export function sdp(...lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

export const HEADER = ['v=0', 'o=- 1 1 IN IP4 198.51.100.7', 's=-', 'c=IN IP4 198.51.100.7', 't=0 0'];
