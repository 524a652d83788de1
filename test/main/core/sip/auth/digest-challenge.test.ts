import { describe, expect, it } from 'vitest';
import { chooseQop, readDigestChallenge, type ChallengeInput } from '../../../../../main/core/sip/auth/index.js';
import { parseAuthHeader } from '../../../../../main/core/sip/index.js';

const www = (value: string): ChallengeInput => parseAuthHeader(value, 'WWW-Authenticate');

function reasonOf(input: ChallengeInput): string {
  const r = readDigestChallenge(input);
  if (r.ok) throw new Error('expected the challenge to be refused');
  return r.reason;
}

describe('reading a Digest challenge (RFC 7616 §3.3, RFC 3261 §22.1)', () => {
  it('reads the RFC 3261 §22.4-style challenge from the message layer', () => {
    const r = readDigestChallenge(www('Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.challenge).toMatchObject({ realm: 'atlanta.com', nonce: 'f84f1cec41e6cbe5aea9c8e88d359', opaque: '', algorithmToken: 'MD5', qop: 'auth', stale: false, userhash: false });
    expect(r.challenge.algorithm.name).toBe('MD5');
  });

  it('takes plain objects, with case-insensitive scheme, names, algorithm and flags', () => {
    const r = readDigestChallenge({
      scheme: 'DIGEST',
      params: [
        { name: 'Realm', value: 'r' },
        { name: 'NONCE', value: 'n' },
        { name: 'algorithm', value: 'sha-256-SESS' },
        { name: 'qop', value: 'auth' },
        { name: 'stale', value: 'TRUE' },
        { name: 'userhash', value: 'True' },
      ],
    });
    expect(r.ok && r.challenge.algorithm.name).toBe('SHA-256-sess');
    expect(r.ok && r.challenge.algorithmToken).toBe('sha-256-SESS');
    expect(r.ok && r.challenge.stale && r.challenge.userhash).toBe(true);
  });

  it('without algorithm means MD5, echoed as absent (RFC 7616 §3.3)', () => {
    const r = readDigestChallenge(www('Digest realm="r", nonce="n"'));
    expect(r.ok && r.challenge.algorithm.name).toBe('MD5');
    expect(r.ok && r.challenge.algorithmToken).toBeUndefined();
    expect(r.ok && r.challenge.qop).toBeUndefined();
  });

  it.each([
    ['Basic realm="r"', 'scheme "Basic" is not supported'],
    ['Digest nonce="n"', 'no realm'],
    ['Digest realm="r"', 'no nonce'],
    ['Digest realm="r", nonce="n", algorithm=SHA-1', 'algorithm "SHA-1" is not supported'],
    ['Digest realm="r", nonce="n", algorithm=sha256', 'algorithm "sha256" is not supported'],
    ['Digest realm="r", nonce="n", qop="auth-conf"', 'no supported qop in "auth-conf"'],
    ['Digest realm="r", nonce="n", algorithm=MD5-sess', 'MD5-sess without qop cannot be answered'],
    ['Digest realm="r", nonce="n", nonce="m"', 'parameter "nonce" appears more than once'],
  ])('ignores %s: %s', (value, reason) => {
    expect(reasonOf(www(value))).toBe(reason);
  });

  it('ignores a value that cannot be echoed, or a parameter without a value, without throwing', () => {
    expect(reasonOf({ scheme: 'Digest', params: [{ name: 'realm', value: 'r' }, { name: 'nonce', value: 'a\r\nb' }] })).toBe('control character in nonce');
    expect(reasonOf({ scheme: 'Digest', params: [{ name: 'realm', value: null }, { name: 'nonce', value: 'n' }] })).toBe('no realm');
    expect(reasonOf({ scheme: 'Digest', params: [] })).toBe('no realm');
  });

  it('keeps the realm of a refused challenge, to say which one was ignored', () => {
    const r = readDigestChallenge(www('Digest realm="biloxi.com"'));
    expect(r.ok ? undefined : r.realm).toBe('biloxi.com');
  });
});

describe('choosing qop (RFC 7616 §3.3)', () => {
  it.each([
    [['auth', 'auth-int'], 'auth'],
    [['auth-int', 'auth'], 'auth'],
    [[' AUTH-INT '], 'auth-int'],
    [['auth-int', 'token'], 'auth-int'],
    [['token'], undefined],
    [[], undefined],
  ] as const)('%j → %s', (offered, chosen) => {
    expect(chooseQop(offered)).toBe(chosen);
  });
});
