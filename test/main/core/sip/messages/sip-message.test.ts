import { describe, expect, it } from 'vitest';
import {
  CSeq,
  HeaderField,
  NameAddr,
  SipRequest,
  SipResponse,
  SipUri,
  parseMessage,
  serializeMessage,
  singleHeader,
  type SipMessage,
} from '../../../../../main/core/sip/index.js';

function invite(): SipRequest {
  return new SipRequest({
    method: 'INVITE',
    uri: 'sip:bob@biloxi.example.com',
    headers: [
      ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds'],
      ['Max-Forwards', 70],
      ['To', new NameAddr(SipUri.parse('sip:bob@biloxi.example.com'), 'Bob')],
      ['From', '"Alice" <sip:alice@atlanta.example.com>;tag=1928301774'],
      ['call-id', 'a84b4c76e66710@pc33.atlanta.example.com'],
      ['CSeq', new CSeq(314159, 'INVITE')],
      ['Contact', '<sip:alice@pc33.atlanta.example.com>'],
    ],
    body: 'v=0\r\n',
  });
}

describe('building a message', () => {
  it('takes header fields as text, numbers or typed values, in order, with known names spelled as usual', () => {
    const m = invite();
    expect(m.headers.map((h) => h.name)).toEqual(['Via', 'Max-Forwards', 'To', 'From', 'Call-ID', 'CSeq', 'Contact']);
    expect(m.get('To')).toBe('"Bob" <sip:bob@biloxi.example.com>');
    expect(m.maxForwards).toBe(70);
    expect(m.cseq).toMatchObject({ seq: 314159, method: 'INVITE' });
    expect(m.bodyText).toBe('v=0\r\n');
    expect(m.rawBytes).toBeUndefined();
  });

  it('serializes to CRLF lines with a Content-Length matching the body, and parses back', () => {
    const text = Buffer.from(serializeMessage(invite())).toString();
    expect(text.startsWith('INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP')).toBe(true);
    expect(text.endsWith('Content-Length: 5\r\n\r\nv=0\r\n')).toBe(true);
    const back = parseMessage(text, { framing: 'stream' });
    expect(back.from.tag).toBe('1928301774');
    expect(back.to.displayName).toBe('Bob');
    expect(back.bodyText).toBe('v=0\r\n');
  });

  it('builds a response with the usual reason phrase (§21)', () => {
    expect(new SipResponse({ status: 180 }).reason).toBe('Ringing');
    expect(new SipResponse({ status: 299 }).reason).toBe('Success');
    expect(new SipResponse({ status: 404, reason: 'Nobody Here' }).startLine).toBe('SIP/2.0 404 Nobody Here');
  });

  it.each([
    ['a header value with CRLF (header injection)', () => invite().set('Subject', 'hi\r\nVia: evil')],
    ['a header value with LF', () => invite().append('Subject', 'hi\nX: y')],
    ['a header name that is not a token', () => invite().append('Bad Name', 'x')],
    ['a method that is not a token', () => new SipRequest({ method: 'IN VITE', uri: 'sip:a@b' })],
    ['a status out of range', () => new SipResponse({ status: 700 })],
    ['a reason with CRLF', () => new SipResponse({ status: 200, reason: 'OK\r\nX: y' })],
    ['a header field of a bad name', () => HeaderField.of('a:b', 'c')],
  ])('refuses %s with a RangeError', (_what, build) => {
    expect(build).toThrow(RangeError);
  });

  it('refuses a Request-URI that is not a URI with a SipParseError', () => {
    expect(() => new SipRequest({ method: 'INVITE', uri: 'bob' })).toThrow(expect.objectContaining({ name: 'SipParseError' }));
  });
});

