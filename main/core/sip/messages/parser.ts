/**
 * Parsing a message (RFC 3261 §7, framing per §18.3) from the bytes of a datagram or of one
 * message cut from a stream by `SipStreamFramer`.
 *
 * What is checked at once, so a message that parses can be handed to the transaction layer:
 * the start-line; Via, CSeq, Call-ID, From and To present, each parsing, and the single-valued
 * ones not repeated (§8.1.1, RFC 4475 §3.3.8); the CSeq method equal to the request method
 * (§8.1.1.5, RFC 4475 §3.1.2.17); Max-Forwards, Content-Length and Contact well formed. Every
 * other typed header is parsed when first read and throws a `SipParseError` then if malformed.
 *
 * Choices where RFC 4475 leaves one ("reject (or tolerate)"), each for the reason given:
 * - extra SP between Request-Line elements, or after them (§3.1.2.9, §3.1.2.10): tolerated;
 *   splitting at runs of SP is unambiguous, and the start-line is rewritten if ever re-sent.
 * - LWS inside the Request-URI (§3.1.2.8): refused; the line no longer has three elements.
 * - "<...>" around the Request-URI (§3.1.2.7): refused; it is not a URI.
 * - headers in the Request-URI (§3.1.2.11): refused; §19.1.1 does not allow them there.
 * - a Date with a zone other than GMT (§3.1.2.12): accepted; Date is never interpreted.
 * - an addr-spec Contact holding "?" (§3.1.2.13): refused (§20: it needs angle brackets).
 * - white space inside "< ... >" (§3.1.2.14): tolerated, the URI is read without it.
 * - an unquoted display name with a comma (§3.1.2.15): refused.
 * - a datagram whose header section is not closed by an empty line (the RFC 4475 baddn.dat and
 *   RFC 5118 §4.10 archive files): accepted when it ends at a line end, with an empty body.
 */
import { isAscii } from 'node:buffer';
import { CR, LF, TOKEN, allIn } from '../grammar/char-classes.js';
import { exactLength } from '../grammar/parameters.js';
import { SipParseError, malformed } from '../grammar/sip-parse-error.js';
import { parseUriAt, type Uri } from '../uri/uri.js';
import type { HeaderField } from './header-field.js';
import { markOf } from './header-names.js';
import {
  FIELD_STRIDE,
  decodeLatin1,
  decodeText,
  fieldAt,
  fieldValue,
  findTextHeaderSectionEnd,
  headerSectionEnd,
  indexHeaderSection,
  indexMessageHead,
  markedCount,
  markedField,
  type HeaderIndex,
} from './header-section.js';
import { parseCallIdAt } from './headers/call-id.js';
import { parseContactAt, type ContactValue } from './headers/contact.js';
import { parseCSeqAt, usualMethodAt, type CSeq } from './headers/cseq.js';
import {
  CSeqHeader,
  CallIdHeader,
  ContactHeader,
  ContentLengthHeader,
  FromHeader,
  MaxForwardsHeader,
  ToHeader,
  ViaHeader,
} from './headers/definitions.js';
import { parseIntegerAt } from './headers/integer-headers.js';
import { parseNameAddrAt, type NameAddr } from './headers/name-addr.js';
import { parseViaAt, type Via } from './headers/via.js';
import { resolveLimits, type SipParseLimits, type SipParseOptions } from './parse-options.js';
import { SipRequest, SipResponse, newTypedCache, parsedFields, setTyped, type SipMessage } from './sip-message.js';

const encoder = new TextEncoder();

/** The fields a UAS copies into a response (§8.2.6.2): what an error must carry to be answered. */
const RESPONSE_KEYS = new Set(['via', 'from', 'to', 'call-id', 'cseq']);

interface StartLineGuess {
  startLine?: 'request' | 'response';
  method?: string;
}

/** Whether the message starts with "SIP/" (any case): a Status-Line, not a Request-Line. */
function isStatusLine(text: string): boolean {
  return (
    (text.charCodeAt(0) | 0x20) === 0x73 &&
    (text.charCodeAt(1) | 0x20) === 0x69 &&
    (text.charCodeAt(2) | 0x20) === 0x70 &&
    text.charCodeAt(3) === 0x2f
  );
}

