import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DigestCredentialsError,
  createDigestCredentials,
  encodeExtValue,
  formatNonceCount,
  readDigestChallenge,
  type DigestChallenge,
  type DigestCredentialsInput,
} from '../../../../../main/core/sip/auth/index.js';
import { parseAuthHeader } from '../../../../../main/core/sip/index.js';

function challenge(value: string): DigestChallenge {
  const r = readDigestChallenge(parseAuthHeader(value, 'WWW-Authenticate'));
  if (!r.ok) throw new Error(r.reason);
  return r.challenge;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

const base: Omit<DigestCredentialsInput, 'challenge'> = {
  username: 'bob',
  password: 'zanzibar',
  method: 'REGISTER',
  uri: 'sip:biloxi.com',
  nonceCount: 1,
  cnonce: 'c0ffee',
};

describe('the credentials header value (RFC 3261 §22.4, §25.1 digest-response)', () => {
  it('writes the parameters in a fixed order, with tokens and quoted-strings where the grammar says', () => {
    const value = createDigestCredentials({ ...base, challenge: challenge('Digest realm="biloxi.com", nonce="abc", opaque="xyz", algorithm=MD5, qop="auth"') });
    const ha1 = md5('bob:biloxi.com:zanzibar');
    const response = md5(`${ha1}:abc:00000001:c0ffee:auth:${md5('REGISTER:sip:biloxi.com')}`);
    expect(value).toBe(
      `Digest username="bob", realm="biloxi.com", nonce="abc", uri="sip:biloxi.com", response="${response}", algorithm=MD5, cnonce="c0ffee", qop=auth, nc=00000001, opaque="xyz"`,
    );
  });

  it('the RFC 2069 form has no qop, cnonce or nc; no opaque unless the server sent one', () => {
    const value = createDigestCredentials({ ...base, challenge: challenge('Digest realm="biloxi.com", nonce="abc"') });
    const response = md5(`${md5('bob:biloxi.com:zanzibar')}:abc:${md5('REGISTER:sip:biloxi.com')}`);
    expect(value).toBe(`Digest username="bob", realm="biloxi.com", nonce="abc", uri="sip:biloxi.com", response="${response}"`);
  });

  it('escapes " and \\ in quoted-strings, and the hashes use the unescaped values', () => {
    const c = challenge('Digest realm="a \\"quoted\\" realm\\\\x", nonce="n\\"1", qop=auth, opaque="o\\\\p"');
    expect(c.realm).toBe('a "quoted" realm\\x');
    const value = createDigestCredentials({ ...base, username: 'bo"b\\', challenge: c });
    expect(value).toContain('username="bo\\"b\\\\", realm="a \\"quoted\\" realm\\\\x", nonce="n\\"1"');
    expect(value).toContain('opaque="o\\\\p"');
    // Round trip through the message layer's parser gives the values back.
    const parsed = parseAuthHeader(value, 'Authorization');
    expect([parsed.username, parsed.realm, parsed.nonce, parsed.opaque]).toEqual(['bo"b\\', 'a "quoted" realm\\x', 'n"1', 'o\\p']);
    const ha1 = md5('bo"b\\:a "quoted" realm\\x:zanzibar');
    expect(parsed.param('response')).toBe(md5(`${ha1}:n"1:00000001:c0ffee:auth:${md5('REGISTER:sip:biloxi.com')}`));
  });

  it('the uri is the Request-URI as sent, parameters and all', () => {
    const uri = 'sip:+1-212-555-1212:1234@gateway.com;user=phone;transport=tcp';
    const value = createDigestCredentials({ ...base, method: 'INVITE', uri, challenge: challenge('Digest realm="r", nonce="n", qop="auth"') });
    expect(parseAuthHeader(value, 'Authorization').param('uri')).toBe(uri);
  });

  it('a non-ASCII username goes as username* (RFC 7616 §3.4.4), hashed as UTF-8', () => {
    const value = createDigestCredentials({ ...base, username: 'Jäsøn Doe', challenge: challenge('Digest realm="r", nonce="n", qop="auth"') });
    expect(value).toMatch(/^Digest username\*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm="r"/);
    expect(value).not.toContain('username="');
    const ha1 = createHash('md5').update(Buffer.from('Jäsøn Doe:r:zanzibar', 'utf8')).digest('hex');
    expect(parseAuthHeader(value, 'Authorization').param('response')).toBe(md5(`${ha1}:n:00000001:c0ffee:auth:${md5('REGISTER:sip:biloxi.com')}`));
  });

  it('userhash=true: the username is H(username:realm) and never sent in clear', () => {
    const value = createDigestCredentials({ ...base, username: 'Jäsøn Doe', challenge: challenge('Digest realm="r", nonce="n", qop="auth", userhash=true') });
    expect(value).toContain(`username="${md5('Jäsøn Doe:r')}"`);
    expect(value.endsWith(', userhash=true')).toBe(true);
    expect(value).not.toContain('username*');
  });

  it('auth-int hashes the body; no body hashes as empty', () => {
    const c = challenge('Digest realm="r", nonce="n", qop="auth-int"');
    const body = 'v=0\r\n';
    const value = createDigestCredentials({ ...base, method: 'INVITE', uri: 'sip:bob@r', body, challenge: c });
    const ha1 = md5('bob:r:zanzibar');
    expect(value).toContain('qop=auth-int');
    expect(parseAuthHeader(value, 'Authorization').param('response')).toBe(md5(`${ha1}:n:00000001:c0ffee:auth-int:${md5(`INVITE:sip:bob@r:${md5(body)}`)}`));
    const empty = createDigestCredentials({ ...base, method: 'BYE', uri: 'sip:bob@r', challenge: c });
    expect(parseAuthHeader(empty, 'Authorization').param('response')).toBe(md5(`${ha1}:n:00000001:c0ffee:auth-int:${md5(`BYE:sip:bob@r:${md5('')}`)}`));
  });

  it('refuses an empty username, naming the realm and never the password', () => {
    const run = (): string => createDigestCredentials({ ...base, username: '', password: 's3cret!', challenge: challenge('Digest realm="biloxi.com", nonce="n"') });
    expect(run).toThrow(DigestCredentialsError);
    expect(run).toThrow('credentials for realm "biloxi.com": the username is empty');
    try {
      run();
    } catch (e) {
      expect(String(e)).not.toContain('s3cret!');
      expect((e as Error).name).toBe('DigestCredentialsError');
    }
  });
});

describe('nc-value (RFC 7616 §3.4)', () => {
  it.each([
    [1, '00000001'],
    [255, '000000ff'],
    [0xffffffff, 'ffffffff'],
  ])('%d → %s', (n, text) => {
    expect(formatNonceCount(n)).toBe(text);
  });

  it.each([0, -1, 1.5, 0x100000000, NaN])('refuses %d', (n) => {
    expect(() => formatNonceCount(n)).toThrow(RangeError);
  });
});

describe('ext-value for username* (RFC 8187 §3.2.1)', () => {
  it('percent-encodes UTF-8 bytes and every character outside attr-char', () => {
    expect(encodeExtValue('Jäsøn Doe')).toBe("UTF-8''J%C3%A4s%C3%B8n%20Doe");
    expect(encodeExtValue('a"b\\c%d*e\'f')).toBe("UTF-8''a%22b%5Cc%25d%2Ae%27f");
    expect(encodeExtValue('!#$&+-.^_`|~')).toBe("UTF-8''!#$&+-.^_`|~");
    expect(encodeExtValue('日')).toBe("UTF-8''%E6%97%A5");
  });
});
