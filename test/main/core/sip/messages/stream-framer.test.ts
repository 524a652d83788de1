import { describe, expect, it } from 'vitest';
import { SipStreamFramer, parseMessage, type KeepAlive, type SipParseError } from '../../../../../main/core/sip/index.js';
import { ack, bye, invite, ok } from '../../../../fixtures/sip/corpus.js';
import { fixture } from '../fixtures.js';

class Recorder {
  readonly messages: string[] = [];
  readonly keepAlives: KeepAlive[] = [];
  readonly errors: SipParseError[] = [];
  readonly framer: SipStreamFramer;

  constructor(limits?: ConstructorParameters<typeof SipStreamFramer>[1]) {
    this.framer = new SipStreamFramer(
      {
        onMessage: (m) => this.messages.push(Buffer.from(m).toString('latin1')),
        onKeepAlive: (k) => this.keepAlives.push(k),
        onError: (e) => this.errors.push(e),
      },
      limits,
    );
  }

  push(...chunks: (string | Uint8Array)[]): this {
    for (const c of chunks) this.framer.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
    return this;
  }
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('SipStreamFramer (RFC 3261 §18.3)', () => {
  it('cuts back-to-back messages out of one chunk', () => {
    const r = new Recorder().push(invite + ok + ack);
    expect(r.messages).toEqual([invite, ok, ack]);
    expect(r.framer.bufferedBytes).toBe(0);
  });

  it('reassembles messages delivered a byte at a time', () => {
    const r = new Recorder();
    const all = Buffer.from(invite + bye);
    for (let i = 0; i < all.length; i++) r.push(all.subarray(i, i + 1));
    expect(r.messages).toEqual([invite, bye]);
    expect(r.errors).toEqual([]);
  });

  it('reassembles messages over chunks of every size, binary bodies included', () => {
    const mpart = latin1(fixture('rfc4475/mpart01.dat'));
    const all = Buffer.from(invite + mpart + ok, 'latin1');
    for (const size of [2, 3, 7, 64, 500, 1000]) {
      const r = new Recorder();
      for (let i = 0; i < all.length; i += size) r.push(all.subarray(i, i + size));
      expect(r.messages, `chunks of ${size}`).toEqual([invite, mpart, ok]);
    }
  });

  it('gives messages the parser reads as stream messages', () => {
    const r = new Recorder().push(invite);
    const m = parseMessage(Buffer.from(r.messages[0]!, 'latin1'), { framing: 'stream' });
    expect(m.kind === 'request' && m.method).toBe('INVITE');
    expect(m.body.length).toBe(m.contentLength);
  });

  it('reports keep-alives between messages (RFC 5626 §3.5.1)', () => {
    const r = new Recorder().push('\r\n\r\n', '\r\n', invite, '\r\n\r\n\r\n', ok);
    expect(r.keepAlives).toEqual(['ping', 'pong', 'ping', 'pong']);
    expect(r.messages).toEqual([invite, ok]);
  });

  it('waits for the LF of a CR at the end of a chunk', () => {
    const r = new Recorder().push('\r');
    expect(r.keepAlives).toEqual([]);
    r.push('\n');
    expect(r.keepAlives).toEqual(['pong']);
  });

  it('waits while a message is incomplete (RFC 4475 §3.1.2.2), so the transport can time it out', () => {
    const clerr = fixture('rfc4475/clerr.dat');
    const r = new Recorder().push(clerr);
    expect(r.messages).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.framer.bufferedBytes).toBe(clerr.length);
    const incomplete = new Recorder().push(fixture('rfc4475/baddn.dat'));
    expect(incomplete.messages).toEqual([]);
    expect(incomplete.errors).toEqual([]);
  });

  it.each([
    ['ncl', 'RFC 4475 §3.1.2.3 negative Content-Length', 'Bad Content-Length header field'],
    ['mcl01', 'RFC 4475 §3.3.9 two Content-Length fields', 'Duplicate Content-Length header field'],
    ['inv2543', 'RFC 4475 §3.4.1 no Content-Length', 'Missing Content-Length header field'],
  ])('fails on %s (%s): the stream cannot be framed', (name, _what, reason) => {
    const r = new Recorder().push(fixture(`rfc4475/${name}.dat`));
    expect(r.errors.map((e) => e.reason)).toEqual([reason]);
    expect(r.framer.failed).toBe(true);
  });

  it.each([
    ['HTTP', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'Bad Start-Line'],
    ['a TLS ClientHello', '\x16\x03\x01\x02\x00\x01\x00\x01', 'Bad Start-Line'],
    ['a CR without LF', '\r\rINVITE', 'Bad Start-Line'],
    ['a first line too long', 'A'.repeat(9000), 'Start-Line Too Long'],
  ])('fails on %s', (_what, input, reason) => {
    const r = new Recorder().push(input);
    expect(r.errors.map((e) => e.reason)).toEqual([reason]);
  });

  it('fails rather than buffer a header section without end', () => {
    const r = new Recorder({ maxMessageSize: 4096 });
    r.push('OPTIONS sip:a@b SIP/2.0\r\n');
    for (let i = 0; i < 100 && r.errors.length === 0; i++) r.push(`X-Filler-${i}: ${'x'.repeat(60)}\r\n`);
    expect(r.errors.map((e) => e.code)).toEqual(['too_large']);
    expect(r.framer.bufferedBytes).toBe(0);
  });

  it('fails on a Content-Length over the message limit, before the body arrives', () => {
    const r = new Recorder({ maxMessageSize: 1000 }).push(invite.replace(/Content-Length: \d+/, 'Content-Length: 5000000'));
    expect(r.errors.map((e) => e.code)).toEqual(['too_large']);
  });

  it('fails on more header fields than allowed', () => {
    const r = new Recorder({ maxHeaders: 5 }).push(invite);
    expect(r.errors.map((e) => e.code)).toEqual(['too_many_headers']);
  });

  it('ignores everything after a failure', () => {
    const r = new Recorder().push('garbage\r\n\r\n', invite);
    expect(r.errors).toHaveLength(1);
    expect(r.messages).toEqual([]);
    r.push(invite);
    expect(r.messages).toEqual([]);
    expect(r.errors).toHaveLength(1);
  });

  it('frames a stream of 10,000 messages without growing its buffer', () => {
    let count = 0;
    const framer = new SipStreamFramer({ onMessage: () => count++, onError: (e) => expect.fail(e.message) });
    const chunk = Buffer.from(ack + bye);
    for (let i = 0; i < 5000; i++) framer.push(chunk);
    expect(count).toBe(10000);
    expect(framer.bufferedBytes).toBe(0);
  });
});
