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
import { mutate, random } from '../../../../helpers/mutation.js';

const seeds: Buffer[] = [
  ...fixtureNames('rfc4475').map((n) => fixture(`rfc4475/${n}`)),
  ...fixtureNames('rfc5118/wire').map((n) => fixture(`rfc5118/wire/${n}`)),
  ...Object.values(corpus).map((m) => Buffer.from(m)),
];

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
