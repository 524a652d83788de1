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
import { MARKED_KEYS, headerKey, isKnownKey, knownSpellingAt, knownSpellingInBytes, markOf } from './header-names.js';
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

/**
 * The same search in text holding one character per byte (see `decodeLatin1`), from `start`:
 * the index just past the line end of the last header field, or -1 if there is no empty line.
 * The body then starts after the empty line: at +1 for LF, +2 for CRLF.
 *
 * Searching the text costs one native `indexOf` per line; `Uint8Array.prototype.indexOf` costs
 * several times as much per call, and a byte loop in JavaScript more still (measured).
 */
export function findTextHeaderSectionEnd(text: string, start: number): number {
  for (let i = text.indexOf('\n', start); i >= 0; i = text.indexOf('\n', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === LF || (next === CR && text.charCodeAt(i + 2) === LF)) return i + 1;
  }
  return -1;
}

/**
 * The bytes from `start` to `end` as text, one character per byte (ISO 8859-1). For US-ASCII,
 * which nearly every header section is, this is also their UTF-8 reading, and it is the cheapest
 * decoding Node has: a copy, without UTF-8 validation, into a one-byte string whose indices are
 * byte offsets.
 */
export function decodeLatin1(bytes: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(bytes, start, end);
}

// Buffer's own latin1 decoder, which Node's `buffer.toString('latin1')` calls; it accepts any
// Uint8Array, so a datagram need not be wrapped in a Buffer first.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

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
 * The header fields of a section as positions in its text, without a string or object per
 * field: the message parser keeps this and makes a field's value, or a `HeaderField`, only when
 * it is asked for (most fields of a received message are never read; see `SipMessageBase`).
 *
 * `offsets` holds `FIELD_STRIDE` numbers per field, in this order: where the field starts, where
 * its trimmed value starts and where it ends. For a folded field the second is -1 and the third
 * is where the field's content ends (before its last line end): its value is unfolded from after
 * the colon to there. The colon (the first one in the field), the end of the name, and the end of
 * an unfolded field's content are found again from these when needed (only to make a
 * `HeaderField`), which keeps the index half the size.
 */
export interface HeaderIndex {
  /** The header section; possibly followed by more (the body), which the offsets never reach. */
  readonly text: string;
  /** The key of each field (`headerKey` of its name). */
  keys: readonly string[];
  offsets: readonly number[];
}

export const FIELD_STRIDE = 3;

/** The number of fields in `index`. */
export function fieldCount(index: HeaderIndex): number {
  return index.keys.length;
}

/** The value of field `i`, unfolded and trimmed (the `value` of its `HeaderField`). */
export function fieldValue(index: HeaderIndex, i: number): string {
  const o = i * FIELD_STRIDE;
  const { text, offsets } = index;
  const valueStart = offsets[o + 1]!;
  return valueStart >= 0 ? text.slice(valueStart, offsets[o + 2]) : unfold(text, colonAfter(text, offsets[o]!) + 1, offsets[o + 2]!);
}

/** The colon of a field starting at `fieldStart`: its first, as the field was split there. */
function colonAfter(text: string, fieldStart: number): number {
  return text.indexOf(':', fieldStart);
}

/** Field `i` as a `HeaderField`. */
export function fieldAt(index: HeaderIndex, i: number): HeaderField {
  const o = i * FIELD_STRIDE;
  const { text, offsets } = index;
  const fieldStart = offsets[o]!;
  const folded = offsets[o + 1]! < 0;
  const colon = colonAfter(text, fieldStart);
  let nameEnd = colon;
  while (nameEnd > fieldStart && isWsp(text.charCodeAt(nameEnd - 1))) nameEnd--;
  let contentEnd = offsets[o + 2]!;
  if (!folded) while (isWsp(text.charCodeAt(contentEnd))) contentEnd++;
  const name = knownSpellingAt(text, fieldStart, nameEnd)?.spelling ?? text.slice(fieldStart, nameEnd);
  const value = fieldValue(index, i);
  // Keep the received text only when `Name: value` would not give it back.
  const usual = !folded && nameEnd === colon && text.charCodeAt(colon + 1) === 0x20 && colon + 2 + value.length === contentEnd;
  return new HeaderField(name, value, index.keys[i]!, usual ? undefined : text.slice(fieldStart, contentEnd));
}

/** Every field of `index` as a `HeaderField`, appended to `fields`. */
export function fieldsOf(index: HeaderIndex, fields: HeaderField[] = []): HeaderField[] {
  const n = fieldCount(index);
  for (let i = 0; i < n; i++) fields.push(fieldAt(index, i));
  return fields;
}

