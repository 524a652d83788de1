/** The lifetime the registrar granted, read from its 2xx (RFC 3261 §10.2.4). */
import { describe, expect, it } from 'vitest';
import { createResponse } from '../../../../../main/core/sip/messages/create-response.js';
import { SipRequest } from '../../../../../main/core/sip/messages/index.js';
import { grantedExpires } from '../../../../../main/core/sip/registration/index.js';
import { SipUri } from '../../../../../main/core/sip/uri/index.js';

describe('grantedExpires (§10.2.4)', () => {
  const contact = SipUri.parse('sip:eve@192.0.2.4:5062;transport=tcp');
  const request = new SipRequest({
    method: 'REGISTER',
    uri: 'sip:lab.test',
    headers: [['From', '<sip:eve@lab.test>;tag=a'], ['To', '<sip:eve@lab.test>'], ['Call-ID', 'c'], ['CSeq', '1 REGISTER'], ['Via', 'SIP/2.0/TCP 192.0.2.4;branch=z9hG4bK1']],
  });
  const ok = (...headers: [string, string][]) => createResponse(request, 200, { headers });

  it('matches our Contact by §19.1.4 URI equality (case of host and transport, parameter order)', () => {
    const response = ok(['Contact', '<sip:eve@198.51.100.1:5062;transport=tcp>;expires=90, <sip:eve@192.0.2.4:5062;TRANSPORT=TCP>;expires=120;received="sip:1.2.3.4"'], ['Expires', '3600']);
    expect(grantedExpires(response, contact, 600)).toBe(120);
  });

  it('does not take another device\'s expiry; falls back to Expires, then to the request', () => {
    expect(grantedExpires(ok(['Contact', '<sip:eve@192.0.2.4:5062>;expires=90'], ['Expires', '1800']), contact, 600)).toBe(1800);
    expect(grantedExpires(ok(['Contact', '<sip:eve@192.0.2.4:5062>;expires=90']), contact, 600)).toBe(600);
  });

  it('a malformed expiry falls through', () => {
    expect(grantedExpires(ok(['Contact', '<sip:eve@192.0.2.4:5062;transport=tcp>;expires=soon'], ['Expires', '300']), contact, 600)).toBe(300);
    expect(grantedExpires(ok(['Expires', 'never']), contact, 600)).toBe(600);
  });
});
