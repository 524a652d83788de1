import { describe, expect, it } from 'vitest';
import {
  DigestClient,
  createDigestCredentials,
  readDigestChallenge,
  type AuthorizationField,
  type ChallengeHeaderName,
  type ChallengeOutcome,
  type ChallengeResponse,
  type DigestRequest,
  type DigestUserCredentials,
} from '../../../../../main/core/sip/auth/index.js';
import { parseAuthHeader, parseMessage } from '../../../../../main/core/sip/index.js';

const REGISTER: DigestRequest = { method: 'REGISTER', uri: 'sip:biloxi.com' };

function response(status: 401 | 407, www: string[] = [], proxy: string[] = []): ChallengeResponse {
  return {
    status,
    wwwAuthenticate: www.map((v) => parseAuthHeader(v, 'WWW-Authenticate')),
    proxyAuthenticate: proxy.map((v) => parseAuthHeader(v, 'Proxy-Authenticate')),
  };
}

/** A client for bob, with numbered cnonces and a log of credential look-ups. */
function bob(accounts: Record<string, DigestUserCredentials> = { 'biloxi.com': { username: 'bob', password: 'zanzibar' } }) {
  const lookups: [string, ChallengeHeaderName][] = [];
  let n = 0;
  const client = new DigestClient({
    credentials: (realm, header) => {
      lookups.push([realm, header]);
      return accounts[realm];
    },
    cnonce: () => `cnonce${++n}`,
  });
  return { client, lookups };
}

function retry(outcome: ChallengeOutcome): readonly AuthorizationField[] {
  if (outcome.kind !== 'retry') throw new Error(`expected a retry, got ${JSON.stringify(outcome)}`);
  return outcome.fields;
}

const param = (field: AuthorizationField | undefined, name: string): string | undefined =>
  field === undefined ? undefined : parseAuthHeader(field.value, field.name).param(name);

/** The value createDigestCredentials gives for these inputs, to check the client's wiring. */
function expected(challengeValue: string, request: DigestRequest, nonceCount: number, cnonce: string, username = 'bob', password = 'zanzibar'): string {
  const r = readDigestChallenge(parseAuthHeader(challengeValue, 'WWW-Authenticate'));
  if (!r.ok) throw new Error(r.reason);
  return createDigestCredentials({ challenge: r.challenge, username, password, ...request, nonceCount, cnonce });
}

const BILOXI = 'Digest realm="biloxi.com", nonce="n1", opaque="op", algorithm=MD5, qop="auth"';

