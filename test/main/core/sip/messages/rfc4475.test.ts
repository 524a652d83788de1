/**
 * RFC 4475 "SIP Torture Test Messages": every message of its archive (Appendix A), parsed as a
 * datagram, checked against what the RFC says of it. The section of the RFC is in each title.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ProxyRequireHeader,
  SipParseError,
  SipResponse,
  parseMessage,
  serializeMessage,
  uriEquals,
  type Contact,
  type SipRequest,
  type SipMessage,
  type SipUri,
} from '../../../../../main/core/sip/index.js';
import { fixture, fixtureNames, fixtureSums } from '../fixtures.js';

function parse(name: string): SipMessage {
  return parseMessage(fixture(`rfc4475/${name}.dat`));
}

function request(name: string): SipRequest {
  const message = parse(name);
  if (message.kind !== 'request') throw new Error(`${name} is not a request`);
  return message;
}

function response(name: string): SipResponse {
  const message = parse(name);
  if (message.kind !== 'response') throw new Error(`${name} is not a response`);
  return message;
}

function refusal(name: string): SipParseError {
  try {
    parse(name);
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

function sip(uri: unknown): SipUri {
  const u = uri as SipUri;
  expect(u.kind).toBe('sip');
  return u;
}

function contact(message: SipMessage, index = 0): Contact {
  const c = message.contacts[index];
  if (c === undefined || c.wildcard) throw new Error('no contact');
  return c;
}

describe('RFC 4475 fixtures', () => {
  it('are the 49 messages of the RFC archive plus its stray test.dat, byte for byte', () => {
    const sums = fixtureSums('rfc4475');
    const names = fixtureNames('rfc4475');
    expect(names).toHaveLength(50);
    for (const name of names) {
      expect(createHash('sha256').update(fixture(`rfc4475/${name}`)).digest('hex'), name).toBe(sums.get(name));
    }
  });
});

describe('RFC 4475 §3.1.1 valid messages', () => {
  it('§3.1.1.1 wsinv: a short tortuous INVITE', () => {
    const m = request('wsinv');
    expect(m.method).toBe('INVITE');
    expect(m.uri.toString()).toBe('sip:vivekg@chair-dnrc.example.com;unknownparam');
    expect(sip(m.uri).param('unknownparam')).toBeNull();
    expect(m.to.uri.toString()).toBe('sip:vivekg@chair-dnrc.example.com');
    expect(m.to.tag).toBe('1918181833n');
    expect(m.from.displayName).toBe('J Rosenberg \\"');
    expect(m.from.uri.toString()).toBe('sip:jdrosen@example.com');
    expect(m.from.tag).toBe('98asjd8');
    expect(m.maxForwards).toBe(68);
    expect(m.callId).toBe('wsinv.ndaksdj@192.0.2.1');
    expect(m.cseq).toMatchObject({ seq: 9, method: 'INVITE' });
    expect(m.contentLength).toBe(150);
    expect(m.contentType?.mimeType).toBe('application/sdp');
    expect(m.via.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.get('Subject')).toBe('');
    expect(m.routes.map((r) => r.uri.toString())).toEqual(['sip:services.example.com;lr;unknownwith=value;unknown-no-value']);
    const c = contact(m);
    expect(c.displayName).toBe('Quoted string ""');
    expect(c.uri.toString()).toBe('sip:jdrosen@example.com');
    expect(c.params.toRecord()).toEqual({ newparam: 'newvalue', secondparam: null, q: '0.33' });
    expect(c.q).toBe(0.33);
    expect(m.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    expect(m.body).toHaveLength(150);
  });

  it('§3.1.1.2 intmeth: a wide range of valid characters', () => {
    const m = request('intmeth');
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    expect(m.method).toBe(method);
    const uri = sip(m.uri);
    expect(uri.toString()).toBe("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com");
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(uri.host).toBe('example.com');
    expect(m.topVia?.branch).toBe("z9hG4bK-.!%66*_+`'~");
    expect(m.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    expect(m.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(m.from.param("fromParam''~+*_!.-%")).toBe('работающий');
    expect(m.from.tag).toBe("_token~1'+`*%!-.");
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(m.cseq).toMatchObject({ seq: 139122385, method });
    expect(m.maxForwards).toBe(255);
    expect(m.contentLength).toBe(0);
    expect(m.get("extensionHeader-!.%*+_`'~")).toBe(Buffer.from('efbbbfe5a4a7e5819ce99bbb', 'hex').toString('utf8'));
  });

  it('§3.1.1.3 esc01: escapes are undone where allowed, and only once', () => {
    const m = request('esc01');
    const uri = sip(m.uri);
    expect(uri.userText).toBe('sips%3Auser%40example.com');
    expect(uri.user).toBe('sips:user@example.com');
    expect(uri.host).toBe('example.net');
    expect(sip(m.to.uri).user).toBe('user');
    expect(sip(m.from.uri).user).toBe('I have spaces');
    expect(m.from.tag).toBe('938');
    expect(m.callId).toBe('esc01.239409asdfakjkn23onasd0-3234');
    expect(m.cseq).toMatchObject({ seq: 234234, method: 'INVITE' });
    expect(m.maxForwards).toBe(87);
    expect(m.contentType?.mimeType).toBe('application/sdp');
    const c = sip(contact(m).uri);
    expect(c.user).toBe('caller');
    expect(c.param('lr')).toBeNull();
    expect(c.param('name')).toBe('value%41');
    expect(m.contentLength).toBe(150);
  });

  it('§3.1.1.4 escnull: escaped NULs register two distinct contacts', () => {
    const m = request('escnull');
    expect(sip(m.to.uri).user).toBe('null-\0-null');
    expect(m.to.uri.toString()).toBe('sip:null-%00-null@example.com');
    expect(m.contacts.map((c) => (c.wildcard ? '*' : sip(c.uri).user))).toEqual(['\0', '\0\0']);
    expect(uriEquals(contact(m, 0).uri, contact(m, 1).uri)).toBe(false);
    expect(m.callId).toBe('escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd');
    expect(m.cseq).toMatchObject({ seq: 14398234, method: 'REGISTER' });
    expect(m.contentLength).toBe(0);
  });

  it('§3.1.1.5 esc02: % is not an escape in a method or a header name', () => {
    const m = request('esc02');
    expect(m.method).toBe('RE%47IST%45R');
    expect(m.cseq.method).toBe('RE%47IST%45R');
    expect(m.to.displayName).toBe('%Z%45');
    expect(m.contacts).toHaveLength(2);
    expect(m.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(m.topVia?.branch).toBe('z9hG4bK209%fzsnel234');
    expect(m.callId).toBe('esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf');
  });

  it('§3.1.1.6 lwsdisp: no LWS between display name and "<"', () => {
    const m = request('lwsdisp');
    expect(m.from.displayName).toBe('caller');
    expect(m.from.uri.toString()).toBe('sip:caller@example.com');
    expect(m.from.tag).toBe('323');
    expect(m.callId).toBe('lwsdisp.1234abcd@funky.example.com');
    expect(m.cseq).toMatchObject({ seq: 60, method: 'OPTIONS' });
  });

  it('§3.1.1.7 longreq: long values in header fields', () => {
    const m = request('longreq');
    expect(m.via).toHaveLength(34);
    expect(m.topVia).toMatchObject({ transport: 'TCP', host: 'sip33.example.com' });
    const bottom = m.via[33]!;
    expect(bottom.received).toBe('192.0.2.5');
    expect(bottom.branch).toBe(`very${'long'.repeat(50)}branchvalue`);
    expect(m.callId).toBe(`longreq.one${'really'.repeat(20)}longcallid`);
    expect(m.from.tag).toBe(`12${'982'.repeat(50)}424`);
    expect(m.to.displayName).toBe(`I have a user name of ${'extreme'.repeat(10)} proportion`);
    expect(sip(m.to.uri).port).toBe(6000);
    expect(sip(m.to.uri).param('unknownparam1')).toBe(`very${'long'.repeat(20)}value`);
    expect(m.contentLength).toBe(150);
    expect(m.body).toHaveLength(150);
  });

  it('§3.1.1.8 dblreq: the bytes after the body of a datagram are ignored', () => {
    const bytes = fixture('rfc4475/dblreq.dat');
    const m = request('dblreq');
    expect(m.method).toBe('REGISTER');
    expect(m.callId).toBe('dblreq.0ha0isndaksdj99sdfafnl3lk233412');
    expect(m.contentLength).toBe(0);
    expect(m.body).toHaveLength(0);
    expect(bytes.length - serializeMessage(m).length).toBe(450);
    expect(Buffer.from(serializeMessage(m)).toString()).not.toContain('INVITE');
  });

  it('§3.1.1.9 semiuri: semicolons in the user part of the Request-URI', () => {
    const m = request('semiuri');
    const uri = sip(m.uri);
    expect(uri.toString()).toBe('sip:user;par=u%40example.net@example.com');
    expect(uri.user).toBe('user;par=u@example.net');
    expect(uri.host).toBe('example.com');
    expect(uri.paramList).toHaveLength(0);
    expect(m.callId).toBe('semiuri.0ha0isndaksdj');
    expect(m.getValues('Accept')).toHaveLength(6);
  });

  it('§3.1.1.10 transports: varied and unknown transports', () => {
    const m = request('transports');
    expect(m.via.map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
    expect(m.callId).toBe('transports.kijh4akdnaqjkwendsasfdj');
  });

  it('§3.1.1.11 mpart01: a multipart body with binary parts, framed by Content-Length', () => {
    const m = request('mpart01');
    expect(m.method).toBe('MESSAGE');
    expect(m.contentType?.mimeType).toBe('multipart/mixed');
    expect(m.contentType?.boundary).toBe('7a9cbec02ceef655');
    expect(m.contentLength).toBe(553);
    expect(m.body).toHaveLength(553);
    expect(m.body.includes(0)).toBe(true);
    expect(Buffer.from(m.body).toString('latin1').split('--7a9cbec02ceef655')).toHaveLength(4);
    expect(m.callId).toBe('3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..');
  });

  it('§3.1.1.12 unreason: a reason phrase of unreserved and UTF-8 characters', () => {
    const m = response('unreason');
    expect(m.status).toBe(200);
    expect(m.reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
    expect(m.callId).toBe('unreason.1234ksdfak3j2erwedfsASdf');
    expect(m.contentLength).toBe(154);
  });

  it('§3.1.1.13 noreason: an empty reason phrase', () => {
    const m = response('noreason');
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
    expect(m.callId).toBe('noreason.asndj203insdf99223ndf');
  });
});

describe('RFC 4475 §3.1.2 invalid messages', () => {
  it.each([
    ['badinv01', '§3.1.2.1 extraneous header field separators', 'Bad Via header field'],
    ['clerr', '§3.1.2.2 Content-Length larger than the datagram', 'Content-Length exceeds the message'],
    ['ncl', '§3.1.2.3 negative Content-Length', 'Bad Content-Length header field'],
    ['scalar02', '§3.1.2.4 request scalar fields with overlarge values', 'Bad CSeq header field'],
    ['quotbal', '§3.1.2.6 unterminated quoted string in a display name', 'Bad To header field'],
    ['ltgtruri', '§3.1.2.7 <> around the Request-URI (refused by choice)', 'Bad Request-URI'],
    ['lwsruri', '§3.1.2.8 LWS inside the Request-URI (refused by choice)', 'Bad Request-Line'],
    ['escruri', '§3.1.2.11 escaped headers in the Request-URI (refused by choice)', 'Bad Request-URI'],
    ['regbadct', '§3.1.2.13 addr-spec Contact with "?" (refused by choice)', 'Bad Contact header field'],
    ['baddn', '§3.1.2.15 non-token characters in a display name (refused by choice)', 'Bad From header field'],
    ['mismatch01', '§3.1.2.17 CSeq method differs from the request method', 'CSeq method does not match the request method'],
    ['mismatch02', '§3.1.2.18 unknown method, CSeq method differs', 'CSeq method does not match the request method'],
  ])('%s (%s) is refused with 400 and can be answered', (name, _what, reason) => {
    const error = refusal(name);
    expect(error.code).toBe('malformed');
    expect(error.statusCode).toBe(400);
    expect(error.reason).toBe(reason);
    expect(error.startLine).toBe('request');
    expect(error.isAnswerable).toBe(true);
    const names = error.headers.map((h) => h.name.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['via', 'cseq']));
  });

  it('§3.1.2.16 badvers: SIP/7.0 is answered 505 with what a response needs', () => {
    const error = refusal('badvers');
    expect(error).toMatchObject({ code: 'version', statusCode: 505, startLine: 'request', method: 'OPTIONS' });
    expect(error.isAnswerable).toBe(true);
    expect(error.headers.map((h) => [h.name, h.value])).toEqual([
      ['Via', 'SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw'],
      ['From', 'A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe'],
      ['To', 'T. Watson <sip:t.watson@example.org>'],
      ['Call-ID', 'badvers.31417@c.example.com'],
      ['CSeq', '1 OPTIONS'],
    ]);
  });

  it('the fields an error carries are enough to build the response (mismatch01 → 400)', () => {
    const error = refusal('mismatch01');
    const answer = new SipResponse({
      status: error.statusCode,
      reason: error.reason,
      headers: error.headers.map((h) => [h.name, h.value] as const),
    });
    const back = parseMessage(serializeMessage(answer));
    expect(back.kind).toBe('response');
    expect(back.kind === 'response' && back.status).toBe(400);
    expect(back.callId).toBe('mismatch01.dj0234sxdfl3');
    expect(back.cseq).toMatchObject({ seq: 8, method: 'INVITE' });
    expect(back.topVia?.branch).toBe('z9hG4bKkdjuw');
    expect(back.from.tag).toBe('34525');
  });

  it.each([
    ['scalarlg', '§3.1.2.5 response scalar fields with overlarge values', 'Bad CSeq header field'],
    ['bigcode', '§3.1.2.19 overlarge response code', 'Bad Status-Line'],
  ])('%s (%s) is a response to drop: refused and not answerable', (name, _what, reason) => {
    const error = refusal(name);
    expect(error.reason).toBe(reason);
    expect(error.startLine).toBe('response');
    expect(error.isAnswerable).toBe(false);
  });

  it.each([
    ['lwsstart', '§3.1.2.9 multiple SP between Request-Line elements', 'INVITE', 'sip:user@example.com'],
    ['trws', '§3.1.2.10 SP at the end of the Request-Line', 'OPTIONS', 'sip:remote-target@example.com'],
  ])('%s (%s) is tolerated, and not sent on as received', (name, _what, method, uri) => {
    const m = request(name);
    expect(m.method).toBe(method);
    expect(m.uri.toString()).toBe(uri);
    m.set('Max-Forwards', 69);
    const written = Buffer.from(serializeMessage(m)).toString('latin1');
    expect(written.startsWith(`${method} ${uri} SIP/2.0\r\n`)).toBe(true);
  });

  it('§3.1.2.12 baddate: a Date outside GMT is kept as text and the request accepted', () => {
    const m = request('baddate');
    expect(m.get('Date')).toBe('Fri, 01 Jan 2010 16:00:00 EST');
    expect(m.callId).toBe('baddate.239423mnsadf3j23lj42--sedfnm234');
  });

  it('§3.1.2.14 badaspec: white space inside "<>" is tolerated and ignored', () => {
    const m = request('badaspec');
    expect(m.to.displayName).toBe('Watson, Thomas');
    expect(m.to.uri.toString()).toBe('sip:t.watson@example.org');
    expect(m.to.toString()).toBe('"Watson, Thomas" <sip:t.watson@example.org>');
  });
});

describe('RFC 4475 §3.2–3.4 transaction, application and backward-compatibility tests', () => {
  it('§3.2.1 badbranch: a branch of only the magic cookie is parsed for the transaction layer to judge', () => {
    expect(request('badbranch').topVia?.branch).toBe('z9hG4bK');
  });

  it('§3.3.1 insuf: missing Call-ID, From and To are refused, answerably', () => {
    const error = refusal('insuf');
    expect(error).toMatchObject({ code: 'missing_header', statusCode: 400, reason: 'Missing Call-ID header field' });
    expect(error.isAnswerable).toBe(true);
  });

  it.each([
    ['unkscm', 'nobodyKnowsThisScheme:totallyopaquecontent', 'nobodyknowsthisscheme'],
    ['novelsc', 'soap.beep://192.0.2.103:3002', 'soap.beep'],
  ])('§3.3.2/3.3.3 %s: a Request-URI of another scheme is kept opaque', (name, uri, scheme) => {
    const m = request(name);
    expect(m.uri.kind).toBe('absolute');
    expect(m.uri.scheme).toBe(scheme);
    expect(m.uri.toString()).toBe(uri);
  });

  it('§3.3.4 unksm2: URIs of unknown schemes in To, From and Contact', () => {
    const m = request('unksm2');
    expect(m.to.uri.toString()).toBe('isbn:2983792873');
    expect(m.to.uri.kind).toBe('absolute');
    expect(m.from.uri.toString()).toBe('http://www.example.com');
    expect(m.from.tag).toBe('3234233');
    expect(contact(m).uri.toString()).toBe('name:John_Smith');
  });

  it('§3.3.5 bext01: Require and Proxy-Require option tags', () => {
    const m = request('bext01');
    expect(m.require).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(m.typed(ProxyRequireHeader)).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  });

  it('§3.3.6 invut: an unknown Content-Type', () => {
    const m = request('invut');
    expect(m.contentType?.mimeType).toBe('application/unknownformat');
    expect(m.contentLength).toBe(40);
    expect(m.body).toHaveLength(40);
  });

  it('§3.3.7 regaut01: an unknown authorization scheme is read generically', () => {
    const [credentials] = request('regaut01').authorization;
    expect(credentials?.scheme).toBe('NoOneKnowsThisScheme');
    expect(credentials?.param('opaque-data')).toBe('here');
  });

  it('§3.3.8 multi01: several values in single-value fields are refused', () => {
    const error = refusal('multi01');
    expect(error.reason).toMatch(/^Duplicate (CSeq|Call-ID|To|From|Max-Forwards) header field$/);
    expect(error.isAnswerable).toBe(true);
  });

  it('§3.3.9 mcl01: two Content-Length fields are a framing error', () => {
    expect(refusal('mcl01').reason).toBe('Duplicate Content-Length header field');
  });

  it('§3.3.10 bcast: a 200 OK with a broadcast address in the second Via', () => {
    const m = response('bcast');
    expect(m.status).toBe(200);
    expect(m.via[1]?.host).toBe('255.255.255.255');
  });

  it('§3.3.11 zeromf: Max-Forwards of zero', () => {
    expect(request('zeromf').maxForwards).toBe(0);
  });

  it('§3.3.12 cparam01: a parameter after an addr-spec Contact belongs to the header', () => {
    const c = contact(request('cparam01'));
    expect(c.uri.toString()).toBe('sip:+19725552222@gw1.example.net');
    expect(sip(c.uri).paramList).toHaveLength(0);
    expect(c.params.toRecord()).toEqual({ unknownparam: null });
  });

  it('§3.3.13 cparam02: a parameter inside "<>" belongs to the URI', () => {
    const c = contact(request('cparam02'));
    expect(sip(c.uri).param('unknownparam')).toBeNull();
    expect(c.params.size).toBe(0);
  });

  it('§3.3.14 regescrt: an escaped Route header inside a Contact URI is kept', () => {
    const m = request('regescrt');
    const uri = sip(contact(m).uri);
    expect(uri.toString()).toBe('sip:user@example.com?Route=%3Csip:sip.example.com%3E');
    expect(uri.headers).toEqual([{ name: 'Route', value: '<sip:sip.example.com>' }]);
    expect(m.headers.find((h) => h.key === 'contact')?.name).toBe('M');
  });

  it('§3.3.15 sdp01: an Accept no one supports', () => {
    const m = request('sdp01');
    expect(m.get('Accept')).toBe('text/nobodyKnowsThis');
    expect(m.contentType?.mimeType).toBe('application/sdp');
  });

  it('§3.4.1 inv2543: an RFC 2543 INVITE, its body running to the end of the datagram', () => {
    const m = request('inv2543');
    expect(m.contentLength).toBeUndefined();
    expect(m.body).toHaveLength(105);
    expect(m.maxForwards).toBeUndefined();
    expect(m.from.tag).toBeUndefined();
    expect(m.from.uri.toString()).toBe('sip:+13035551111@ift.client.example.net;user=phone');
    expect(m.topVia?.branch).toBeUndefined();
    expect(m.topVia?.sentBy).toBe('iftgw.example.com');
    expect(m.callId).toBe('inv2543.1717@ift.client.example.com');
  });

  it('test.dat, in the archive but in no section, is refused (a header line without a colon)', () => {
    expect(refusal('test').reason).toBe('Bad header field');
  });
});

describe('RFC 4475 round trip', () => {
  it.each(fixtureNames('rfc4475').filter((n) => n !== 'dblreq.dat'))('%s: an accepted message serializes to its own bytes', (name) => {
    const bytes = fixture(`rfc4475/${name}`);
    let message: SipMessage;
    try {
      message = parseMessage(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(SipParseError);
      return;
    }
    expect(Buffer.from(serializeMessage(message)).equals(bytes)).toBe(true);
  });
});