/**
 * Splits a header section (the start-line and header fields, each line ended, without the empty
 * line) into its start-line and fields, enforcing the header limits. `fields` receives the
 * fields read so far even if a later one fails, so the caller can still tell what it was.
 */
export function splitHeaderSection(text: string, limits: SipParseLimits, fields: HeaderField[] = []): HeaderSection {
  const index: HeaderIndex = { text, keys: [], offsets: [] };
  try {
    const startLine = indexHeaderSection(index, limits);
    return { startLine, fields: fieldsOf(index, fields) };
  } catch (error) {
    fieldsOf(index, fields);
    throw error;
  }
}

/**
 * Where `indexHeaderSection` collects keys and offsets, copied out at their exact length at the
 * end: arrays grown by `push` keep up to half their length again as spare room, which a parsed
 * message would carry for its whole life. (The function does not call itself.)
 */
const scratchKeys: string[] = [];
const scratchOffsets: number[] = [];

/**
 * For each of `MARKED_KEYS`, how many fields the last `indexHeaderSection` met and the number of
 * the first: valid until the next call, which the message parser reads right after its own.
 */
const markedCounts = new Int32Array(MARKED_KEYS.length);
const markedFirsts = new Int32Array(MARKED_KEYS.length);

/** How many fields of `MARKED_KEYS[mark]` the last `indexHeaderSection` met. */
export function markedCount(mark: number): number {
  return markedCounts[mark]!;
}

/** The number of the first field of `MARKED_KEYS[mark]` the last `indexHeaderSection` met. */
export function markedField(mark: number): number {
  return markedFirsts[mark]!;
}

/**
 * Reads the header section `index.text` as `splitHeaderSection` does, setting `index.keys` and
 * `index.offsets` (to the fields read so far if it throws). Returns the start-line.
 */
export function indexHeaderSection(index: HeaderIndex, limits: SipParseLimits): string {
  return index.text.slice(0, indexFields(index, limits, false));
}

/**
 * Reads the header section at the start of `index.text`, a whole message (body included) read
 * one character per byte, up to the empty line that ends it: the line ends are found once, for
 * the fields and for that line alike. Sets `index.keys` and `index.offsets` as
 * `indexHeaderSection` would for the section alone, and returns where the start-line ends;
 * `headerSectionEnd` then tells where the empty line is.
 *
 * A stray CR is found line by line here rather than first of all, so for a malformed section
 * the error may not be the one `indexHeaderSection` gives: a caller reads the section again with
 * that to report it.
 */
export function indexMessageHead(index: HeaderIndex, limits: SipParseLimits, bytes?: Uint8Array, offset = 0): number {
  return indexFields(index, limits, true, bytes, offset);
}

// Where the last `indexMessageHead` found the empty line: -1 if none.
let sectionEnd = -1;

/**
 * Where the last `indexMessageHead` found the empty line (as `findTextHeaderSectionEnd` tells
 * it: just past the line end of the last header field), or -1 if the fields ran to the end.
 */
export function headerSectionEnd(): number {
  return sectionEnd;
}

// How many fields the running `scanFields` has read, and whether any had an unknown name.
let fieldsRead = 0;
let unknownKeysRead = false;

function indexFields(index: HeaderIndex, limits: SipParseLimits, toEmptyLine: boolean, bytes?: Uint8Array, offset = 0): number {
  fieldsRead = 0;
  unknownKeysRead = false;
  try {
    return scanFields(index.text, limits, toEmptyLine, bytes, offset);
  } finally {
    index.keys = scratchKeys.slice(0, fieldsRead);
    index.offsets = scratchOffsets.slice(0, fieldsRead * FIELD_STRIDE);
    // Drop unknown keys, each a message's string (known ones are shared anyway).
    if (unknownKeysRead) scratchKeys.fill('', 0, fieldsRead);
  }
}

/**
 * Splits `text` into the start-line and fields (see `indexFields`), returning where the
 * start-line ends. With `toEmptyLine`, stops at an empty line and checks for a stray CR as it
 * goes (see `indexMessageHead`); otherwise reads to the end, and checks every CR first.
 */