describe('DigestClient (RFC 3261 §22.2–§22.4)', () => {
  it('bob registers: 401, answer, 200; the next REGISTER is pre-authenticated with nc=2', () => {
    const { client } = bob();
    expect(client.authorize(REGISTER)).toEqual([]);

    const fields = retry(client.handleChallenge(response(401, [BILOXI]), REGISTER, []));
    expect(fields).toEqual([{ name: 'Authorization', value: expected(BILOXI, REGISTER, 1, 'cnonce1'), realm: 'biloxi.com', nonce: 'n1', attempt: 1 }]);
    expect(param(fields[0], 'nc')).toBe('00000001');
    expect(param(fields[0], 'opaque')).toBe('op');

    const again = client.authorize(REGISTER);
    expect(again).toEqual([{ name: 'Authorization', value: expected(BILOXI, REGISTER, 2, 'cnonce2'), realm: 'biloxi.com', nonce: 'n1', attempt: 0 }]);
    const invite: DigestRequest = { method: 'INVITE', uri: 'sip:alice@atlanta.com', body: 'v=0\r\n' };
    expect(param(client.authorize(invite)[0], 'nc')).toBe('00000003');
    expect(param(client.authorize(invite)[0], 'uri')).toBe('sip:alice@atlanta.com');
  });

  it('407 is answered with Proxy-Authorization, 401 with Authorization', () => {
    const { client, lookups } = bob({ 'atlanta.com': { username: 'bob-proxy', password: 'p' } });
    const fields = retry(client.handleChallenge(response(407, [], ['Digest realm="atlanta.com", nonce="p1", qop="auth"']), REGISTER, []));
    expect(fields.map((f) => [f.name, f.realm])).toEqual([['Proxy-Authorization', 'atlanta.com']]);
    expect(param(fields[0], 'username')).toBe('bob-proxy');
    expect(lookups[0]).toEqual(['atlanta.com', 'Proxy-Authenticate']);
  });

  it('reads a SipResponse as it comes from the parser', () => {
    const message = parseMessage(
      'SIP/2.0 407 Proxy Authentication Required\r\nVia: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\r\nFrom: <sip:bob@biloxi.com>;tag=1\r\nTo: <sip:bob@biloxi.com>;tag=2\r\nCall-ID: a84b4c76e66710\r\nCSeq: 1 INVITE\r\n' +
        'Proxy-Authenticate: Digest realm="biloxi.com", nonce="p1", algorithm=SHA-256, qop="auth"\r\nProxy-Authenticate: Digest realm="biloxi.com", nonce="p2", algorithm=MD5, qop="auth"\r\nContent-Length: 0\r\n\r\n',
    );
    if (message.kind !== 'response') throw new Error('expected a response');
    const { client } = bob();
    const fields = retry(client.handleChallenge(message, { method: 'INVITE', uri: 'sip:alice@atlanta.com' }, []));
    expect(fields.map((f) => [f.name, f.nonce, param(f, 'algorithm')])).toEqual([['Proxy-Authorization', 'p1', 'SHA-256']]);
  });

  it('several realms at once: one field for each, proxies and servers alike (RFC 3261 §16.7 step 6)', () => {
    const { client } = bob({
      'atlanta.com': { username: 'alice', password: 'a' },
      'biloxi.com': { username: 'bob', password: 'b' },
      'chicago.com': { username: 'carol', password: 'c' },
    });
    const outcome = client.handleChallenge(
      response(401, ['Digest realm="biloxi.com", nonce="w1", qop="auth"', 'Digest realm="chicago.com", nonce="w2"'], ['Digest realm="atlanta.com", nonce="p1", qop="auth"']),
      REGISTER,
      [],
    );
    expect(retry(outcome).map((f) => [f.name, f.realm, param(f, 'username')])).toEqual([
      ['Proxy-Authorization', 'atlanta.com', 'alice'],
      ['Authorization', 'biloxi.com', 'bob'],
      ['Authorization', 'chicago.com', 'carol'],
    ]);
    expect(client.authorize(REGISTER).map((f) => [f.realm, param(f, 'nc') ?? '(no qop)'])).toEqual([
      ['atlanta.com', '00000002'],
      ['biloxi.com', '00000002'],
      ['chicago.com', '(no qop)'],
    ]);
  });

  it('the retry carries credentials for realms not challenged this time, too', () => {
    const { client } = bob({ 'atlanta.com': { username: 'alice', password: 'a' }, 'biloxi.com': { username: 'bob', password: 'b' } });
    const first = retry(client.handleChallenge(response(407, [], ['Digest realm="atlanta.com", nonce="p1", qop="auth"']), REGISTER, []));
    // The proxy let it through; now the registrar asks.
    const second = retry(client.handleChallenge(response(401, ['Digest realm="biloxi.com", nonce="w1", qop="auth"']), REGISTER, first));
    expect(second.map((f) => [f.name, f.realm, f.attempt, param(f, 'nc')])).toEqual([
      ['Proxy-Authorization', 'atlanta.com', 0, '00000002'],
      ['Authorization', 'biloxi.com', 1, '00000001'],
    ]);
  });

  it('bob mistypes his password: the second challenge is a rejection, not a loop', () => {
    const { client } = bob();
    const first = retry(client.handleChallenge(response(401, [BILOXI]), REGISTER, []));
    const outcome = client.handleChallenge(response(401, [BILOXI.replace('n1', 'n2')]), REGISTER, first);
    expect(outcome).toEqual({ kind: 'rejected', realm: 'biloxi.com', header: 'WWW-Authenticate', reason: 'credentials' });
    // The refused credentials are not sent again unasked.
    expect(client.authorize(REGISTER)).toEqual([]);
  });

  it('a wrong proxy password is rejected the same way', () => {
    const { client } = bob({ 'atlanta.com': { username: 'bob', password: 'wrong' } });
    const proxy = ['Digest realm="atlanta.com", nonce="p1", qop="auth"'];
    const first = retry(client.handleChallenge(response(407, [], proxy), REGISTER, []));
    expect(client.handleChallenge(response(407, [], proxy), REGISTER, first)).toEqual({ kind: 'rejected', realm: 'atlanta.com', header: 'Proxy-Authenticate', reason: 'credentials' });
  });

  it('stale=true: retry with the new nonce, nc from 1, without counting a failure', () => {
    const { client, lookups } = bob();
    const first = retry(client.handleChallenge(response(401, [BILOXI]), REGISTER, []));
    const stale = 'Digest realm="biloxi.com", nonce="n2", opaque="op", algorithm=MD5, qop="auth", stale=TRUE';
    const second = retry(client.handleChallenge(response(401, [stale]), REGISTER, first));
    expect(second.map((f) => [f.nonce, f.attempt, param(f, 'nc')])).toEqual([['n2', 2, '00000001']]);
    expect(second[0]?.value).toBe(expected(stale, REGISTER, 1, 'cnonce2'));
    expect(lookups).toHaveLength(4); // asked the account again, never the user
    // With the fresh nonce the password turns out wrong after all: rejected.
    expect(client.handleChallenge(response(401, [BILOXI.replace('n1', 'n3')]), REGISTER, second)).toMatchObject({ kind: 'rejected', reason: 'credentials' });
  });

  it('stale=true for the nonce just used, or stale after stale after stale: gives up', () => {
    const { client } = bob();
    const first = retry(client.handleChallenge(response(401, [BILOXI]), REGISTER, []));
    expect(client.handleChallenge(response(401, [`${BILOXI}, stale=true`]), REGISTER, first)).toMatchObject({ kind: 'rejected', reason: 'stale-loop' });

    let sent = retry(client.handleChallenge(response(401, [BILOXI]), REGISTER, []));
    for (const nonce of ['s1', 's2']) sent = retry(client.handleChallenge(response(401, [`Digest realm="biloxi.com", nonce="${nonce}", qop="auth", stale=true`]), REGISTER, sent));
    expect(sent[0]?.attempt).toBe(3);
    expect(client.handleChallenge(response(401, ['Digest realm="biloxi.com", nonce="s3", qop="auth", stale=true']), REGISTER, sent)).toEqual({
      kind: 'rejected',
      realm: 'biloxi.com',
      header: 'WWW-Authenticate',
      reason: 'stale-loop',
    });
  });

  it('a challenge to pre-authenticated credentials is answered afresh, once', () => {
    const { client } = bob();
    retry(client.handleChallenge(response(401, [BILOXI]), REGISTER, []));
    const pre = client.authorize(REGISTER);
    expect(pre[0]?.attempt).toBe(0);
    // The registrar dropped its nonce without saying stale: not a wrong password yet.
    const answer = retry(client.handleChallenge(response(401, [BILOXI.replace('n1', 'n9')]), REGISTER, pre));
    expect(answer.map((f) => [f.nonce, f.attempt, param(f, 'nc')])).toEqual([['n9', 1, '00000001']]);
    expect(client.handleChallenge(response(401, [BILOXI.replace('n1', 'n10')]), REGISTER, answer)).toMatchObject({ kind: 'rejected' });
  });

  it('the same nonce challenged again keeps counting: an nc is never reused', () => {
    const { client } = bob();
    retry(client.handleChallenge(response(401, [BILOXI]), REGISTER, []));
    const pre = client.authorize(REGISTER);
    const again = retry(client.handleChallenge(response(401, [BILOXI]), REGISTER, pre));
    expect(param(again[0], 'nc')).toBe('00000003');
  });

  it('-sess keeps one cnonce per nonce (same session key at every nc); others draw a new one each time', () => {
    const { client } = bob();
    retry(client.handleChallenge(response(401, ['Digest realm="biloxi.com", nonce="n1", algorithm=MD5-sess, qop="auth"']), REGISTER, []));
    expect([client.authorize(REGISTER), client.authorize(REGISTER)].map((f) => [param(f[0], 'cnonce'), param(f[0], 'nc')])).toEqual([
      ['cnonce1', '00000002'],
      ['cnonce1', '00000003'],
    ]);
    const sha = bob().client;
    retry(sha.handleChallenge(response(401, ['Digest realm="biloxi.com", nonce="n1", algorithm=SHA-256, qop="auth"']), REGISTER, []));
    expect(param(sha.authorize(REGISTER)[0], 'cnonce')).toBe('cnonce2');
  });

  it('auth-int only: the body is hashed into the answer', () => {
    const { client } = bob();
    const challenge = 'Digest realm="biloxi.com", nonce="n1", qop="auth-int"';
    const invite: DigestRequest = { method: 'INVITE', uri: 'sip:alice@atlanta.com', body: 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n' };
    const fields = retry(client.handleChallenge(response(401, [challenge]), invite, []));
    expect(fields[0]?.value).toBe(expected(challenge, invite, 1, 'cnonce1'));
    expect(param(fields[0], 'qop')).toBe('auth-int');
  });

  it('no credentials for the realm: says so, does not answer', () => {
    const { client } = bob({});
    expect(client.handleChallenge(response(401, [BILOXI]), REGISTER, [])).toEqual({ kind: 'no-credentials', realms: ['biloxi.com'], ignored: [] });
    expect(client.authorize(REGISTER)).toEqual([]);
  });

  it('credentials for one realm of two: answers that one, names the other', () => {
    const { client } = bob();
    const outcome = client.handleChallenge(response(401, [BILOXI, 'Digest realm="elsewhere", nonce="x"']), REGISTER, []);
    expect(outcome.kind === 'retry' && outcome.unanswered).toEqual(['elsewhere']);
    expect(retry(outcome).map((f) => f.realm)).toEqual(['biloxi.com']);
  });

  it('nothing usable — unknown schemes, algorithms, missing nonce or realm — is reported, never thrown', () => {
    const { client } = bob();
    const outcome = client.handleChallenge(
      response(401, ['Basic realm="biloxi.com"', 'Digest realm="biloxi.com"', 'Digest nonce="n"', 'Digest realm="biloxi.com", nonce="n", algorithm=SHA-1']),
      REGISTER,
      [],
    );
    expect(outcome.kind).toBe('unsupported');
    expect(outcome.kind === 'unsupported' && outcome.ignored.map((i) => i.reason)).toEqual([
      'scheme "Basic" is not supported',
      'no nonce',
      'no realm',
      'algorithm "SHA-1" is not supported',
    ]);
    expect(client.handleChallenge(response(407), REGISTER, [])).toEqual({ kind: 'unsupported', ignored: [] });
  });

  it('a usable challenge next to malformed ones is answered, the others listed', () => {
    const { client } = bob();
    const outcome = client.handleChallenge(response(401, ['Digest realm="biloxi.com"', BILOXI]), REGISTER, []);
    expect(retry(outcome)).toHaveLength(1);
    expect(outcome.kind === 'retry' && outcome.ignored).toEqual([{ header: 'WWW-Authenticate', index: 0, scheme: 'Digest', realm: 'biloxi.com', reason: 'no nonce' }]);
  });

  it('forget drops a realm, or all of them', () => {
    const { client } = bob({ 'atlanta.com': { username: 'a', password: 'a' }, 'biloxi.com': { username: 'b', password: 'b' } });
    retry(client.handleChallenge(response(401, [BILOXI, 'Digest realm="atlanta.com", nonce="a1"']), REGISTER, []));
    client.forget('biloxi.com');
    expect(client.authorize(REGISTER).map((f) => f.realm)).toEqual(['atlanta.com']);
    client.forget();
    expect(client.authorize(REGISTER)).toEqual([]);
  });

  it('the password appears nowhere in what the client hands out', () => {
    const { client } = bob({ 'biloxi.com': { username: 'bob', password: 'zanzibar-secret' } });
    const outcome = client.handleChallenge(response(401, [BILOXI]), REGISTER, []);
    expect(JSON.stringify(outcome)).not.toContain('zanzibar-secret');
    expect(JSON.stringify(client)).not.toContain('zanzibar-secret');
  });

  it('only 401 and 407 are challenges', () => {
    expect(() => bob().client.handleChallenge({ status: 200, wwwAuthenticate: [], proxyAuthenticate: [] }, REGISTER, [])).toThrow(RangeError);
  });
});
