/**
 * message/sipfrag (RFC 3420): a part of a SIP message — here mostly the status line REFER's
 * NOTIFYs carry to report the progress of the referenced request (RFC 3515 §2.4.5):
 *
 *   sipfrag     = [ start-line ] *message-header [ CRLF [ message-body ] ]     (RFC 3420 §2)
 *   Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF            (RFC 3261 §25.1)
 *
 * A status line is the one piece the phone acts on; a request line and header fields are kept
 * as text. The final CRLF of the last line may be missing (RFC 3420 §2: a fragment need not end
 * in one, and many implementations send "SIP/2.0 200 OK" bare).
 */
import { bodyText } from './body-limits.js';
import { malformedBody } from './event-body-error.js';

export const SIPFRAG_CONTENT_TYPE = 'message/sipfrag;version=2.0';

/** Enough for a status line and a few header fields; REFER progress needs no more. */
export const maxSipfragBytes = 8 * 1024;

export interface SipfragStatusLine {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

export interface SipfragRequestLine {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
}

export interface Sipfrag {
  readonly startLine: SipfragStatusLine | SipfragRequestLine | undefined;
  /** Header fields as `[name, value]`, in order, values unfolded. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

const STATUS_LINE = /^SIP\/2\.0 ([1-6][0-9]{2}) (.*)$/;
const REQUEST_LINE = /^([!%'*+\-.0-9A-Z_`a-z~]+) (\S+) SIP\/2\.0$/;
const HEADER = /^([!%'*+\-.0-9A-Z_`a-z~]+)[ \t]*:[ \t]*(.*)$/;

export function parseSipfrag(body: Uint8Array | string, maxBytes = maxSipfragBytes): Sipfrag {
  const text = bodyText(body, 'sipfrag', maxBytes);
  const lines = text.split(/\r?\n/);
  let i = 0;
  let startLine: Sipfrag['startLine'];
  const first = lines[0] ?? '';
  const status = STATUS_LINE.exec(first);
  const request = status === null ? REQUEST_LINE.exec(first) : null;
  if (status !== null) {
    // RFC 3261 §25.1: Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
    if (hasControl(status[2]!)) throw malformedBody('sipfrag', 'control character in the Reason-Phrase');
    startLine = { kind: 'response', status: Number(status[1]), reason: status[2]! };
    i = 1;
  } else if (request !== null) {
    startLine = { kind: 'request', method: request[1]!, uri: request[2]! };
    i = 1;
  } else if (/^SIP\//i.test(first)) {
    throw malformedBody('sipfrag', 'bad status line');
  }
  const headers: [string, string][] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      i++;
      break;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
      // RFC 3261 §7.3.1: a folded line continues the previous field.
      const last = headers[headers.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const header = HEADER.exec(line);
    if (header === null) throw malformedBody('sipfrag', `bad header line ${i + 1}`);
    headers.push([header[1]!, header[2]!.trim()]);
  }
  if (startLine === undefined && headers.length === 0) throw malformedBody('sipfrag', 'neither a start line nor a header field');
  return { startLine, headers, body: lines.slice(i).join('\r\n') };
}

/** The status line of a REFER progress body (RFC 3515 §2.4.5); refused if there is none. */
export function parseSipfragStatus(body: Uint8Array | string, maxBytes = maxSipfragBytes): SipfragStatusLine {
  const frag = parseSipfrag(body, maxBytes);
  if (frag.startLine?.kind !== 'response') throw malformedBody('sipfrag', 'no status line');
  return frag.startLine;
}

/** `SIP/2.0 180 Ringing\r\n` (RFC 3515 §2.4.5). */
export function formatSipfrag(status: number, reason: string, headers: readonly (readonly [string, string])[] = []): string {
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`not a status code: ${status}`);
  if (/[\r\n]/.test(reason)) throw new RangeError('a Reason-Phrase cannot hold CR or LF');
  let text = `SIP/2.0 ${status} ${reason}\r\n`;
  for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
  return text;
}

/** CTLs other than HTAB (RFC 5234 B.1). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}
