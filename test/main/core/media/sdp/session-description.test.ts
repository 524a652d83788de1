import { describe, expect, it } from 'vitest';
import {
  createAnswer,
  createOffer,
  parseSessionDescription,
  processAnswer,
  SdpNegotiationError,
  SdpParseError,
} from '../../../../../main/core/media/sdp/index.js';
import type { FixtureName } from './sdp-fixtures.js';
import { HEADER, local, sdp, sdpFixture } from './sdp-fixtures.js';

function parseError(text: string): SdpParseError {
  try {
    parseSessionDescription(text);
  } catch (error) {
    if (error instanceof SdpParseError) return error;
    throw error;
  }
  throw new Error('expected an SdpParseError');
}

const FIXTURES: FixtureName[] = [
  'asterisk-hold-offer',
  'asterisk-offer',
  'baresip-offer',
  'ipv6-offer',
  'kamailio-relayed-offer',
  'legacy-hold-offer',
  'linphone-offer',
  'srtp-offer',
];

describe('parseSessionDescription (RFC 4566)', () => {
  it('reads the fixtures', () => {
    const linphone = parseSessionDescription(sdpFixture('linphone-offer'));
    expect(linphone.origin).toEqual({ username: 'alice', sessionId: '2120', sessionVersion: '3464' });
    expect(linphone.media.map((m) => [m.type, m.port, m.protocol])).toEqual([
      ['audio', 7078, 'RTP/AVP'],
      ['video', 9078, 'RTP/AVP'],
    ]);
    expect(linphone.media[0]?.rtpFormats.map((f) => `${f.payloadType} ${f.name}/${f.clockRate}/${f.channels}`)).toEqual([
      '96 opus/48000/2',
      '97 SILK/16000/1',
      '98 speex/16000/1',
      '0 PCMU/8000/1',
      '8 PCMA/8000/1',
      '18 G729/8000/1',
      '101 telephone-event/48000/1',
      '99 telephone-event/16000/1',
      '100 telephone-event/8000/1',
    ]);
    expect(linphone.media[0]?.rtcp).toEqual({ port: 7079 });
    for (const name of FIXTURES) expect(() => parseSessionDescription(sdpFixture(name))).not.toThrow();
  });

  it('accepts bare LF line ends from sloppy peers', () => {
    expect(parseSessionDescription(sdpFixture('asterisk-offer').replace(/\r\n/g, '\n')).media).toHaveLength(1);
  });

  it('refuses more than 16 KiB before parsing', () => {
    const big = sdp(...HEADER, 'm=audio 5004 RTP/AVP 0', ...Array.from({ length: 800 }, (_, i) => `a=x-pad:${i}${'x'.repeat(20)}`));
    expect(parseError(big).code).toBe('too_large');
  });

  it('refuses more than 16 m= lines', () => {
    const many = sdp(...HEADER, ...Array.from({ length: 17 }, (_, i) => `m=audio ${5000 + 2 * i} RTP/AVP 0`));
    expect(parseError(many).code).toBe('too_many_media');
  });

  it.each([
    ['no v=0', sdp(...HEADER.slice(1), 'm=audio 5004 RTP/AVP 0')],
    ['no o=', sdp('v=0', 's=-', 'c=IN IP4 198.51.100.7', 't=0 0', 'm=audio 5004 RTP/AVP 0')],
    ['a garbage line', sdp(...HEADER, 'hello world', 'm=audio 5004 RTP/AVP 0')],
    ['a NUL in a line', sdp(...HEADER, 'm=audio 5004 RTP/AVP 0', 'a=tool:\0')],
    ['a non-numeric port', sdp(...HEADER, 'm=audio 50x4 RTP/AVP 0')],
    ['a port over 65535', sdp(...HEADER, 'm=audio 70000 RTP/AVP 0')],
    ['a port count', sdp(...HEADER, 'm=audio 5004/2 RTP/AVP 0')],
    ['a non-numeric payload type', sdp(...HEADER, 'm=audio 5004 RTP/AVP 0 PCMA')],
    ['a payload type over 127', sdp(...HEADER, 'm=audio 5004 RTP/AVP 0 200')],
    ['no formats', sdp(...HEADER, 'm=audio 5004 RTP/AVP')],
    ['no c= anywhere', sdp('v=0', 'o=- 1 1 IN IP4 198.51.100.7', 's=-', 't=0 0', 'm=audio 5004 RTP/AVP 0')],
    ['c= with IP7', sdp(...HEADER.slice(0, 3), 'c=IN IP7 x', 't=0 0', 'm=audio 5004 RTP/AVP 0')],
    ['a non-numeric a=rtcp port', sdp(...HEADER, 'm=audio 5004 RTP/AVP 0', 'a=rtcp:abc')],
  ])('refuses %s as malformed', (_name, text) => {
    expect(parseError(text).code).toBe('malformed');
  });

  it('ignores what it cannot use: bad rtpmap, odd ptime, unknown attributes', () => {
    const media = parseSessionDescription(
      sdp(...HEADER, 'm=audio 5004 RTP/AVP 0 97', 'a=rtpmap:97 opus/abc', 'a=rtpmap:x PCMU/8000', 'a=ptime:0.125', 'a=foo:bar', 'x=unknown'),
    ).media[0];
    expect(media?.rtpFormats.map((f) => f.name)).toEqual(['PCMU']);
    expect(media?.ptime).toBeUndefined();
  });
});

describe('malformed SDP never throws anything but our typed errors', () => {
  function expectOnlyTypedErrors(text: string): void {
    for (const run of [() => createAnswer(text, local()), () => processAnswer(createOffer(local()), text)]) {
      try {
        run();
      } catch (error) {
        if (!(error instanceof SdpParseError || error instanceof SdpNegotiationError)) throw error;
      }
    }
  }

  /** A small deterministic generator, so that a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  const GARBAGE = ['m=', 'm=audio', 'm=audio -1 RTP/AVP 0', 'a=rtpmap:', 'a=rtpmap:96', 'a=fmtp:', 'c=IN', 'c=IN IP4', 'o=', 'a=rtcp:', 'a=crypto:', 'a=ptime:x', '=', 'm=audio 1 RTP/AVP 0 0 0', 'a=sendrecv:1', '\u00e9=\u00e9', 'a=rtpmap:0 PCMU/0/0', 'm=audio 65536 RTP/AVP 0', 'c=IN IP6 ::ffff:1.2.3.4', 'a=rtcp:0 IN IP4 1.2.3.4'];

  it.each(FIXTURES)('%s: every truncation', (name) => {
    const text = sdpFixture(name);
    for (let end = 0; end <= text.length; end += 1) expectOnlyTypedErrors(text.slice(0, end));
  });

  it.each(FIXTURES)('%s: garbage lines and deleted lines', (name) => {
    const next = random(name.length * 7919);
    const lines = sdpFixture(name).split('\r\n');
    for (let round = 0; round < 300; round += 1) {
      const copy = [...lines];
      const at = Math.floor(next() * copy.length);
      if (next() < 0.5) copy.splice(at, 1);
      else copy.splice(at, 0, GARBAGE[Math.floor(next() * GARBAGE.length)] ?? '');
      if (next() < 0.3) {
        const line = Math.floor(next() * copy.length);
        const text = copy[line] ?? '';
        const cut = Math.floor(next() * text.length);
        copy[line] = text.slice(0, cut) + String.fromCharCode(Math.floor(next() * 128)) + text.slice(cut + 1);
      }
      expectOnlyTypedErrors(copy.join('\r\n'));
    }
  });
});
