import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeEntityBodyHash,
  computeHa1,
  computeHa2,
  computeRequestDigest,
  computeUserhash,
  createDigestCredentials,
  digestAlgorithm,
  readDigestChallenge,
  type ChallengeInput,
  type DigestAlgorithm,
  type DigestChallenge,
} from '../../../../../main/core/sip/auth/index.js';
import { parseAuthHeader } from '../../../../../main/core/sip/index.js';
import { digestVectors, givenHa1Vector, rfc7616AsPrinted, type DigestVector } from '../../../../fixtures/digest/vectors.js';

function algorithmOf(v: DigestVector): DigestAlgorithm {
  const a = digestAlgorithm(v.algorithm);
  if (a === undefined) throw new Error(`no algorithm ${v.algorithm ?? '(absent)'}`);
  return a;
}

/** The challenge the vector answers: the printed one if any, else one built from its inputs. */
function challengeOf(v: DigestVector): DigestChallenge {
  const params: { name: string; value: string }[] = [
    { name: 'realm', value: v.realm },
    { name: 'nonce', value: v.nonce },
  ];
  if (v.opaque !== undefined) params.push({ name: 'opaque', value: v.opaque });
  if (v.algorithm !== undefined) params.push({ name: 'algorithm', value: v.algorithm });
  if (v.qop !== undefined) params.push({ name: 'qop', value: v.qop });
  const input: ChallengeInput = v.challenge === undefined ? { scheme: 'Digest', params } : parseAuthHeader(v.challenge, 'WWW-Authenticate');
  const reading = readDigestChallenge(input);
  if (!reading.ok) throw new Error(reading.reason);
  return reading.challenge;
}

function paramsOf(value: string): Map<string, string | null> {
  const header = parseAuthHeader(value, 'Authorization');
  return new Map([...header.params].map((p) => [p.name.toLowerCase(), p.value]));
}

