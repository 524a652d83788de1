import { describe, expect, it } from 'vitest';
import { SipParseError, parseMessage, type SipMessage } from '../../../../../main/core/sip/index.js';

const CRLF = '\r\n';

/** A minimal valid request with `extra` header lines and `body`. */
function options(extra: string[] = [], body = '', method = 'OPTIONS'): string {
  return [
    `${method} sip:bob@biloxi.example.com SIP/2.0`,
    'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
    'To: <sip:bob@biloxi.example.com>',
    'From: <sip:alice@atlanta.example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    `CSeq: 1 ${method}`,
    ...extra,
    '',
    body,
  ].join(CRLF);
}

function refusal(input: string | Uint8Array, opts?: Parameters<typeof parseMessage>[1]): SipParseError {
  try {
    parseMessage(input, opts);
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('parseMessage: start-lines (RFC 3261 §7.1, §7.2)', () => {
  it('reads a request', () => {
    const m = parseMessage(options(['Content-Length: 0']));
    expect(m.kind).toBe('request');
    expect(m.kind === 'request' && m.method).toBe('OPTIONS');
    expect(m.kind === 'request' && m.uri.toString()).toBe('sip:bob@biloxi.example.com');
    expect(m.startLine).toBe('OPTIONS sip:bob@biloxi.example.com SIP/2.0');
  });

  it('reads a response, with or without a reason phrase', () => {
    const head = ['Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'To: <sip:b@h>;tag=2', 'From: <sip:a@h>;tag=1', 'Call-ID: c', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''];
    const ringing = parseMessage(['SIP/2.0 180 Ringing', ...head].join(CRLF));
    expect(ringing.kind === 'response' && [ringing.status, ringing.reason]).toEqual([180, 'Ringing']);
    const bare = parseMessage(['SIP/2.0 200', ...head].join(CRLF));
    expect(bare.kind === 'response' && [bare.status, bare.reason]).toEqual([200, '']);
    const lower = parseMessage(['sip/2.0 486 Busy Here', ...head].join(CRLF));
    expect(lower.kind === 'response' && lower.status).toBe(486);
  });

  it.each([
    ['SIP/2.0 099 Low', 'Bad Status-Line'],
    ['SIP/2.0 700 High', 'Bad Status-Line'],
    ['SIP/2.0 20 OK', 'Bad Status-Line'],
    ['SIP/2.0 2000 OK', 'Bad Status-Line'],
    ['SIP/2.0', 'Bad Status-Line'],
    ['SIP/2.1 200 OK', 'Version Not Supported'],
    ['SIP/x 200 OK', 'Bad SIP-Version'],
  ])('refuses the Status-Line %j', (line, reason) => {
    expect(refusal(`${line}${CRLF}Via: SIP/2.0/UDP h${CRLF}${CRLF}`).reason).toBe(reason);
  });

  it.each([
    ['INVITE sip:a@b SIP/3.0', 'version'],
    ['INVITE sip:a@b HTTP/1.1', 'malformed'],
    ['INVITE sip:a@b', 'malformed'],
    ['INVITE  ', 'malformed'],
    [' INVITE sip:a@b SIP/2.0', 'malformed'],
    ['INVITE sip:a@b SIP/2.0 extra', 'malformed'],
    ['INV\tITE sip:a@b SIP/2.0', 'malformed'],
    ['INVITE sip:a@b\tSIP/2.0', 'malformed'],
    ['IN"VITE sip:a@b SIP/2.0', 'malformed'],
  ])('refuses the Request-Line %j (%s)', (line, code) => {
    expect(refusal(options(['Content-Length: 0']).replace(/^[^\r]*/, line)).code).toBe(code);
  });

  it('accepts any URI scheme in the Request-URI but no URI headers (§19.1.1)', () => {
    const tel = parseMessage(options(['Content-Length: 0']).replace('sip:bob@biloxi.example.com', 'tel:+1-201-555-0123'));
    expect(tel.kind === 'request' && tel.uri.kind).toBe('tel');
    expect(refusal(options(['Content-Length: 0']).replace('sip:bob@biloxi.example.com SIP', 'sip:bob@b?x=y SIP')).reason).toBe('Bad Request-URI');
  });
});

describe('parseMessage: header fields (§7.3)', () => {
  it('knows every compact form (§7.3.3 and the RFCs that added them)', () => {
    const m = parseMessage(
      [
        'MESSAGE sip:bob@b SIP/2.0',
        'v: SIP/2.0/UDP h;branch=z9hG4bK1',
        't: <sip:bob@b>',
        'f: <sip:alice@a>;tag=1',
        'i: abc@h',
        'CSeq: 1 MESSAGE',
        'm: <sip:alice@192.0.2.1>',
        'e: gzip',
        'c: text/plain',
        's: hello',
        'k: 100rel',
        'o: presence',
        'u: refer',
        'r: <sip:carol@c>',
        'b: <sip:alice@a>',
        'x: 1800',
        'y: sig',
        'a: *;audio',
        'd: proxy',
        'j: *;video',
        'n: <https://a/cert>',
        'l: 2',
        '',
        'hi',
      ].join(CRLF),
    );
    const byName = ['Via', 'To', 'From', 'Call-ID', 'Contact', 'Content-Encoding', 'Content-Type', 'Subject', 'Supported', 'Event', 'Allow-Events', 'Refer-To', 'Referred-By', 'Session-Expires', 'Identity', 'Accept-Contact', 'Request-Disposition', 'Reject-Contact', 'Identity-Info', 'Content-Length'];
    for (const name of byName) expect(m.has(name), name).toBe(true);
    expect(m.callId).toBe('abc@h');
    expect(m.contentType?.mimeType).toBe('text/plain');
    expect(m.supported).toEqual(['100rel']);
    expect(m.event?.package).toBe('presence');
    expect(m.referTo?.uri.toString()).toBe('sip:carol@c');
    expect(m.get('session-expires')).toBe('1800');
    expect(m.bodyText).toBe('hi');
  });

  it('unfolds folded values (§7.3.1) and trims LWS around them', () => {
    const m = parseMessage(options(['Subject:   I know you\'re there,  ', '    pick up the phone   ', '\tand talk to me!', 'Content-Length: 0']));
    expect(m.get('Subject')).toBe("I know you're there, pick up the phone and talk to me!");
  });

  it('accepts bare LF line ends (as the RFC 5118 archive is written)', () => {
    const m = parseMessage(options(['Content-Length: 4'], 'body').replace(/\r\n/g, '\n'));
    expect(m.callId).toBe('a84b4c76e66710');
    expect(m.bodyText).toBe('body');
  });

  it('ignores CRLFs before the start-line (§7.5)', () => {
    expect(parseMessage(`\r\n\r\n${options(['Content-Length: 0'])}`).callId).toBe('a84b4c76e66710');
  });

  it('keeps unknown headers, repeated or not, in order', () => {
    const m = parseMessage(options(['X-B: 2', 'x-a: 1', 'X-B: 3', 'Content-Length: 0']));
    expect(m.getAll('x-b')).toEqual(['2', '3']);
    expect(m.get('X-A')).toBe('1');
    expect(m.headers.map((h) => h.name).slice(-4)).toEqual(['X-B', 'x-a', 'X-B', 'Content-Length']);
  });

  it.each([
    ['a bare CR', ['X-A: a\rb']],
    ['a header without a colon', ['Foobar roobar']],
    ['a header name that is not a token', ['X A: 1']],
    ['an empty header name', [': value']],
    ['a non-ASCII header name', ['Ünknown: 1']],
    ['a name that lower-cases to a compact form', ['\u212A: 100rel']],
  ])('refuses %s', (_what, extra) => {
    expect(refusal(options([...extra, 'Content-Length: 0'])).code).toBe('malformed');
  });

  it('refuses a folded line straight after the start-line', () => {
    expect(refusal(options(['Content-Length: 0']).replace('SIP/2.0\r\n', 'SIP/2.0\r\n folded\r\n')).reason).toBe('Bad header field');
  });

  it('refuses a request without Via, CSeq, Call-ID, From or To, naming it (§8.1.1)', () => {
    for (const name of ['Via', 'CSeq', 'Call-ID', 'From', 'To']) {
      const text = options(['Content-Length: 0']).replace(new RegExp(`^${name}:.*\\r\\n`, 'm'), '');
      const error = refusal(text);
      expect(error.code, name).toBe('missing_header');
      expect(error.reason).toBe(`Missing ${name} header field`);
    }
  });

  it('refuses a CSeq method other than the request method, compared case-sensitively (§8.1.1.5, §7.1)', () => {
    expect(refusal(options(['Content-Length: 0']).replace('CSeq: 1 OPTIONS', 'CSeq: 1 options')).reason).toBe('CSeq method does not match the request method');
  });

  it('parses the other typed headers only when read, throwing SipParseError then', () => {
    const m = parseMessage(options(['Expires: soon', 'Require: ', 'Content-Length: 0']));
    expect(() => m.expires).toThrow(SipParseError);
    expect(() => m.require).toThrow(SipParseError);
    expect(m.callId).toBe('a84b4c76e66710');
  });

  it('accepts "Contact: *"', () => {
    const m = parseMessage(options(['Contact: *', 'Expires: 0', 'Content-Length: 0'], '', 'REGISTER'));
    expect(m.contacts[0]?.wildcard).toBe(true);
    expect(m.expires).toBe(0);
  });
});

describe('parseMessage: body framing (§18.3)', () => {
  it('takes Content-Length bytes, counted in bytes not characters', () => {
    const body = 'héllo ☎';
    const m = parseMessage(options([`Content-Length: ${Buffer.byteLength(body)}`, 'Content-Type: text/plain;charset=utf-8'], body));
    expect(m.body).toHaveLength(10);
    expect(m.bodyText).toBe(body);
  });

  it('on a datagram without Content-Length, takes the body to the end', () => {
    expect(parseMessage(options([], 'v=0\r\n')).bodyText).toBe('v=0\r\n');
  });

  it('on a stream, requires Content-Length', () => {
    const error = refusal(options([], ''), { framing: 'stream' });
    expect(error).toMatchObject({ code: 'missing_header', reason: 'Missing Content-Length header field' });
    expect(parseMessage(options(['Content-Length: 0']), { framing: 'stream' }).body).toHaveLength(0);
  });

  it('refuses a body shorter than Content-Length, and ignores bytes after it', () => {
    expect(refusal(options(['Content-Length: 10'], 'short')).reason).toBe('Content-Length exceeds the message');
    expect(parseMessage(options(['Content-Length: 3'], 'abcdef')).bodyText).toBe('abc');
  });

  it('accepts a datagram whose header section ends without the empty line, when it ends at a line end', () => {
    const text = options(['Content-Length: 0']).slice(0, -2);
    expect(parseMessage(text).body).toHaveLength(0);
    expect(refusal(text.slice(0, -2)).reason).toBe('Incomplete header section');
    expect(refusal(text, { framing: 'stream' }).reason).toBe('Incomplete header section');
    expect(refusal(options(['Content-Length: 1']).slice(0, -2)).reason).toBe('Content-Length exceeds the message');
  });

  it.each(['', '\r\n\r\n', '\n'])('refuses an empty message %j', (text) => {
    expect(refusal(text).reason).toBe('Empty message');
  });

  it('reads bytes and text alike', () => {
    const text = options(['Content-Length: 2'], 'ok');
    const fromBytes: SipMessage = parseMessage(new TextEncoder().encode(text));
    const fromText = parseMessage(text);
    expect(fromBytes.bodyText).toBe(fromText.bodyText);
    expect(fromBytes.headers.map((h) => h.value)).toEqual(fromText.headers.map((h) => h.value));
  });

  it('reads a Uint8Array that is a view into a larger buffer', () => {
    const bytes = new TextEncoder().encode(`xxxx${options(['Content-Length: 2'], 'ok')}yyyy`);
    const view = bytes.subarray(4, bytes.length - 4);
    expect(parseMessage(view).bodyText).toBe('ok');
  });
});

describe('parseMessage: errors say what can be answered', () => {
  it('carries the method and the Via, From, To, Call-ID and CSeq fields of a bad request', () => {
    const error = refusal(options(['Max-Forwards: 256', 'Content-Length: 0']));
    expect(error).toMatchObject({ code: 'malformed', reason: 'Bad Max-Forwards header field', startLine: 'request', method: 'OPTIONS' });
    expect(error.headers.map((h) => h.name)).toEqual(['Via', 'To', 'From', 'Call-ID', 'CSeq']);
    expect(error.isAnswerable).toBe(true);
  });

  it('says an ACK is never answered', () => {
    const error = refusal(options(['Max-Forwards: 999', 'Content-Length: 0'], '', 'ACK'));
    expect(error.method).toBe('ACK');
    expect(error.isAnswerable).toBe(false);
  });

  it('knows nothing of a message refused before it was read', () => {
    const error = refusal(options(['Content-Length: 0']), { maxMessageSize: 10 });
    expect(error.code).toBe('too_large');
    expect(error.startLine).toBeUndefined();
    expect(error.isAnswerable).toBe(false);
  });
});
