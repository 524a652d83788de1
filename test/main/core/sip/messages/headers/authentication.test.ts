import { describe, expect, it } from 'vitest';
import { AuthHeader, Parameters, SipParseError, parseAuthHeader } from '../../../../../../main/core/sip/index.js';

describe('challenges and credentials (RFC 3261 §20.7, §20.27, §20.44)', () => {
  it('reads a digest challenge', () => {
    const c = parseAuthHeader(
      'Digest realm="atlanta.com", domain="sip:boxesbybob.com", qop="auth,auth-int", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
      'WWW-Authenticate',
    );
    expect(c.isScheme('digest')).toBe(true);
    expect(c.realm).toBe('atlanta.com');
    expect(c.nonce).toBe('f84f1cec41e6cbe5aea9c8e88d359');
    expect(c.opaque).toBe('');
    expect(c.qop).toEqual(['auth', 'auth-int']);
    expect(c.stale).toBe(false);
    expect(c.algorithm).toBe('MD5');
    expect(c.param('domain')).toBe('sip:boxesbybob.com');
  });

  it('reads digest credentials and writes them back with the same quoting', () => {
    const text =
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="89eb0059246c02b2f6ee02c7961d5ea3", opaque="5ccc069c403ebaf9f0171e9517f40e41"';
    const c = parseAuthHeader(text, 'Authorization');
    expect(c.username).toBe('bob');
    expect(c.qop).toEqual(['auth']);
    expect(c.param('nc')).toBe('00000001');
    expect(c.toString()).toBe(text);
  });

  it('reads an unknown scheme the same way (RFC 4475 §3.3.7)', () => {
    const c = parseAuthHeader('NoOneKnowsThisScheme opaque-data=here', 'Authorization');
    expect(c.scheme).toBe('NoOneKnowsThisScheme');
    expect(c.param('opaque-data')).toBe('here');
    expect(c.stale).toBe(false);
    expect(parseAuthHeader('Basic', 'Authorization').params.size).toBe(0);
  });

  it.each(['', 'Digest realm', 'Digest realm=', 'Digest realm="x" nonce="y"', 'Digest realm="x",', 'Digest ,realm="x"', 'Digest realm="x'])('refuses %j', (value) => {
    expect(() => parseAuthHeader(value, 'Authorization')).toThrow(SipParseError);
  });

  it('builds a header with chosen quoting', () => {
    const params = Parameters.empty.with('username', 'alice', true).with('algorithm', 'MD5');
    expect(new AuthHeader('Digest', params).toString()).toBe('Digest username="alice", algorithm=MD5');
  });
});
