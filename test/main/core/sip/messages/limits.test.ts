/**
 * Limits against abuse: every bound refuses with its own code, and no input — however
 * pathological — takes more than linear time. A quadratic scan of the 60 KB inputs below
 * would take seconds; each must finish in a few milliseconds (the bound is loose for slow CI).
 */
import { describe, expect, it } from 'vitest';
import { SipParseError, SipStreamFramer, parseMessage } from '../../../../../main/core/sip/index.js';
import { readEverything } from './read-everything.js';

const SIZE = 60 * 1024;
const FAST_MS = 250;
/** Limits wide enough that the pathological values reach the deepest parsers. */
const wide = { maxMessageSize: 4 * SIZE, maxHeaderLength: 2 * SIZE };

function request(extra: string[], uri = 'sip:bob@biloxi.example.com'): string {
  return [
    `INVITE ${uri} SIP/2.0`,
    'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
    'To: <sip:bob@b>',
    'From: <sip:alice@a>;tag=1',
    'Call-ID: c',
    'CSeq: 1 INVITE',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Parses and reads everything; returns the time taken and what was thrown, if anything. */
function timed(input: string, options = wide): { ms: number; error: unknown } {
  const start = performance.now();
  let error: unknown;
  try {
    readEverything(parseMessage(input, options));
  } catch (e) {
    error = e;
  }
  return { ms: performance.now() - start, error };
}

describe('limits (defaults: 64 KiB, 256 header fields, 8 KiB per field)', () => {
  it('refuses a message over the size limit', () => {
    expect(() => parseMessage(request([]) + 'x'.repeat(64 * 1024))).toThrow(expect.objectContaining({ code: 'too_large', statusCode: 513 }));
    expect(() => parseMessage(request([]), { maxMessageSize: 100 })).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  it('refuses more than 256 header fields', () => {
    const fields = Array.from({ length: 256 - 6 }, (_, i) => `X-${i}: ${i}`);
    expect(parseMessage(request(fields)).headers).toHaveLength(256);
    expect(() => parseMessage(request([...fields, 'X-last: 1']))).toThrow(expect.objectContaining({ code: 'too_many_headers' }));
  });

  it('refuses a header field or start-line over 8 KiB', () => {
    expect(parseMessage(request([`X-Long: ${'a'.repeat(8192 - 8)}`])).get('X-Long')).toHaveLength(8184);
    expect(() => parseMessage(request([`X-Long: ${'a'.repeat(8192 - 7)}`]))).toThrow(expect.objectContaining({ code: 'header_too_long' }));
    const folded = `X-Long: a${'\r\n b'.repeat(3000)}`;
    expect(() => parseMessage(request([folded]))).toThrow(expect.objectContaining({ code: 'header_too_long' }));
    expect(() => parseMessage(request([], `sip:${'a'.repeat(9000)}@b`))).toThrow(expect.objectContaining({ code: 'header_too_long' }));
  });

  it('takes its limits from the options', () => {
    expect(() => parseMessage(request([]), { maxHeaders: 3 })).toThrow(expect.objectContaining({ code: 'too_many_headers' }));
    expect(() => parseMessage(request([]), { maxHeaderLength: 20 })).toThrow(expect.objectContaining({ code: 'header_too_long' }));
  });

  it('refuses a Content-Length beyond the size limit whatever the datagram holds', () => {
    expect(() => parseMessage(request([]).replace('Content-Length: 0', 'Content-Length: 99999999999'))).toThrow(SipParseError);
    expect(() => parseMessage(request([]).replace('Content-Length: 0', 'Content-Length: 70000'))).toThrow(expect.objectContaining({ code: 'too_large' }));
  });
});

const repeated = (unit: string) => unit.repeat(Math.floor(SIZE / unit.length));

describe('linear time on pathological input', () => {
  it.each([
    ['semicolons in a header', () => request([`X-Semi: ${repeated(';')}`])],
    ['quotes in From', () => request([]).replace('From: <sip:alice@a>;tag=1', `From: ${repeated('"')}`)],
    ['an open quote in Contact', () => request([`Contact: "${repeated('a')}`])],
    ['angle brackets in Contact', () => request([`Contact: ${repeated('<')}`])],
    ['commas in Via', () => request([`Via: ${repeated(',')}`])],
    ['Via parameters', () => request([`Via: SIP/2.0/UDP h${repeated(';a')}`])],
    ['Via values', () => request([`Via: SIP/2.0/UDP h${repeated(',SIP/2.0/UDP h')}`])],
    ['Contact values', () => request([`Contact: <sip:a@b>${repeated(',<sip:a@b>;q=0.5')}`])],
    ['a display name of tokens', () => request([`Contact: ${repeated('a ')}<sip:a@b>`])],
    ['a display name of tokens without "<"', () => request([`Contact: ${repeated('a ')}`])],
    ['quoted-pairs in a display name', () => request([`Contact: "${repeated('\\"')}" <sip:a@b>`])],
    ['escapes in a URI', () => request([], `sip:${repeated('%41')}@b`)],
    ['URI parameters', () => request([], `sip:b${repeated(';a=b')}`)],
    ['URI headers', () => request([`Contact: <sip:b?${repeated('a=b&')}a=b>`])],
    ['an IPv6 reference', () => request([], `sip:[${repeated(':')}]`)],
    ['open brackets in a host', () => request([`Via: SIP/2.0/UDP ${repeated('[')}`])],
    ['digits in CSeq', () => request([]).replace('CSeq: 1 INVITE', `CSeq: ${repeated('9')} INVITE`)],
    ['digest parameters', () => request([`Authorization: Digest ${repeated('a="b", ')}a=b`])],
    ['quotes in a list', () => request([`Accept: ${repeated('",')}`])],
    ['spaces in a folded header', () => request([`X-Space: a${repeated(' ')}\r\n${repeated(' ')}b`])],
    ['continuation lines', () => request([`X-Fold: a${repeated('\r\n x')}`])],
    ['spaces in the Request-Line', () => request([]).replace('INVITE sip:', `INVITE${repeated(' ')}sip:`)],
    ['CRs', () => `${request([])}`.replace('Call-ID: c', `Call-ID: c${repeated('\r\n')}`)],
    ['colons in header names', () => request([`${repeated('a')}${repeated(':')}`])],
    ['a long header name', () => request([`${repeated('X')}: 1`])],
  ])('%s', (_what, build) => {
    const input = build();
    const { ms, error } = timed(input);
    if (error !== undefined) expect(error).toBeInstanceOf(SipParseError);
    expect(ms).toBeLessThan(FAST_MS);
    const { ms: defaultMs, error: defaultError } = timed(input, {} as typeof wide);
    if (defaultError !== undefined) expect(defaultError).toBeInstanceOf(SipParseError);
    expect(defaultMs).toBeLessThan(FAST_MS);
  });

  it('frames 60 KB of pathological bytes quickly on a stream', () => {
    for (const unit of [';', '"', '<', '\r\n', 'a', 'a\r\n', ' ']) {
      const start = performance.now();
      const errors: SipParseError[] = [];
      const framer = new SipStreamFramer({ onMessage: () => undefined, onError: (e) => errors.push(e) });
      const bytes = Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX: ${repeated(unit)}`);
      for (let i = 0; i < bytes.length; i += 1400) framer.push(bytes.subarray(i, i + 1400));
      expect(performance.now() - start, JSON.stringify(unit)).toBeLessThan(FAST_MS);
      expect(errors.length + framer.bufferedBytes).toBeGreaterThan(0);
    }
  });
});
