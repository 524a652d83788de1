import { describe, expect, it } from 'vitest';
import { SipParseError, parseRAck } from '../../../../../../main/core/sip/index.js';

describe('RAck (RFC 3262 §7.2)', () => {
  it('reads response-num, CSeq number and method', () => {
    const rack = parseRAck('776656 1 INVITE');
    expect(rack).toMatchObject({ rseq: 776656, cseq: 1, method: 'INVITE' });
    expect(rack.toString()).toBe('776656 1 INVITE');
  });

  it.each(['0 1 INVITE', '2147483648 1 INVITE', '1 INVITE', '1 2', '1 2 INVITE x', '12INVITE'])('refuses %j', (value) => {
    expect(() => parseRAck(value)).toThrow(SipParseError);
  });
});