describe('digest test vectors (RFC 2617 §3.5, RFC 7616 §3.9, draft-smith-sipping-auth-examples)', () => {
  const cases = (vectors: readonly DigestVector[]): (readonly [string, DigestVector])[] => vectors.map((v) => [v.id, v] as const);

  it.each(cases(digestVectors))('%s: the published response, step by step', (_id, v) => {
    const algorithm = algorithmOf(v);
    const ha1 = computeHa1(algorithm, { username: v.username, realm: v.realm, password: v.password, nonce: v.nonce, cnonce: v.cnonce });
    if (v.ha1 !== undefined) expect(ha1).toBe(v.ha1);
    const ha2 = computeHa2(algorithm, { method: v.method, uri: v.uri, qop: v.qop, entityBodyHash: v.entityBodyHash });
    if (v.ha2 !== undefined) expect(ha2).toBe(v.ha2);
    expect(computeRequestDigest(algorithm, { ha1, ha2, nonce: v.nonce, qop: v.qop, nc: v.nc, cnonce: v.cnonce })).toBe(v.response);
  });

  // auth-int vectors publish only the body's hash, so the whole header is checked for the others.
  it.each(cases(digestVectors.filter((v) => v.entityBodyHash === undefined)))('%s: answers its challenge with the published response', (_id, v) => {
    const challenge = challengeOf(v);
    expect(challenge.qop).toBe(v.qop);
    const value = createDigestCredentials({
      challenge,
      username: v.username,
      password: v.password,
      method: v.method,
      uri: v.uri,
      nonceCount: v.nc === undefined ? 1 : parseInt(v.nc, 16),
      cnonce: v.cnonce ?? 'unused',
    });
    const params = paramsOf(value);
    expect(params.get('response')).toBe(v.response);
    if (v.nc === undefined) {
      // RFC 2069 form: no qop, nc or cnonce at all (RFC 2617 §3.2.2).
      expect(params.has('qop') || params.has('nc') || params.has('cnonce')).toBe(false);
    } else {
      expect(params.get('nc')).toBe(v.nc);
      expect(params.get('cnonce')).toBe(v.cnonce);
    }
    if (v.userhash !== undefined) {
      expect(params.get('username')).toBe(v.userhash);
      expect(params.get('userhash')).toBe('true');
    }
  });

  it.each(cases(digestVectors.filter((v) => v.authorization !== undefined)))('%s: the same parameters as the published Authorization', (_id, v) => {
    const value = createDigestCredentials({
      challenge: challengeOf(v),
      username: v.username,
      password: v.password,
      method: v.method,
      uri: v.uri,
      nonceCount: 1,
      cnonce: v.cnonce ?? '',
    });
    expect(paramsOf(value)).toEqual(paramsOf(v.authorization ?? ''));
  });

  it('RFC 7616 §3.9.2: the hashed username and username*', () => {
    const v = digestVectors.find((x) => x.id === 'rfc7616-s3.9.2-erratum-4897');
    if (v === undefined) throw new Error('vector missing');
    const algorithm = algorithmOf(v);
    expect(computeUserhash(algorithm, v.username, v.realm)).toBe(v.userhash);
    // The same challenge without userhash: the UTF-8 username goes as username*, same response.
    const challenge = { ...challengeOf(v), userhash: false };
    const value = createDigestCredentials({ challenge, username: v.username, password: v.password, method: v.method, uri: v.uri, nonceCount: 1, cnonce: v.cnonce ?? '' });
    expect(value.startsWith(`Digest username*=${v.usernameStar ?? ''}, `)).toBe(true);
    expect(paramsOf(value).get('response')).toBe(v.response);
  });

  it('RFC 7616 §3.9.2 as printed is SHA-512 truncated, not SHA-512/256 (erratum 4897)', () => {
    const v = digestVectors.find((x) => x.id === 'rfc7616-s3.9.2-erratum-4897');
    if (v === undefined) throw new Error('vector missing');
    const truncated = (s: string): string => createHash('sha512').update(s).digest('hex').slice(0, 64);
    expect(truncated(`${v.username}:${v.realm}`)).toBe(rfc7616AsPrinted.userhash);
    const ha1 = truncated(`${v.username}:${v.realm}:${v.password}`);
    const ha2 = truncated(`${v.method}:${v.uri}`);
    expect(truncated(`${ha1}:${v.nonce}:${v.nc ?? ''}:${v.cnonce ?? ''}:auth:${ha2}`)).toBe(rfc7616AsPrinted.response);
    expect(v.response).not.toBe(rfc7616AsPrinted.response);
  });

  it('the request-digest from a given HA1 (no qop)', () => {
    const md5 = algorithmOf({ algorithm: 'MD5' } as DigestVector);
    const v = givenHa1Vector;
    expect(computeHa2(md5, { method: v.method, uri: v.uri, qop: undefined })).toBe(v.ha2);
    expect(computeRequestDigest(md5, { ha1: v.ha1, ha2: v.ha2, nonce: v.nonce, qop: undefined })).toBe(v.response);
  });

  it('auth-int hashes the body itself: HA2 = H(method:uri:H(body))', () => {
    const md5 = algorithmOf({ algorithm: 'MD5' } as DigestVector);
    const body = 'v=0\r\no=bob 2890844527 2890844527 IN IP4 client.biloxi.com\r\n';
    const bodyHash = createHash('md5').update(body).digest('hex');
    expect(computeEntityBodyHash(md5, body)).toBe(bodyHash);
    expect(computeEntityBodyHash(md5, new TextEncoder().encode(body))).toBe(bodyHash);
    expect(computeEntityBodyHash(md5, undefined)).toBe(createHash('md5').update('').digest('hex'));
    expect(computeHa2(md5, { method: 'INVITE', uri: 'sip:bob@biloxi.com', qop: 'auth-int', entityBodyHash: bodyHash })).toBe(
      createHash('md5').update(`INVITE:sip:bob@biloxi.com:${bodyHash}`).digest('hex'),
    );
  });
});
