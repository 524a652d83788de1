/**
 * The header section of a message (RFC 3261 §7): a start-line, header fields each ending in
 * CRLF, and an empty line. Used by the message parser and by the stream framer alike.
 *
 * Robustness, as the widely used stacks do: a bare LF is accepted as a line end (the RFC 5118
 * archive is written that way), and a field may be folded over several lines (§7.3.1: a line
 * starting with SP or HTAB continues the previous one; the fold counts as one SP).
 * A CR that is not followed by LF is refused: it would end a line for some parsers and not
 * others.
 */
import { Buffer } from 'node:buffer';
import { CR, LF, TOKEN, allIn, isWsp } from '../grammar/char-classes.js';
import { SipParseError, malformed } from '../grammar/sip-parse-error.js';
import { HeaderField } from './header-field.js';
import { headerKey, isKnownKey } from './header-names.js';
import type { SipParseLimits } from './parse-options.js';

export interface HeaderSectionBounds {
  /** Index just past the line end of the last header field (where the empty line starts). */
  readonly end: number;
  /** Index of the first body byte (just past the empty line). */
  readonly bodyStart: number;
}

/**
 * Finds the empty line that ends the header section starting at `start`, looking no further than
 * `limit`. Returns undefined if there is none yet.
 */
export function findHeaderSectionEnd(bytes: Uint8Array, start: number, limit: number): HeaderSectionBounds | undefined {
  let i = bytes.indexOf(LF, start);
  while (i >= 0 && i < limit) {
    const next = i + 1 < limit ? bytes[i + 1] : -1;
    if (next === LF) return { end: i + 1, bodyStart: i + 2 };
    if (next === CR && i + 2 < limit && bytes[i + 2] === LF) return { end: i + 1, bodyStart: i + 3 };
    i = bytes.indexOf(LF, i + 1);
  }
  return undefined;
}

/** The bytes from `start` to `end` as text (UTF-8, the charset of SIP, §7.3.1). */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('utf8', start, end);
}

export interface HeaderSection {
  readonly startLine: string;
  readonly fields: HeaderField[];
}

/**
 * Splits a header section (the start-line and header fields, each line ended, without the empty
 * line) into its start-line and fields, enforcing the header limits. `fields` receives the
 * fields read so far even if a later one fails, so the caller can still tell what it was.
 */
export function splitHeaderSection(text: string, limits: SipParseLimits, fields: HeaderField[] = []): HeaderSection {
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 2)) {
    if (text.charCodeAt(cr + 1) !== LF) throw malformed('Bad line end', 'CR not followed by LF');
  }
  const n = text.length;
  let lineEnd = text.indexOf('\n');
  if (lineEnd < 0) lineEnd = n;
  const startLine = text.slice(0, lineContentEnd(text, lineEnd));
  if (startLine.length > limits.maxHeaderLength) {
    throw new SipParseError('header_too_long', 'Start-Line Too Long', `${startLine.length} characters`);
  }
  let pos = lineEnd + 1;
  if (pos < n && isWsp(text.charCodeAt(pos))) throw malformed('Bad header field', 'folded line after the start-line');
  while (pos < n) {
    // One field: its first line and every continuation line (starting with SP or HTAB).
    const fieldStart = pos;
    let firstLineEnd = text.indexOf('\n', pos);
    if (firstLineEnd < 0) firstLineEnd = n;
    let end = firstLineEnd;
    while (end + 1 < n && isWsp(text.charCodeAt(end + 1))) {
      const nextEnd = text.indexOf('\n', end + 1);
      end = nextEnd < 0 ? n : nextEnd;
      if (end - fieldStart > limits.maxHeaderLength) break;
    }
    const contentEnd = lineContentEnd(text, end);
    if (contentEnd - fieldStart > limits.maxHeaderLength) {
      throw new SipParseError('header_too_long', 'Header Field Too Long', `field ${fields.length + 1}`);
    }
    if (fields.length >= limits.maxHeaders) {
      throw new SipParseError('too_many_headers', 'Too Many Header Fields', `more than ${limits.maxHeaders}`);
    }
    const colon = text.indexOf(':', fieldStart);
    if (colon < 0 || colon > firstLineEnd) throw malformed('Bad header field', `no colon in field ${fields.length + 1}`);
    let nameEnd = colon;
    while (nameEnd > fieldStart && isWsp(text.charCodeAt(nameEnd - 1))) nameEnd--;
    const name = text.slice(fieldStart, nameEnd);
    const key = headerKey(name);
    if (!isKnownKey(key) && !allIn(name, TOKEN)) throw malformed('Bad header field name', `field ${fields.length + 1}`);
    let raw: string | undefined;
    let value: string;
    if (end !== firstLineEnd) {
      value = unfold(text, colon + 1, contentEnd);
      raw = text.slice(fieldStart, contentEnd);
    } else {
      value = trimmed(text, colon + 1, contentEnd);
      // Keep the received text only when `Name: value` would not give it back.
      const usual = nameEnd === colon && text.charCodeAt(colon + 1) === 0x20 && colon + 2 + value.length === contentEnd;
      if (!usual) raw = text.slice(fieldStart, contentEnd);
    }
    fields.push(new HeaderField(name, value, key, raw));
    pos = end + 1;
  }
  return { startLine, fields };
}

/** The end of a line's content: before the CR of a CRLF, or before a bare LF. */
function lineContentEnd(text: string, lineEnd: number): number {
  return lineEnd > 0 && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
}

function trimmed(text: string, start: number, end: number): string {
  while (start < end && isWsp(text.charCodeAt(start))) start++;
  while (end > start && isWsp(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** A folded value with every fold, and the white space around it, made one SP (§7.3.1). */
function unfold(text: string, start: number, end: number): string {
  const parts: string[] = [];
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const part = trimmed(text, lineStart, lineContentEnd(text, lineEnd));
    if (part.length > 0) parts.push(part);
    lineStart = lineEnd + 1;
  }
  return parts.join(' ');
}
