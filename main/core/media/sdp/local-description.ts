import { isIP } from 'node:net';
import type { CodecDescription } from './codec-description.js';
import type { MediaDirection } from './media-direction.js';
import { isMediaDirection } from './media-direction.js';
import { isPrintableLine } from './printable-line.js';

/** The RTP profiles we speak: plain RTP (RFC 3551) and SRTP keyed by SDES (RFC 3711, RFC 4568). */
export type RtpProfile = 'RTP/AVP' | 'RTP/SAVP';

/**
 * SDES a=crypto values (RFC 4568 §9.1, without the `a=crypto:` prefix), opaque to this module. For
 * an answer, a function may pick ours from the ones offered (RFC 4568 §7.1.2: answer one of them).
 */
export type CryptoLines = readonly string[] | ((offered: readonly string[]) => readonly string[]);

export interface LocalAudio {
  readonly port: number;
  /** Our RTCP port when it is not port + 1 (RFC 3605); ignored when rtcp-mux is agreed. */
  readonly rtcpPort?: number;
  /** Offer (or accept) RTP and RTCP on one port (RFC 5761 §5.1.1). */
  readonly rtcpMux?: boolean;
  /** What we can use, in the user's order of preference. */
  readonly codecs: readonly CodecDescription[];
  /** The packet duration we want to receive, in milliseconds (RFC 4566 §6 a=ptime). */
  readonly ptime?: number;
  readonly direction: MediaDirection;
  readonly crypto?: CryptoLines;
  readonly profile: RtpProfile;
}

export interface LocalDescription {
  /** o= sess-id: digits, chosen once per session (RFC 4566 §5.2). */
  readonly sessionId: string;
  /** o= sess-version (RFC 4566 §5.2, RFC 3264 §8). */
  readonly sessionVersion: number;
  /** o= username; `-` when absent. Never the user's name unless they want it on the wire. */
  readonly username?: string;
  /** Where we receive media: an IPv4 or IPv6 literal. */
  readonly address: string;
  readonly audio: LocalAudio;
}

const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;

function isPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65535;
}

/**
 * Refuses a local description that would write a broken or injected SDP. These are programming
 * errors, so they throw plain RangeErrors rather than the typed errors kept for network input.
 */
export function checkLocalDescription(local: LocalDescription): void {
  if (!/^\d{1,20}$/.test(local.sessionId)) throw new RangeError(`sessionId must be 1-20 digits: ${local.sessionId}`);
  if (!Number.isSafeInteger(local.sessionVersion) || local.sessionVersion < 0) {
    throw new RangeError(`sessionVersion must be a non-negative safe integer: ${local.sessionVersion}`);
  }
  if (local.username !== undefined && !(TOKEN.test(local.username) || local.username === '-')) {
    throw new RangeError(`username must be one token, without spaces (RFC 4566 §5.2): ${local.username}`);
  }
  if (isIP(local.address) === 0) throw new RangeError(`address must be an IP literal: ${local.address}`);
  checkLocalAudio(local.audio);
}

function checkLocalAudio(audio: LocalAudio): void {
  if (!isPort(audio.port)) throw new RangeError(`audio port out of range: ${audio.port}`);
  if (audio.rtcpPort !== undefined && !isPort(audio.rtcpPort)) throw new RangeError(`rtcp port out of range: ${audio.rtcpPort}`);
  if (audio.ptime !== undefined && !(Number.isInteger(audio.ptime) && audio.ptime > 0 && audio.ptime <= 1000)) {
    throw new RangeError(`ptime must be a whole number of milliseconds: ${audio.ptime}`);
  }
  if (!isMediaDirection(audio.direction)) throw new RangeError(`unknown direction: ${String(audio.direction)}`);
  if (audio.profile !== 'RTP/AVP' && audio.profile !== 'RTP/SAVP') throw new RangeError(`unknown profile: ${String(audio.profile)}`);
  if (audio.codecs.length === 0) throw new RangeError('at least one codec is needed');
  const seen = new Set<number>();
  for (const codec of audio.codecs) {
    if (!Number.isInteger(codec.payloadType) || codec.payloadType < 0 || codec.payloadType > 127) {
      throw new RangeError(`payload type out of range: ${codec.payloadType}`);
    }
    if (seen.has(codec.payloadType)) throw new RangeError(`payload type ${codec.payloadType} used twice`);
    seen.add(codec.payloadType);
    if (!TOKEN.test(codec.name) || codec.name.includes('/')) throw new RangeError(`codec name is not a token: ${codec.name}`);
    if (!Number.isInteger(codec.clockRate) || codec.clockRate <= 0) throw new RangeError(`bad clock rate for ${codec.name}`);
    if (!Number.isInteger(codec.channels) || codec.channels <= 0) throw new RangeError(`bad channel count for ${codec.name}`);
    if (codec.fmtp !== undefined && !(isPrintableLine(codec.fmtp) && codec.fmtp.trim() !== '')) {
      throw new RangeError(`fmtp for ${codec.name} must be one printable line`);
    }
  }
  if (Array.isArray(audio.crypto)) checkCryptoLines(audio.crypto);
}

/** SDES lines are opaque, but they must stay on one line of our SDP. */
export function checkCryptoLines(lines: readonly string[]): void {
  for (const line of lines) {
    if (!isPrintableLine(line) || line.trim() === '') throw new RangeError('a crypto line must be one printable line');
  }
}