describe('header fields by name', () => {
  it('finds a field by any case or by its compact form', () => {
    const m = parseMessage('OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nVIA: SIP/2.0/TCP g\r\nt: <sip:a@b>\r\nf: <sip:c@d>;tag=1\r\ni: x\r\nCSEQ: 1 OPTIONS\r\nl: 0\r\n\r\n');
    expect(m.get('Via')).toBe('SIP/2.0/UDP h;branch=z9hG4bK1');
    expect(m.getAll('v')).toEqual(['SIP/2.0/UDP h;branch=z9hG4bK1', 'SIP/2.0/TCP g']);
    expect(m.has('call-id')).toBe(true);
    expect(m.get('Content-Length')).toBe('0');
    expect(m.via).toHaveLength(2);
  });

  it('splits list headers into elements', () => {
    const m = invite().append('Route', '<sip:p1;lr>, "A, B" <sip:p2;lr>').append('Route', '<sip:p3;lr>');
    expect(m.getValues('Route')).toEqual(['<sip:p1;lr>', '"A, B" <sip:p2;lr>', '<sip:p3;lr>']);
    expect(m.routes.map((r) => r.uri.toString())).toEqual(['sip:p1;lr', 'sip:p2;lr', 'sip:p3;lr']);
  });

  it('sets a header in place of the first field of that name, removing the others', () => {
    const m = invite().append('Via', 'SIP/2.0/TCP second;branch=z9hG4bK2');
    m.set('v', 'SIP/2.0/TLS only;branch=z9hG4bK3');
    expect(m.headers.map((h) => h.name)).toEqual(['v', 'Max-Forwards', 'To', 'From', 'Call-ID', 'CSeq', 'Contact']);
    expect(m.via.map((v) => v.transport)).toEqual(['TLS']);
    m.set('Supported', ['timer', 'replaces']);
    expect(m.getAll('Supported')).toEqual(['timer', 'replaces']);
    m.set('Supported', []);
    expect(m.has('Supported')).toBe(false);
  });

  it('prepends above the topmost field of a name, and removes the first or all', () => {
    const m = invite();
    m.prepend('Via', 'SIP/2.0/UDP proxy;branch=z9hG4bKp');
    m.prepend('Record-Route', '<sip:proxy;lr>');
    expect(m.topVia?.host).toBe('proxy');
    expect(m.headers[0]?.name).toBe('Record-Route');
    expect(m.removeFirst('Via')).toBe(true);
    expect(m.topVia?.host).toBe('pc33.atlanta.example.com');
    expect(m.remove('via')).toBe(1);
    expect(m.remove('via')).toBe(0);
    expect(m.removeFirst('via')).toBe(false);
  });

  it('re-parses a typed value after its field changes', () => {
    const m = invite();
    expect(m.cseq.seq).toBe(314159);
    m.set('CSeq', new CSeq(314160, 'INVITE'));
    expect(m.cseq.seq).toBe(314160);
    m.append('Contact', '<sip:alice@192.0.2.1>');
    expect(m.contacts).toHaveLength(2);
  });

  it('reads a header defined elsewhere, with its own parser, once', () => {
    let parses = 0;
    const SessionExpires = singleHeader('Session-Expires', (value) => {
      parses++;
      return Number.parseInt(value, 10);
    });
    const m = invite().append('x', '1800;refresher=uac');
    expect(m.typed(SessionExpires)).toBe(1800);
    expect(m.typed(SessionExpires)).toBe(1800);
    expect(parses).toBe(1);
  });
});

describe('changing a parsed message', () => {
  const received = [
    'INVITE  sip:bob@biloxi.example.com SIP/2.0',
    'v: SIP/2.0/UDP pc33.atlanta.example.com',
    ' ;branch=z9hG4bK776asdhds',
    'To: <sip:bob@biloxi.example.com>',
    'From: <sip:alice@atlanta.example.com>;tag=1',
    'i: a84b4c76e66710',
    'CSeq: 1 INVITE',
    'l: 3',
    '',
    'abc',
  ].join('\r\n');

  it('writes the received bytes while unchanged', () => {
    const bytes = Buffer.from(received);
    const m = parseMessage(bytes);
    expect(m.rawBytes).toBeDefined();
    expect(Buffer.from(serializeMessage(m)).equals(bytes)).toBe(true);
    expect(m.toString()).toBe(received);
  });

  it('once changed, rewrites the start-line, keeps unchanged fields as received and fixes Content-Length', () => {
    const m: SipMessage = parseMessage(received);
    m.body = 'hello';
    m.append('Subject', 'hi');
    expect(m.rawBytes).toBeUndefined();
    expect(m.toString()).toBe(
      [
        'INVITE sip:bob@biloxi.example.com SIP/2.0',
        'v: SIP/2.0/UDP pc33.atlanta.example.com',
        ' ;branch=z9hG4bK776asdhds',
        'To: <sip:bob@biloxi.example.com>',
        'From: <sip:alice@atlanta.example.com>;tag=1',
        'i: a84b4c76e66710',
        'CSeq: 1 INVITE',
        'l: 5',
        'Subject: hi',
        '',
        'hello',
      ].join('\r\n'),
    );
  });

  it('changes the start-line of a request or a response', () => {
    const m = parseMessage(received);
    if (m.kind !== 'request') throw new Error('not a request');
    m.method = 'ACK';
    m.uri = SipUri.parse('sip:bob@192.0.2.4');
    expect(m.startLine).toBe('ACK sip:bob@192.0.2.4 SIP/2.0');
    expect(() => {
      m.method = 'A B';
    }).toThrow(RangeError);
    const r = new SipResponse({ status: 100 });
    r.status = 183;
    r.reason = 'Session Progress';
    expect(r.startLine).toBe('SIP/2.0 183 Session Progress');
    expect(() => {
      r.status = 99;
    }).toThrow(RangeError);
  });
});
