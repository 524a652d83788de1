import { isIP } from 'node:net';
import type { CodecDescription } from './codec-description.js';
import type { MediaDirection } from './media-direction.js';

/** Our accepted or offered audio stream. */
export interface AudioSection {
  readonly kind: 'audio';
  readonly port: number;
  readonly protocol: string;
  /** In the order written on the m= line, each with the payload type to use. */
  readonly codecs: readonly CodecDescription[];
  readonly ptime?: number;
  readonly rtcpPort?: number;
  readonly rtcpMux: boolean;
  readonly crypto: readonly string[];
  readonly direction: MediaDirection;
}

/** A stream we refuse: port 0 and the offer's own format list (RFC 3264 §6). */
export interface RejectedSection {
  readonly kind: 'rejected';
  readonly type: string;
  readonly protocol: string;
  readonly formats: readonly string[];
}

export type MediaSection = AudioSection | RejectedSection;

export interface SessionToWrite {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: number;
  readonly address: string;
  readonly sections: readonly MediaSection[];
}

function writeAudio(section: AudioSection, lines: string[]): void {
  lines.push(`m=audio ${section.port} ${section.protocol} ${section.codecs.map((c) => c.payloadType).join(' ')}`);
  for (const codec of section.codecs) {
    // RFC 4566 §6: a=rtpmap is required for dynamic payload types; written for static ones too, as
    // most SIP phones do, so that no reader has to know RFC 3551's table.
    const channels = codec.channels === 1 ? '' : `/${codec.channels}`;
    lines.push(`a=rtpmap:${codec.payloadType} ${codec.name}/${codec.clockRate}${channels}`);
    if (codec.fmtp !== undefined) lines.push(`a=fmtp:${codec.payloadType} ${codec.fmtp}`);
  }
  if (section.ptime !== undefined) lines.push(`a=ptime:${section.ptime}`);
  // RFC 3605 §2.1: a=rtcp only when RTCP is not on port + 1.
  if (section.rtcpPort !== undefined && section.rtcpPort !== section.port + 1) lines.push(`a=rtcp:${section.rtcpPort}`);
  if (section.rtcpMux) lines.push('a=rtcp-mux');
  for (const crypto of section.crypto) lines.push(`a=crypto:${crypto}`);
  // RFC 3264 §5.1: sendrecv is the default, but every phone writes it, and so do we.
  lines.push(`a=${section.direction}`);
}

/**
 * Writes an SDP body (RFC 4566 §5, fields in the order it requires), CRLF-terminated. The c= line
 * is at session level since all our streams share one address; rejected streams are one m= line.
 */
export function writeSessionDescription(session: SessionToWrite): string {
  const ip = isIP(session.address) === 6 ? 'IP6' : 'IP4';
  const lines = [
    'v=0',
    `o=${session.username} ${session.sessionId} ${session.sessionVersion} IN ${ip} ${session.address}`,
    // RFC 4566 §5.3: s= must not be empty; "-" is the conventional placeholder.
    's=-',
    `c=IN ${ip} ${session.address}`,
    't=0 0',
  ];
  for (const section of session.sections) {
    if (section.kind === 'audio') writeAudio(section, lines);
    else lines.push(`m=${section.type} 0 ${section.protocol} ${section.formats.join(' ')}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}
