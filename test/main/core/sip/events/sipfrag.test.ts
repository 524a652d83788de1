/** message/sipfrag (RFC 3420) as REFER's NOTIFYs carry it (RFC 3515 §2.4.5). */
import { describe, expect, it } from 'vitest';
import { EventBodyError, formatSipfrag, parseSipfrag, parseSipfragStatus } from '../../../../../main/core/sip/events/index.js';

describe('message/sipfrag', () => {
  it.each([
    ['SIP/2.0 100 Trying\r\n', 100, 'Trying'],
    ['SIP/2.0 200 OK', 200, 'OK'],
    ['SIP/2.0 180 Ringing\n', 180, 'Ringing'],
    ['SIP/2.0 503 Service Unavailable\r\n', 503, 'Service Unavailable'],
    ['SIP/2.0 486 \r\n', 486, ''],
  ])('reads the status line of %j', (body, status, reason) => {
    expect(parseSipfragStatus(body)).toEqual({ kind: 'response', status, reason });
  });

  it('reads a fragment with header fields and a body (RFC 3420 §2)', () => {
    const frag = parseSipfrag('SIP/2.0 603 Declined\r\nVia: SIP/2.0/UDP 192.0.2.4\r\n  ;branch=z9hG4bK1\r\nContent-Type: text/plain\r\n\r\nno thanks');
    expect(frag.startLine).toEqual({ kind: 'response', status: 603, reason: 'Declined' });
    expect(frag.headers).toEqual([
      ['Via', 'SIP/2.0/UDP 192.0.2.4 ;branch=z9hG4bK1'],
      ['Content-Type', 'text/plain'],
    ]);
    expect(frag.body).toBe('no thanks');
  });

  it('reads a request line, and headers alone (RFC 3420 §2: the start line is optional)', () => {
    expect(parseSipfrag('INVITE sip:alice@atlanta.com SIP/2.0\r\n').startLine).toEqual({ kind: 'request', method: 'INVITE', uri: 'sip:alice@atlanta.com' });
    const alone = parseSipfrag('From: <sip:alice@atlanta.com>\r\n');
    expect(alone.startLine).toBeUndefined();
    expect(parseSipfragStatus.bind(undefined, 'From: <sip:alice@atlanta.com>\r\n')).toThrow(EventBodyError);
  });

  it.each([
    ['nothing', ''],
    ['a bad version', 'SIP/3.0 200 OK'],
    ['a bad status', 'SIP/2.0 99 Low'],
    ['a four-digit status', 'SIP/2.0 2000 OK'],
    ['a control character', 'SIP/2.0 200 O\u0000K'],
    ['garbage', 'hello world'],
    ['a bad header line', 'SIP/2.0 200 OK\r\nno colon here'],
  ])('refuses %s with a 400', (_what, body) => {
    expect(() => parseSipfrag(body)).toThrow(EventBodyError);
  });

  it('refuses a body over the limit with 413', () => {
    try {
      parseSipfrag(`SIP/2.0 200 OK\r\nX: ${'a'.repeat(9000)}\r\n`);
      expect.unreachable();
    } catch (error) {
      expect((error as EventBodyError).statusCode).toBe(413);
    }
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => parseSipfrag(new Uint8Array([0x53, 0x49, 0x50, 0xff]))).toThrow(EventBodyError);
  });

  it('writes status lines that read back', () => {
    expect(formatSipfrag(180, 'Ringing')).toBe('SIP/2.0 180 Ringing\r\n');
    expect(parseSipfragStatus(formatSipfrag(487, 'Request Terminated'))).toMatchObject({ status: 487, reason: 'Request Terminated' });
    expect(() => formatSipfrag(1000, 'x')).toThrow(RangeError);
    expect(() => formatSipfrag(200, 'O\r\nK')).toThrow(RangeError);
  });
});
