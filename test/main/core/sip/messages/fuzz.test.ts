/**
 * Mutation fuzzing with a fixed seed: the RFC 4475/5118 messages and the corpus, damaged in
 * every way a hostile peer might, must only ever make the parser, the typed headers and the
 * framer throw or report a `SipParseError`. Whatever still parses must write itself out in a
 * form that parses again to the same Call-ID and CSeq.
 */
import { describe, expect, it } from 'vitest';
import {
  SipParseError,
  SipStreamFramer,
  parseMessage,
  parseUri,
  serializeMessage,
  uriEquals,
  type SipMessage,
} from '../../../../../main/core/sip/index.js';
import { corpus } from '../../../../fixtures/sip/corpus.js';
import { fixture, fixtureNames } from '../fixtures.js';
import { readEverything } from './read-everything.js';

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seeds: Buffer[] = [
  ...fixtureNames('rfc4475').map((n) => fixture(`rfc4475/${n}`)),
  ...fixtureNames('rfc5118/wire').map((n) => fixture(`rfc5118/wire/${n}`)),
  ...Object.values(corpus).map((m) => Buffer.from(m)),
];

const interesting = [0, 9, 10, 13, 32, 34, 37, 44, 47, 58, 59, 60, 61, 62, 63, 64, 91, 92, 93, 0x7f, 0x80, 0xc3, 0xff].concat([...'0123456789'].map((c) => c.charCodeAt(0)));
const lines = ['\r\n', '\r\n ', 'Via: SIP/2.0/UDP [::1]:5060;rport;branch=z9hG4bK\r\n', 'Content-Length: 0\r\n', 'l: 999\r\n', 'Contact: *\r\n', 'm: "a\\"" <sip:a@[::1];lr>;q=1\r\n', 'CSeq: 4294967295 ACK\r\n', 'Expires: 4294967296\r\n', 'Max-Forwards: 255\r\n', 'Authorization: Digest a="\r\n', 'Event: a..b\r\n'];

function mutate(input: Buffer, next: () => number): Buffer {
  let bytes = Buffer.from(input);
  const steps = 1 + Math.floor(next() * 4);
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(next() * (bytes.length + 1));
    const kind = Math.floor(next() * 6);
    if (kind === 0 && bytes.length > 0) {
      bytes[Math.min(at, bytes.length - 1)] = interesting[Math.floor(next() * interesting.length)]!;
    } else if (kind === 1) {
      const len = Math.floor(next() * 40);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)]);
    } else if (kind === 2) {
      const len = Math.floor(next() * 80);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + len), bytes.subarray(at)]);
    } else if (kind === 3) {
      bytes = bytes.subarray(0, at);
    } else if (kind === 4) {
      const lineStart = bytes.indexOf('\n', at) + 1;
      bytes = Buffer.concat([bytes.subarray(0, lineStart), Buffer.from(lines[Math.floor(next() * lines.length)]!), bytes.subarray(lineStart)]);
    } else {
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([interesting[Math.floor(next() * interesting.length)]!]), bytes.subarray(at)]);
    }
  }
  return bytes;
}

function tryParse(bytes: Uint8Array, framing: 'datagram' | 'stream'): SipMessage | undefined {
  try {
    return parseMessage(bytes, { framing });
  } catch (error) {
    if (!(error instanceof SipParseError)) throw error;
    return undefined;
  }
}

describe('fuzzing the parser', () => {
  it('throws nothing but SipParseError for 4,000 damaged messages, and round-trips what it accepts', () => {
    const next = random(4475);
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      const bytes = mutate(seeds[i % seeds.length]!, next);
      for (const framing of ['datagram', 'stream'] as const) {
        const m = tryParse(bytes, framing);
        if (m === undefined) continue;
        accepted++;
        readEverything(m);
        // Unchanged, it is written as the bytes it was read from (after any leading CRLFs).
        const written = serializeMessage(m);
        let skip = 0;
        while (bytes[skip] === 13 || bytes[skip] === 10) skip++;
        expect(Buffer.from(written).equals(bytes.subarray(skip, skip + written.length))).toBe(true);
        m.set('X-Fuzz', String(i));
        const again = parseMessage(serializeMessage(m), { framing: 'stream' });
        expect(again.callId).toBe(m.callId);
        expect(again.cseq.toString()).toBe(m.cseq.toString());
        expect(Buffer.from(again.body).equals(m.body)).toBe(true);
      }
    }
    expect(accepted).toBeGreaterThan(500);
  });

  it('reports nothing but SipParseError from the framer, whatever the chunking', () => {
    const next = random(5118);
    for (let i = 0; i < 400; i++) {
      const stream = Buffer.concat([mutate(seeds[i % seeds.length]!, next), mutate(seeds[(i * 7) % seeds.length]!, next)]);
      const framer = new SipStreamFramer({
        onMessage: (m) => void tryParse(m, 'stream'),
        onError: (e) => expect(e).toBeInstanceOf(SipParseError),
      });
      for (let at = 0; at < stream.length; ) {
        const size = 1 + Math.floor(next() * 300);
        framer.push(stream.subarray(at, at + size));
        at += size;
      }
    }
  });

  it('parses random URIs into SipParseError or a URI equal to itself', () => {
    const next = random(3261);
    const alphabet = 'sip:tel+SIPS@[]:;=?&%0123456789abcdefABCDEF.-_!~*\'()/,"<> \\';
    let parsed = 0;
    for (let i = 0; i < 20000; i++) {
      const length = 4 + Math.floor(next() * 30);
      let text = ['sip:', 'sips:', 'tel:', 'x:', ''][Math.floor(next() * 5)]!;
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(next() * alphabet.length)]!;
      try {
        const uri = parseUri(text);
        parsed++;
        expect(uri.toString()).toBe(text);
        expect(uriEquals(uri, parseUri(uri.toString()))).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(SipParseError);
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });
});