/** What the first line looks like, for the context of an error (computed only on failure). */
function guessStartLine(text: string): StartLineGuess {
  if (isStatusLine(text)) return { startLine: 'response' };
  const sp = text.indexOf(' ');
  const method = sp > 0 ? text.slice(0, sp) : '';
  return allIn(method, TOKEN) ? { startLine: 'request', method } : {};
}

/** Whether `line` holds "SIP/2.0" (any case) from `start` to `end`, read in place. */
function isSip20(line: string, start: number, end: number): boolean {
  if (end - start !== 7) return false;
  for (let i = 0; i < 7; i++) {
    const c = line.charCodeAt(start + i);
    // Upper-casing ASCII letters only: "ſ" (U+017F) upper-cases to "S" but is not one.
    if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== SIP_2_0.charCodeAt(i)) return false;
  }
  return true;
}
const SIP_2_0 = 'SIP/2.0';

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (§25.1): another version is 505, not 400. */
function checkVersion(line: string, start: number, end: number): void {
  if (isSip20(line, start, end)) return;
  if (/^SIP\/\d{1,9}\.\d{1,9}$/i.test(line.slice(start, end))) {
    throw new SipParseError('version', 'Version Not Supported', 'only SIP/2.0 is supported');
  }
  throw malformed('Bad SIP-Version');
}

/**
 * Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1). Runs of SP count as one,
 * and SP at the end is ignored (RFC 4475 §3.1.2.9, §3.1.2.10).
 */
function parseRequestLine(line: string): { method: string; uriStart: number; uriEnd: number } {
  const n = line.length;
  const methodEnd = line.indexOf(' ');
  let uriStart = methodEnd;
  while (uriStart >= 0 && line.charCodeAt(uriStart) === 0x20) uriStart++;
  const uriEnd = uriStart < 0 ? -1 : line.indexOf(' ', uriStart);
  let versionStart = uriEnd;
  while (versionStart >= 0 && line.charCodeAt(versionStart) === 0x20) versionStart++;
  let versionEnd = versionStart < 0 ? -1 : line.indexOf(' ', versionStart);
  if (versionEnd < 0) versionEnd = n;
  let rest = versionEnd;
  while (rest < n && line.charCodeAt(rest) === 0x20) rest++;
  if (methodEnd <= 0 || uriEnd < 0 || versionStart >= n || rest < n) throw malformed('Bad Request-Line', 'not three elements');
  checkVersion(line, versionStart, versionEnd);
  // A usual method is the shared string CSeq holds too, so the two compare by reference.
  const usual = usualMethodAt(line, 0, methodEnd);
  const method = usual ?? line.slice(0, methodEnd);
  if (usual === undefined && !allIn(method, TOKEN)) throw malformed('Bad Request-Line', 'bad method');
  return { method, uriStart, uriEnd };
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2). */
function parseStatusLine(line: string): { status: number; reason: string } {
  const sp = line.indexOf(' ');
  if (sp < 0) throw malformed('Bad Status-Line');
  checkVersion(line, 0, sp);
  let i = sp;
  while (line.charCodeAt(i) === 0x20) i++;
  const d0 = line.charCodeAt(i) - 0x30;
  const d1 = line.charCodeAt(i + 1) - 0x30;
  const d2 = line.charCodeAt(i + 2) - 0x30;
  const after = line.charCodeAt(i + 3);
  // NaN (past the end) fails every comparison, so a short line is refused too.
  const digits = d0 >= 1 && d0 <= 6 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9;
  if (!digits || (i + 3 < line.length && after !== 0x20)) {
    throw malformed('Bad Status-Line', 'the Status-Code must be three digits, 100 to 699');
  }
  return { status: d0 * 100 + d1 * 10 + d2, reason: line.slice(Math.min(i + 4, line.length)) };
}

/** Whether the checked SIP URI in `line` from `start` to `end` has headers (a "?" after any "@"). */
function hasUriHeaders(line: string, start: number, end: number): boolean {
  const at = line.indexOf('@', start);
  const question = line.indexOf('?', at >= 0 && at < end ? at : start);
  return question >= 0 && question < end;
}

