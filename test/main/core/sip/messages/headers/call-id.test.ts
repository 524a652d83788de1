import { describe, expect, it } from 'vitest';
import { SipParseError, isCallId, parseCallId } from '../../../../../../main/core/sip/index.js';

describe('Call-ID (RFC 3261 §20.8)', () => {
  it.each(['f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com', 'a84b4c76e66710', 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{'])('accepts %s', (value) => {
    expect(isCallId(value)).toBe(true);
    expect(parseCallId(value)).toBe(value);
  });

  it.each(['', 'a b', 'a@b@c', '@b', 'a@', 'a;b', 'é'])('refuses %j', (value) => {
    expect(() => parseCallId(value)).toThrow(SipParseError);
  });
});
