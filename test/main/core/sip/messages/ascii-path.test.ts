/**
 * The parser reads an all-ASCII message in the datagram's bytes (header names, the Request-URI,
 * Via, From, To, Contact, Call-ID and CSeq values), anything else in the decoded text. Both ways
 * must read the same: here each message is parsed as it is (bytes) and with a non-ASCII character
 * after it (which sends the whole message down the text path), and everything read from the
 * header section is compared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SipParseError, parseMessage, type SipMessage } from '../../../../../main/core/sip/index.js';
import { corpus } from '../../../../fixtures/sip/corpus.js';

const fixtures = join(import.meta.dirname, '../../../../fixtures/sip');

/** What a reader of the header section gets: every value, or the error it throws. */
function readHeaders(m: SipMessage): unknown[] {
  const reads: (() => unknown)[] = [
    () => (m.kind === 'request' ? [m.method, m.uri.toString()] : [m.status, m.reason]),
    () => m.via.map((v) => [v.transport, v.host, v.port, v.branch, v.received, v.rport, [...v.params], v.toString()]),
    () => [m.from.displayName, m.from.uri.toString(), m.from.tag, [...m.from.params], m.from.toString()],
    () => [m.to.displayName, m.to.uri.toString(), m.to.tag, [...m.to.params], m.to.toString()],
    () => m.contacts.map((c) => (c.wildcard ? '*' : [c.displayName, c.uri.toString(), c.q, c.expires, [...c.params]])),
    () => [m.callId, m.cseq.seq, m.cseq.method, m.maxForwards, m.contentLength],
    () => m.headers.map((h) => [h.name, h.value]),
  ];
  return reads.map((read) => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      return `${error.code}: ${error.reason}`;
    }
  });
}

/** `parseMessage(bytes)`, or the error it throws. */
function parsed(bytes: Uint8Array): SipMessage | string {
  try {
    return parseMessage(bytes);
  } catch (error) {
    if (!(error instanceof SipParseError)) throw error;
    return `${error.code}: ${error.reason} (${error.detail ?? ''})`;
  }
}

/**
 * The message with "é" after it: on a datagram, bytes after the body Content-Length gives are
 * ignored (and without Content-Length the body only grows), but a message holding a non-ASCII
 * byte anywhere is read as text.
 */
function withNonAsciiAfter(bytes: Uint8Array): Uint8Array {
  return Buffer.concat([bytes, Buffer.from('é')]);
}

const messages: [string, Uint8Array][] = [
  ...Object.entries(corpus).map(([name, text]): [string, Uint8Array] => [name, Buffer.from(text)]),
  ...['rfc4475', 'rfc5118'].flatMap((dir) =>
    readdirSync(join(fixtures, dir))
      .filter((f) => f.endsWith('.dat'))
      .map((f): [string, Uint8Array] => [`${dir}/${f}`, readFileSync(join(fixtures, dir, f))]),
  ),
];

describe('the all-ASCII path reads what the text path reads', () => {
  // All-ASCII messages with an empty line after their header section (one without is read to
  // its end, which the added character would change).
  const ascii = messages.filter(([, bytes]) => Buffer.from(bytes).every((b) => b < 0x80) && /\n\r?\n/.test(Buffer.from(bytes).toString()));

  it.each(ascii)('%s', (_name, bytes) => {
    const viaBytes = parsed(bytes);
    const viaText = parsed(withNonAsciiAfter(bytes));
    // A message refused one way is refused the other way (Content-Length problems aside, which
    // the added bytes may change).
    if (typeof viaBytes === 'string' || typeof viaText === 'string') {
      if (!/Content-Length/.test(`${String(viaBytes)} ${String(viaText)}`)) expect(viaText).toEqual(viaBytes);
      return;
    }
    expect(readHeaders(viaText)).toEqual(readHeaders(viaBytes));
  });

  it('after CRLFs before the start-line, and with parameters a reader looks for first', () => {
    const head = [
      'INVITE sip:bob@biloxi.example.com;transport=tcp SIP/2.0',
      'v: SIP/2.0/UDP 192.0.2.1:5060 ; rport ; BRANCH = "z9hG4bK\\"q" ;branch=second',
      'Via: SIP/2.0/TCP proxy.example.com;received=192.0.2.9;branch=z9hG4bKp',
      'f: "A \\"B\\"" <sip:a%40x:pw@a.example.com;lr>;Tag=one;tag=two',
      'To: <sip:bob@biloxi.example.com>;tag',
      'm: <sip:bob@198.51.100.7:5060>;+sip.instance="<urn:uuid:1>";expires=60',
      'i: abc@def',
      'CSeq: 7 INVITE',
      'Content-Length: 0',
    ].join('\r\n');
    const bytes = Buffer.from(`\r\n\r\n${head}\r\n\r\n`);
    const m = parseMessage(bytes);
    expect(m.via.map((v) => v.branch)).toEqual(['z9hG4bK"q', 'z9hG4bKp']);
    expect(m.via[0]?.params.get('branch')).toBe('z9hG4bK"q');
    expect(m.from.tag).toBe('one');
    expect(m.from.displayName).toBe('A "B"');
    expect(m.from.uri.toString()).toBe('sip:a%40x:pw@a.example.com;lr');
    expect(m.to.tag).toBeUndefined();
    expect(m.to.params.get('tag')).toBeNull();
    expect(m.kind === 'request' && m.uri.toString()).toBe('sip:bob@biloxi.example.com;transport=tcp');
    expect([m.callId, m.cseq.seq]).toEqual(['abc@def', 7]);
    expect(readHeaders(parseMessage(withNonAsciiAfter(bytes)))).toEqual(readHeaders(m));
  });
});