/**
 * Parses one SIP message. Throws a `SipParseError`, and nothing else, for any input that is not
 * a well-formed message within the limits of `options`.
 *
 * The message's body and received bytes are views of `input`, not copies (a datagram buffer is
 * not reused by Node, and the stream framer hands out fresh ones): do not overwrite `input`
 * while the message is in use.
 */
export function parseMessage(input: Uint8Array | string, options?: SipParseOptions): SipMessage {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const limits = resolveLimits(options);
  const stream = options?.framing === 'stream';
  const n = bytes.length;
  if (n > limits.maxMessageSize) throw new SipParseError('too_large', 'Message Too Large', `${n} bytes`);
  // §7.5: CRLFs before the start-line are ignored (keep-alives on a stream).
  let start = 0;
  while (start < n && (bytes[start] === CR || bytes[start] === LF)) start++;
  if (start === n) throw malformed('Empty message');

  // The whole message read one character per byte: its indices are byte offsets. When every
  // byte is US-ASCII, as nearly always, that is also its UTF-8 reading (§7.3.1), and the header
  // section is split in the same pass that finds the empty line ending it.
  const whole = decodeLatin1(bytes, start, n);
  const head = isAscii(bytes) ? readHead(whole, limits, bytes, start) : undefined;
  let headerEnd: number;
  let bodyStart: number;
  const end = head !== undefined ? headerSectionEnd() : findTextHeaderSectionEnd(whole, 0);
  if (end >= 0) {
    headerEnd = start + end;
    bodyStart = headerEnd + (whole.charCodeAt(end) === LF ? 1 : 2);
  } else if (!stream && bytes[n - 1] === LF) {
    headerEnd = n;
    bodyStart = n;
  } else {
    throw malformed('Incomplete header section', 'no empty line after the header fields');
  }

  let text: string;
  if (head === undefined && !isAscii(bytes.subarray(start, headerEnd))) text = decodeText(bytes, start, headerEnd);
  // A copy of the header section alone, so the fields' values do not keep the body's text
  // alive; but a body no longer than the section costs less to keep than the copy does to make
  // (the fields split in `whole` then stay there).
  else if (headerEnd < n && (head === undefined || n - headerEnd > headerEnd - start)) text = decodeLatin1(bytes, start, headerEnd);
  else text = whole;
  const index: HeaderIndex = head !== undefined && head.text === text ? head : { text, keys: head?.keys ?? [], offsets: head?.offsets ?? [] };
  // On the all-ASCII path the value parsers may read the bytes themselves (see `valueAt`).
  headBytes = head !== undefined ? bytes : undefined;
  headDelta = start;
  try {
    const startLine = head !== undefined ? text.slice(0, headStartLineEnd) : indexHeaderSection(index, limits);
    const typed = newTypedCache();

    // §18.3: Content-Length frames the body; on a datagram it may be absent (body to the end).
    let contentLength: number | undefined;
    if (markedCount(CONTENT_LENGTH) !== 1) contentLength = ContentLengthHeader.parse(valuesOf(index, 'content-length'));
    else {
      valueAt(index, markedField(CONTENT_LENGTH));
      contentLength = parseIntegerAt(valueText, valueStart, valueEnd, 'Content-Length', 0, 0xffffffff);
    }
    setTyped(typed, ContentLengthHeader, contentLength);
    let bodyEnd: number;
    if (contentLength === undefined) {
      if (stream) throw new SipParseError('missing_header', 'Missing Content-Length header field', 'required on a stream');
      bodyEnd = n;
    } else {
      if (contentLength > limits.maxMessageSize) throw new SipParseError('too_large', 'Message Too Large', 'Content-Length');
      bodyEnd = bodyStart + contentLength;
      // RFC 4475 §3.1.2.2: a body shorter than Content-Length is an error (400 on UDP).
      if (bodyEnd > n) throw malformed('Content-Length exceeds the message', `${contentLength} stated, ${n - bodyStart} present`);
    }

    let request: { method: string; uri: Uri } | undefined;
    let status: { status: number; reason: string } | undefined;
    if (isStatusLine(text)) {
      status = parseStatusLine(startLine);
    } else {
      const { method, uriStart, uriEnd } = parseRequestLine(startLine);
      // The start-line is the section's first characters: in its bytes too, when it has them.
      const uri = parseUriAt(startLine, uriStart, uriEnd, 'Bad Request-URI', headBytes, headDelta);
      // In a checked SIP URI, the first "?" after the userinfo (which ends at the first "@")
      // starts the headers: host, port and uri-parameters cannot hold one.
      if (uri.kind === 'sip' && hasUriHeaders(startLine, uriStart, uriEnd)) {
        throw malformed('Bad Request-URI', 'headers are not allowed here');
      }
      request = { method, uri };
    }
    readMandatoryHeaders(index, typed, request?.method);
    const parts = { index, typed, bytes, start, bodyStart, end: bodyEnd };
    return request !== undefined
      ? new SipRequest({ method: request.method, uri: request.uri, [parsedFields]: parts })
      : new SipResponse({ status: status!.status, reason: status!.reason, [parsedFields]: parts });
  } catch (error) {
    if (!(error instanceof SipParseError)) throw error;
    const headers: HeaderField[] = [];
    for (let i = 0; i < index.keys.length; i++) if (RESPONSE_KEYS.has(index.keys[i]!)) headers.push(fieldAt(index, i));
    throw error.withContext({ ...guessStartLine(text), headers });
  } finally {
    headBytes = undefined;
  }
}

