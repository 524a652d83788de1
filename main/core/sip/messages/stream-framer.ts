/**
 * Cutting a byte stream (TCP, TLS) into messages (RFC 3261 §18.3): each message is a header
 * section, whose Content-Length is mandatory on a stream, then that many body bytes.
 *
 * Between messages, CRLFs are keep-alives (RFC 5626 §3.5.1): "\r\n\r\n" is a ping (the client
 * asks), a single "\r\n" a pong (the server answers). Each is reported as soon as it is seen, so
 * a ping split between two reads is reported as two pongs — rare, as a ping is one write.
 *
 * Anything that makes the stream unframeable is fatal, so the transport can close the connection
 * rather than buffer forever: a first line that is not a SIP start-line, a header section over
 * the limits, a missing, repeated, negative or oversized Content-Length (RFC 4475 §3.1.2.3,
 * §3.3.9). After that the framer ignores further input. A message that stops short (RFC 4475
 * §3.1.2.2, Content-Length larger than what came) simply waits; `bufferedBytes` lets the
 * transport time it out.
 */
import { CR, LF, TOKEN, isIn } from '../grammar/char-classes.js';
import { SipParseError } from '../grammar/sip-parse-error.js';
import { decodeText, findHeaderSectionEnd, splitHeaderSection } from './header-section.js';
import { ContentLengthHeader } from './headers/definitions.js';
import { resolveLimits, type SipParseLimits } from './parse-options.js';

export type KeepAlive = 'ping' | 'pong';

export interface SipStreamFramerDelegate {
  /** One whole message (its own copy of the bytes), to give to `parseMessage`. */
  onMessage(message: Uint8Array): void;
  /** A keep-alive between messages. */
  onKeepAlive?(kind: KeepAlive): void;
  /** The stream cannot be framed any more: close the connection. Called once. */
  onError(error: SipParseError): void;
}

const REQUEST_LINE = /^[!%'*+\-.0-9A-Za-z_`~]+ +[^ ]+ +SIP\/\d+\.\d+ *$/i;
const STATUS_LINE = /^SIP\/\d+\.\d+ +\d{3}(?: |$)/i;

type Phase = 'between' | 'headers' | 'body' | 'failed';

export class SipStreamFramer {
  private readonly limits: SipParseLimits;
  private buffer = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  private phase: Phase = 'between';
  /** Where to resume looking for the end of the header section. */
  private scanFrom = 0;
  private firstLineChecked = false;
  private bodyEnd = 0;

  constructor(
    private readonly delegate: SipStreamFramerDelegate,
    limits?: Partial<SipParseLimits>,
  ) {
    this.limits = resolveLimits(limits);
  }

  /** Bytes received but not yet part of a whole message. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  get failed(): boolean {
    return this.phase === 'failed';
  }

  push(chunk: Uint8Array): void {
    if (this.phase === 'failed' || chunk.length === 0) return;
    this.append(chunk);
    try {
      this.drain();
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      this.fail(error);
    }
  }

  private drain(): void {
    for (;;) {
      if (this.phase === 'between' && !this.skipKeepAlives()) return;
      if (this.phase === 'headers' && !this.readHeaderSection()) return;
      if (this.phase === 'body') {
        if (this.end < this.bodyEnd) return;
        const message = this.buffer.slice(this.start, this.bodyEnd);
        this.start = this.bodyEnd;
        this.phase = 'between';
        this.delegate.onMessage(message);
      }
    }
  }

  /** Consumes CRLFs before a message; true once a message has started. */
  private skipKeepAlives(): boolean {
    const b = this.buffer;
    let lineEnds = 0;
    while (this.start < this.end) {
      const c = b[this.start];
      if (c === LF) {
        lineEnds++;
        this.start++;
      } else if (c === CR) {
        if (this.start + 1 >= this.end) break;
        if (b[this.start + 1] !== LF) throw new SipParseError('malformed', 'Bad Start-Line', 'CR without LF');
        lineEnds++;
        this.start += 2;
      } else {
        break;
      }
    }
    for (; lineEnds >= 2; lineEnds -= 2) this.delegate.onKeepAlive?.('ping');
    if (lineEnds === 1) this.delegate.onKeepAlive?.('pong');
    if (this.start >= this.end || b[this.start] === CR) {
      if (this.start >= this.end) this.start = this.end = 0;
      return false;
    }
    if (!isIn(b[this.start]!, TOKEN)) throw new SipParseError('malformed', 'Bad Start-Line', 'not a SIP message');
    this.phase = 'headers';
    this.scanFrom = this.start;
    this.firstLineChecked = false;
    return true;
  }

  /** Looks for the end of the header section; true once the body length is known. */
  private readHeaderSection(): boolean {
    const { maxMessageSize, maxHeaderLength } = this.limits;
    if (!this.firstLineChecked) {
      const lf = this.buffer.subarray(this.start, this.end).indexOf(LF);
      if (lf > maxHeaderLength || (lf < 0 && this.end - this.start > maxHeaderLength)) {
        throw new SipParseError('header_too_long', 'Start-Line Too Long', `over ${maxHeaderLength} bytes`);
      }
      if (lf < 0) return false;
      const line = decodeText(this.buffer, this.start, this.start + lf).replace(/\r$/, '');
      if (!REQUEST_LINE.test(line) && !STATUS_LINE.test(line)) {
        throw new SipParseError('malformed', 'Bad Start-Line', 'not a SIP start-line');
      }
      this.firstLineChecked = true;
    }
    const bounds = findHeaderSectionEnd(this.buffer, Math.max(this.start, this.scanFrom), this.end);
    if (bounds === undefined) {
      if (this.end - this.start > maxMessageSize) {
        throw new SipParseError('too_large', 'Message Too Large', 'header section over the limit');
      }
      this.scanFrom = Math.max(this.start, this.end - 2);
      return false;
    }
    const { fields } = splitHeaderSection(decodeText(this.buffer, this.start, bounds.end), this.limits);
    const length = ContentLengthHeader.parse(fields.filter((f) => f.key === 'content-length').map((f) => f.value));
    if (length === undefined) {
      throw new SipParseError('missing_header', 'Missing Content-Length header field', 'required on a stream');
    }
    if (bounds.bodyStart - this.start + length > maxMessageSize) {
      throw new SipParseError('too_large', 'Message Too Large', `Content-Length ${length}`);
    }
    this.bodyEnd = bounds.bodyStart + length;
    this.phase = 'body';
    return true;
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buffer.length) {
      const live = this.end - this.start;
      if (live + chunk.length <= this.buffer.length) {
        this.buffer.copyWithin(0, this.start, this.end);
      } else {
        const grown = new Uint8Array(Math.max(live + chunk.length, this.buffer.length * 2));
        grown.set(this.buffer.subarray(this.start, this.end));
        this.buffer = grown;
      }
      this.scanFrom -= this.start;
      this.bodyEnd -= this.start;
      this.start = 0;
      this.end = live;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  private fail(error: SipParseError): void {
    this.phase = 'failed';
    this.buffer = new Uint8Array(0);
    this.start = this.end = 0;
    this.delegate.onError(error);
  }
}
