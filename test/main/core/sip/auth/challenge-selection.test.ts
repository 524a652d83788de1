import { describe, expect, it } from 'vitest';
import { selectDigestChallenges, supportedDigestAlgorithms } from '../../../../../main/core/sip/auth/index.js';
import { parseAuthHeader } from '../../../../../main/core/sip/index.js';

const challenges = (...values: string[]) => values.map((v) => parseAuthHeader(v, 'WWW-Authenticate'));
const picked = (values: string[]) =>
  selectDigestChallenges('WWW-Authenticate', challenges(...values)).selected.map((s) => `${s.challenge.realm}:${s.challenge.algorithm.name}`);

describe('choosing among several challenges (RFC 8760 §2.4)', () => {
  it('this Node computes every algorithm of RFC 8760', () => {
    expect(supportedDigestAlgorithms.map((a) => a.name)).toEqual(['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess']);
  });

  it('takes the strongest algorithm of a realm, wherever it is listed', () => {
    expect(picked(['Digest realm="a", nonce="1", algorithm=MD5', 'Digest realm="a", nonce="2", algorithm=SHA-512-256', 'Digest realm="a", nonce="3", algorithm=SHA-256'])).toEqual(['a:SHA-512-256']);
    expect(picked(['Digest realm="a", nonce="1", algorithm=SHA-256', 'Digest realm="a", nonce="2"'])).toEqual(['a:SHA-256']);
  });

  it('among equally strong ones, the topmost', () => {
    const s = selectDigestChallenges('WWW-Authenticate', challenges('Digest realm="a", nonce="1", algorithm=SHA-256-sess, qop="auth"', 'Digest realm="a", nonce="2", algorithm=SHA-256'));
    expect(s.selected.map((x) => x.challenge.nonce)).toEqual(['1']);
  });

  it('answers each realm once, in the order the realms appear', () => {
    expect(
      picked([
        'Digest realm="ast", nonce="1", algorithm=MD5',
        'Digest realm="star", nonce="2", algorithm=SHA-256',
        'Digest realm="ast", nonce="3", algorithm=SHA-256',
        'Digest realm="star", nonce="4", algorithm=MD5',
      ]),
    ).toEqual(['ast:SHA-256', 'star:SHA-256']);
  });

  it('ignores unknown algorithms and schemes, each with its reason (asterisk testsuite auth-uac)', () => {
    const s = selectDigestChallenges(
      'Proxy-Authenticate',
      challenges('Digest realm="star", nonce="1", algorithm=sha256', 'Digest realm="star", nonce="2", algorithm=md5', 'Digest realm="star", nonce="3", algorithm=sha256-512', 'Basic realm="star"', 'Digest realm="x"'),
    );
    expect(s.selected.map((x) => [x.header, x.challenge.nonce])).toEqual([['Proxy-Authenticate', '2']]);
    expect(s.ignored).toEqual([
      { header: 'Proxy-Authenticate', index: 0, scheme: 'Digest', realm: 'star', reason: 'algorithm "sha256" is not supported' },
      { header: 'Proxy-Authenticate', index: 2, scheme: 'Digest', realm: 'star', reason: 'algorithm "sha256-512" is not supported' },
      { header: 'Proxy-Authenticate', index: 3, scheme: 'Basic', realm: 'star', reason: 'scheme "Basic" is not supported' },
      { header: 'Proxy-Authenticate', index: 4, scheme: 'Digest', realm: 'x', reason: 'no nonce' },
    ]);
  });

  it('nothing usable: nothing selected, never a throw', () => {
    const s = selectDigestChallenges('WWW-Authenticate', [{ scheme: 'Digest', params: [] }, { scheme: 'NTLM', params: [] }]);
    expect(s.selected).toEqual([]);
    expect(s.ignored.map((i) => i.reason)).toEqual(['no realm', 'scheme "NTLM" is not supported']);
  });
});