// Where the start-line read by `readHead` ends.
let headStartLineEnd = 0;

/**
 * The fields of the header section at the start of `whole` (see `indexMessageHead`), or
 * undefined if it is malformed: the section is then read as before, alone, to say how.
 */
function readHead(whole: string, limits: SipParseLimits, bytes: Uint8Array, start: number): HeaderIndex | undefined {
  const head: HeaderIndex = { text: whole, keys: [], offsets: [] };
  try {
    headStartLineEnd = indexMessageHead(head, limits, bytes, start);
    return head;
  } catch (error) {
    if (error instanceof SipParseError) return undefined;
    throw error;
  }
}

function valuesOf(index: HeaderIndex, key: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < index.keys.length; i++) if (index.keys[i] === key) values.push(fieldValue(index, i));
  return values;
}

/**
 * While `parseMessage` reads an all-ASCII message: the bytes its header section's text was
 * decoded from, one character per byte, character `i` being byte `i + headDelta`.
 */
let headBytes: Uint8Array | undefined;
let headDelta = 0;

// Where `valueAt` found a value (kept here rather than in an object per field).
let valueText = '';
let valueStart = 0;
let valueEnd = 0;
// The bytes of `valueText` (character `i` is byte `i + valueDelta`), when it has them: a value
// parser scans bytes several times as fast as a string's characters.
let valueBytes: Uint8Array | undefined;
let valueDelta = 0;

/**
 * Sets `valueText`, `valueStart` and `valueEnd` to where the value of field `i` lies: in the
 * header section's text, or for a folded field in its unfolded value; and `valueBytes`.
 */
function valueAt(index: HeaderIndex, i: number): void {
  const o = i * FIELD_STRIDE;
  const start = index.offsets[o + 1]!;
  if (start >= 0) {
    valueText = index.text;
    valueStart = start;
    valueEnd = index.offsets[o + 2]!;
    valueBytes = headBytes;
    valueDelta = headDelta;
  } else {
    valueText = fieldValue(index, i);
    valueStart = 0;
    valueEnd = valueText.length;
    valueBytes = undefined;
  }
}

/**
 * §8.1.1 and §20: what every request and response must carry, parsed now into `typed` (in the
 * order, and with the errors, of reading `via`, `cseq`, `callId`, `from`, `to`, `maxForwards`
 * and `contacts`). A header met in one field is read in place by the `...At` parsers; one in
 * several fields by its definition, which refuses a single-valued one so repeated.
 */