function scanFields(
  text: string,
  limits: SipParseLimits,
  toEmptyLine: boolean,
  bytes: Uint8Array | undefined,
  offset: number,
): number {
  const keys = scratchKeys;
  const offsets = scratchOffsets;
  for (let k = 0; k < markedCounts.length; k++) markedCounts[k] = 0;
  sectionEnd = -1;
  // The first CR not checked yet.
  let cr = text.indexOf('\r');
  if (!toEmptyLine) cr = checkCrs(text, cr, text.length);
  const n = text.length;
  let lineEnd = text.indexOf('\n');
  if (lineEnd < 0) lineEnd = n;
  const startLineEnd = lineContentEnd(text, lineEnd);
  if (startLineEnd > limits.maxHeaderLength) {
    throw new SipParseError('header_too_long', 'Start-Line Too Long', `${startLineEnd} characters`);
  }
  cr = checkCrs(text, cr, lineEnd);
  let pos = lineEnd + 1;
  if (pos < n && isWsp(codeAt(text, bytes, offset, pos))) throw malformed('Bad header field', 'folded line after the start-line');
  while (pos < n) {
    if (toEmptyLine) {
      const c = codeAt(text, bytes, offset, pos);
      if (c === LF || (c === CR && codeAt(text, bytes, offset, pos + 1) === LF)) {
        sectionEnd = pos;
        return startLineEnd;
      }
    }
    // One field: its first line and every continuation line (starting with SP or HTAB).
    const fieldStart = pos;
    let firstLineEnd = text.indexOf('\n', pos);
    if (firstLineEnd < 0) firstLineEnd = n;
    let end = firstLineEnd;
    while (end + 1 < n && isWsp(codeAt(text, bytes, offset, end + 1))) {
      const nextEnd = text.indexOf('\n', end + 1);
      end = nextEnd < 0 ? n : nextEnd;
      if (end - fieldStart > limits.maxHeaderLength) break;
    }
    const contentEnd = end > 0 && codeAt(text, bytes, offset, end - 1) === CR ? end - 1 : end;
    if (contentEnd - fieldStart > limits.maxHeaderLength) {
      throw new SipParseError('header_too_long', 'Header Field Too Long', `field ${fieldsRead + 1}`);
    }
    if (fieldsRead >= limits.maxHeaders) {
      throw new SipParseError('too_many_headers', 'Too Many Header Fields', `more than ${limits.maxHeaders}`);
    }
    const colon = text.indexOf(':', fieldStart);
    if (colon < 0 || colon > firstLineEnd) throw malformed('Bad header field', `no colon in field ${fieldsRead + 1}`);
    let nameEnd = colon;
    while (nameEnd > fieldStart && isWsp(codeAt(text, bytes, offset, nameEnd - 1))) nameEnd--;
    // A name spelled as one met before is read in place; see `knownSpellingAt`.
    const known =
      bytes !== undefined && nameEnd > fieldStart
        ? knownSpellingInBytes(bytes, fieldStart + offset, nameEnd + offset)
        : knownSpellingAt(text, fieldStart, nameEnd);
    let key: string;
    let mark: number;
    if (known !== undefined) {
      key = known.key;
      mark = known.mark;
    } else {
      const name = text.slice(fieldStart, nameEnd);
      key = headerKey(name);
      if (!isKnownKey(key)) {
        if (!allIn(name, TOKEN)) throw malformed('Bad header field name', `field ${fieldsRead + 1}`);
        unknownKeysRead = true;
      }
      mark = markOf(key);
    }
    if (mark >= 0 && markedCounts[mark]!++ === 0) markedFirsts[mark] = fieldsRead;
    let valueStart = -1;
    let valueEnd = contentEnd;
    if (end === firstLineEnd) {
      valueStart = colon + 1;
      while (valueStart < valueEnd && isWsp(codeAt(text, bytes, offset, valueStart))) valueStart++;
      while (valueEnd > valueStart && isWsp(codeAt(text, bytes, offset, valueEnd - 1))) valueEnd--;
    }
    const o = fieldsRead * FIELD_STRIDE;
    keys[fieldsRead++] = key;
    offsets[o] = fieldStart;
    offsets[o + 1] = valueStart;
    offsets[o + 2] = valueEnd;
    cr = checkCrs(text, cr, end);
    pos = end + 1;
  }
  return startLineEnd;
}

/**
 * The code of `text`'s character `i`, read in `bytes` when the text was decoded from them one
 * character per byte (character `i` being byte `i + offset`): V8 reads a byte several times
 * as fast as it runs `charCodeAt`. Past the end both give a value equal to no code (NaN or
 * undefined).
 */
function codeAt(text: string, bytes: Uint8Array | undefined, offset: number, i: number): number {
  return bytes !== undefined ? bytes[i + offset]! : text.charCodeAt(i);
}

/**
 * Checks that every CR from `cr` (the first not checked yet, or -1) up to `end` is followed by
 * LF: one that is not would end a line for some parsers and not others. Returns the first CR
 * at or after `end`, or -1.
 */
function checkCrs(text: string, cr: number, end: number): number {
  while (cr >= 0 && cr < end) {
    if (text.charCodeAt(cr + 1) !== LF) throw malformed('Bad line end', 'CR not followed by LF');
    cr = text.indexOf('\r', cr + 2);
  }
  return cr;
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
