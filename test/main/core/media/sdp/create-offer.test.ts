import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { createOffer, parseSessionDescription } from '../../../../../main/core/media/sdp/index.js';
import { G722, local, PCMU, TELEPHONE_EVENT } from './sdp-fixtures.js';

describe('createOffer (RFC 3264 §5)', () => {
  it('writes every codec in preference order, with rtpmap, fmtp, ptime and direction, in CRLF', () => {
    const offer = createOffer(local());
    expect(offer).toBe(
      [
        'v=0',
        'o=- 4242 1 IN IP4 192.0.2.10',
        's=-',
        'c=IN IP4 192.0.2.10',
        't=0 0',
        'm=audio 40000 RTP/AVP 96 9 8 0 101',
        'a=rtpmap:96 opus/48000/2',
        'a=fmtp:96 useinbandfec=1',
        'a=rtpmap:9 G722/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
  });

  it('round-trips through sdp-transform', () => {
    const parsed = parse(createOffer(local({ rtcpMux: true, rtcpPort: 40005, direction: 'sendonly' })));
    expect(parsed.origin).toMatchObject({ username: '-', sessionId: 4242, sessionVersion: 1, ipVer: 4, address: '192.0.2.10' });
    expect(parsed.connection).toEqual({ version: 4, ip: '192.0.2.10' });
    const [audio] = parsed.media;
    expect(audio).toMatchObject({ type: 'audio', port: 40000, protocol: 'RTP/AVP', payloads: '96 9 8 0 101', ptime: 20, direction: 'sendonly' });
    expect(audio?.rtp).toContainEqual({ payload: 96, codec: 'opus', rate: 48000, encoding: 2 });
    expect(audio?.fmtp).toContainEqual({ payload: 101, config: '0-16' });
    expect(audio?.rtcp).toEqual({ port: 40005 });
    expect(audio?.rtcpMux).toBe('rtcp-mux');
    expect(parseSessionDescription(createOffer(local())).media[0]?.rtpFormats.map((f) => f.name)).toEqual([
      'opus',
      'G722',
      'PCMA',
      'PCMU',
      'telephone-event',
    ]);
  });

  it('writes a=rtcp only when RTCP is not on port + 1 (RFC 3605 §2.1)', () => {
    expect(createOffer(local({ rtcpPort: 40001 }))).not.toContain('a=rtcp:');
    expect(createOffer(local({ rtcpPort: 40010 }))).toContain('a=rtcp:40010\r\n');
  });

  it('keeps a telephone-event fmtp from the codec table', () => {
    const offer = createOffer(local({ codecs: [PCMU, { ...TELEPHONE_EVENT, fmtp: '0-15' }] }));
    expect(offer).toContain('a=fmtp:101 0-15\r\n');
  });

  it('writes IPv6 addresses as IN IP6', () => {
    const offer = createOffer(local({ codecs: [G722] }, '2001:db8::10'));
    expect(offer).toContain('o=- 4242 1 IN IP6 2001:db8::10\r\n');
    expect(offer).toContain('c=IN IP6 2001:db8::10\r\n');
  });

  it('writes SDES lines for RTP/SAVP, and refuses RTP/SAVP without them', () => {
    const line = '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32';
    const offer = createOffer(local({ profile: 'RTP/SAVP', crypto: [line] }));
    expect(offer).toContain('m=audio 40000 RTP/SAVP 96 9 8 0 101\r\n');
    expect(offer).toContain(`a=crypto:${line}\r\n`);
    expect(() => createOffer(local({ profile: 'RTP/SAVP' }))).toThrow(RangeError);
  });

  it('refuses a local description that would break the SDP', () => {
    expect(() => createOffer(local({ crypto: ['1 x\r\na=evil'] }))).toThrow(RangeError);
    expect(() => createOffer(local({ codecs: [PCMU, { ...PCMU, name: 'PCMA' }] }))).toThrow(/used twice/);
    expect(() => createOffer(local({ codecs: [] }))).toThrow(RangeError);
    expect(() => createOffer(local({ port: 70000 }))).toThrow(RangeError);
    expect(() => createOffer(local({}, 'example.com'))).toThrow(RangeError);
    expect(() => createOffer({ ...local(), username: 'alice smith' })).toThrow(RangeError);
  });
});
