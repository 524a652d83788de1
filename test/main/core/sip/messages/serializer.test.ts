import { describe, expect, it } from 'vitest';
import { SipRequest, parseMessage, serializeHeaderSection, serializeMessage, serializeMessageToString } from '../../../../../main/core/sip/index.js';

describe('serializeMessage (RFC 3261 §7)', () => {
  it('adds Content-Length when there is none, and corrects a wrong one, dropping repeats', () => {
    const m = new SipRequest({ method: 'MESSAGE', uri: 'sip:a@b', headers: [['Content-Length', '99'], ['l', '7']], body: 'hi' });
    expect(serializeHeaderSection(m)).toBe('MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 2\r\n\r\n');
    const plain = new SipRequest({ method: 'OPTIONS', uri: 'sip:a@b' });
    expect(serializeHeaderSection(plain)).toBe('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n');
  });

  it('writes a binary body byte for byte', () => {
    const body = new Uint8Array([0, 1, 2, 0xff, 0x0d, 0x0a]);
    const bytes = serializeMessage(new SipRequest({ method: 'MESSAGE', uri: 'sip:a@b', body }));
    expect(Array.from(bytes.subarray(bytes.length - 6))).toEqual([0, 1, 2, 0xff, 0x0d, 0x0a]);
  });

  it('writes CRLF for the line ends of fields received with bare LF', () => {
    const m = parseMessage('OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\n ;branch=z9hG4bK1\nTo: <sip:a@b>\nFrom: <sip:c@d>;tag=1\nCall-ID: x\nCSeq: 1 OPTIONS\n\n');
    m.set('Max-Forwards', 70);
    const text = serializeMessageToString(m);
    expect(text).toContain('Via: SIP/2.0/UDP h\r\n ;branch=z9hG4bK1\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
