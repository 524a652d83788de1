import { describe, expect, it } from 'vitest';
import { redactSipText } from '../../../../../main/core/sip/log/redact.js';

const register = [
  'REGISTER sip:lab.test SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK776',
  'From: <sip:alice@lab.test>;tag=1',
  'Authorization: Digest username="alice", realm="lab.test", nonce="abc", uri="sip:lab.test",',
  ' response="6629fae49393a05397450978507c4ef1", cnonce="0a4f113b", nc=00000001, qop=auth',
  'proxy-authorization: Basic YWxpY2U6YWxpY2VwYXNz',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('redactSipText', () => {
  it('removes digest responses and Basic credentials, keeping what helps troubleshooting', () => {
    const text = redactSipText(register);
    expect(text).not.toContain('6629fae4');
    expect(text).not.toContain('0a4f113b');
    expect(text).not.toContain('YWxpY2U6YWxpY2VwYXNz');
    expect(text).toContain('Authorization: Digest username="alice", realm="lab.test", nonce="abc", uri="sip:lab.test", qop=auth, response="<redacted>"');
    expect(text).toContain('proxy-authorization: Basic <redacted>');
    expect(text.startsWith('REGISTER sip:lab.test SIP/2.0\r\nVia:')).toBe(true);
    expect(text.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });

  it('leaves other messages and bodies alone', () => {
    const invite = 'INVITE sip:bob@lab.test SIP/2.0\r\nContent-Length: 28\r\n\r\nAuthorization: in the body\r\n';
    expect(redactSipText(invite)).toBe(invite);
    expect(redactSipText('')).toBe('');
  });

  it('redacts even a malformed field', () => {
    expect(redactSipText('Authorization: Digest response=secret123 garbage')).toBe('Authorization: Digest response="<redacted>"');
    expect(redactSipText('Authorization:')).not.toContain('secret');
  });
});
