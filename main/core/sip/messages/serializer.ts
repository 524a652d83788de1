/**
 * Writing a message (RFC 3261 §7): start-line, header fields, empty line, body.
 *
 * An unchanged parsed message is written as the exact bytes it came in. Otherwise unchanged
 * fields are written as received (folds and compact names kept, line ends made CRLF) and
 * Content-Length is set to the body's length (§20.14: it is the body's size in octets, whatever
 * the field said before): the first Content-Length field gets the value, others are dropped,
 * and one is added at the end if there was none.
 */
import { Buffer } from 'node:buffer';
import type { SipMessageBase } from './sip-message.js';

const CRLF = '\r\n';

/** The start-line and header fields, each ending in CRLF, then the empty line. */
export function serializeHeaderSection(message: SipMessageBase): string {
  const length = String(message.body.length);
  let out = message.startLine + CRLF;
  let wroteLength = false;
  for (const field of message.headers) {
    if (field.key === 'content-length') {
      if (wroteLength) continue;
      wroteLength = true;
      if (field.value !== length) {
        out += `${field.name}: ${length}${CRLF}`;
        continue;
      }
    }
    const text = field.toString();
    out += (text.includes('\n') ? text.replace(/\r?\n/g, CRLF) : text) + CRLF;
  }
  if (!wroteLength) out += `Content-Length: ${length}${CRLF}`;
  return out + CRLF;
}

/**
 * The message as bytes. For an unchanged parsed message these are the received bytes
 * themselves (not a copy): do not modify them.
 */
export function serializeMessage(message: SipMessageBase): Uint8Array {
  const raw = message.rawBytes;
  if (raw !== undefined) return raw;
  const head = Buffer.from(serializeHeaderSection(message), 'utf8');
  const body = message.body;
  if (body.length === 0) return head;
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** The message as text, the body read as UTF-8 (lossy for a binary body). */
export function serializeMessageToString(message: SipMessageBase): string {
  const raw = message.rawBytes;
  if (raw !== undefined) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  return serializeHeaderSection(message) + Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength).toString('utf8');
}