function readMandatoryHeaders(index: HeaderIndex, typed: unknown[], method: string | undefined): void {
  let via: readonly Via[];
  const viaFields = markedCount(VIA);
  if (viaFields === 0) via = ViaHeader.parse([]);
  else if (viaFields === 1) {
    valueAt(index, markedField(VIA));
    via = parseViaAt(valueText, valueStart, valueEnd, valueBytes, valueDelta);
  } else {
    // Responses carry a Via field per hop (§18.2.2): each read in place, in order.
    const all: Via[] = [];
    const keys = index.keys;
    for (let i = markedField(VIA); i < keys.length; i++) {
      if (keys[i] !== 'via') continue;
      valueAt(index, i);
      const values = parseViaAt(valueText, valueStart, valueEnd, valueBytes, valueDelta);
      for (let k = 0; k < values.length; k++) all.push(values[k]!);
    }
    via = exactLength(all);
  }
  setTyped(typed, ViaHeader, via);
  if (via.length === 0) throw new SipParseError('missing_header', 'Missing Via header field');

  let cseq: CSeq | undefined;
  if (markedCount(CSEQ) !== 1) cseq = CSeqHeader.parse(valuesOf(index, 'cseq'));
  else {
    valueAt(index, markedField(CSEQ));
    cseq = parseCSeqAt(valueText, valueStart, valueEnd, valueBytes, valueDelta);
  }
  if (cseq === undefined) throw new SipParseError('missing_header', 'Missing CSeq header field');
  setTyped(typed, CSeqHeader, cseq);
  if (method !== undefined && cseq.method !== method) throw malformed('CSeq method does not match the request method');

  let callId: string | undefined;
  if (markedCount(CALL_ID) !== 1) callId = CallIdHeader.parse(valuesOf(index, 'call-id'));
  else {
    valueAt(index, markedField(CALL_ID));
    callId = parseCallIdAt(valueText, valueStart, valueEnd, valueBytes, valueDelta);
  }
  if (callId === undefined) throw new SipParseError('missing_header', 'Missing Call-ID header field');
  setTyped(typed, CallIdHeader, callId);

  let from: NameAddr | undefined;
  if (markedCount(FROM) !== 1) from = FromHeader.parse(valuesOf(index, 'from'));
  else {
    valueAt(index, markedField(FROM));
    from = parseNameAddrAt(valueText, valueStart, valueEnd, 'From', BAD_FROM, valueBytes, valueDelta);
  }
  if (from === undefined) throw new SipParseError('missing_header', 'Missing From header field');
  setTyped(typed, FromHeader, from);

  let to: NameAddr | undefined;
  if (markedCount(TO) !== 1) to = ToHeader.parse(valuesOf(index, 'to'));
  else {
    valueAt(index, markedField(TO));
    to = parseNameAddrAt(valueText, valueStart, valueEnd, 'To', BAD_TO, valueBytes, valueDelta);
  }
  if (to === undefined) throw new SipParseError('missing_header', 'Missing To header field');
  setTyped(typed, ToHeader, to);

  let maxForwards: number | undefined;
  if (markedCount(MAX_FORWARDS) !== 1) maxForwards = MaxForwardsHeader.parse(valuesOf(index, 'max-forwards'));
  else {
    valueAt(index, markedField(MAX_FORWARDS));
    maxForwards = parseIntegerAt(valueText, valueStart, valueEnd, 'Max-Forwards', 0, 255);
  }
  setTyped(typed, MaxForwardsHeader, maxForwards);

  // A single field cannot hold "*" beside other values (`parseContact` refuses it), so only
  // several fields need the check `ContactHeader` makes.
  let contacts: readonly ContactValue[];
  if (markedCount(CONTACT) !== 1) contacts = ContactHeader.parse(valuesOf(index, 'contact'));
  else {
    valueAt(index, markedField(CONTACT));
    contacts = parseContactAt(valueText, valueStart, valueEnd, valueBytes, valueDelta);
  }
  setTyped(typed, ContactHeader, contacts);
}

const BAD_FROM = 'Bad From header field';
const BAD_TO = 'Bad To header field';

/** The numbers of `MARKED_KEYS`. */
const VIA = markOf('via');
const FROM = markOf('from');
const TO = markOf('to');
const CALL_ID = markOf('call-id');
const CSEQ = markOf('cseq');
const MAX_FORWARDS = markOf('max-forwards');
const CONTACT = markOf('contact');
const CONTENT_LENGTH = markOf('content-length');
