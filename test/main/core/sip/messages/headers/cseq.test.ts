import { describe, expect, it } from 'vitest';
import { CSeq, SipParseError, parseCSeq } from '../../../../../../main/core/sip/index.js';

describe('CSeq (RFC 3261 §20.16)', () => {
  it('reads the number and the method, leading zeros and LWS included', () => {
    expect(parseCSeq('0009   INVITE')).toMatchObject({ seq: 9, method: 'INVITE' });
    expect(parseCSeq('4294967295 ACK')).toMatchObject({ seq: 4294967295, method: 'ACK' });
    expect(new CSeq(2, 'BYE').toString()).toBe('2 BYE');
  });

  it.each(['4294967296 INVITE', '36893488147419103232 REGISTER', '-1 INVITE', 'INVITE', '1', '1INVITE', '1 INVITE extra', '1 IN VITE', ''])('refuses %j', (value) => {
    expect(() => parseCSeq(value)).toThrow(SipParseError);
  });
});
