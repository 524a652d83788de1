import { describe, expect, it } from 'vitest';
import {
  AllowEventsHeader,
  PAssertedIdentityHeader,
  PathHeader,
  ReferredByHeader,
  SipParseError,
  SipRequest,
  ServiceRouteHeader,
} from '../../../../../../main/core/sip/index.js';

describe('typed header definitions', () => {
  const request = (headers: [string, string][]) => new SipRequest({ method: 'OPTIONS', uri: 'sip:a@b', headers });

  it('gathers a list header over several fields and compact forms', () => {
    const m = request([
      ['Allow-Events', 'presence, dialog'],
      ['u', 'refer'],
      ['Path', '<sip:p1.example.com;lr>,<sip:p2.example.com;lr>'],
      ['Service-Route', '<sip:orig@s.example.com;lr>'],
      ['P-Asserted-Identity', '"Cullen" <sip:fluffy@cisco.com>, tel:+14085264000'],
      ['b', '<sip:referrer@atlanta.example.com>'],
    ]);
    expect(m.typed(AllowEventsHeader)).toEqual(['presence', 'dialog', 'refer']);
    expect(m.typed(PathHeader).map((p) => p.uri.toString())).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    expect(m.typed(ServiceRouteHeader)).toHaveLength(1);
    expect(m.typed(PAssertedIdentityHeader).map((p) => p.uri.kind)).toEqual(['sip', 'tel']);
    expect(m.typed(ReferredByHeader)?.uri.toString()).toBe('sip:referrer@atlanta.example.com');
  });

  it('refuses a repeated single-value header', () => {
    const m = request([
      ['Expires', '10'],
      ['Expires', '20'],
    ]);
    expect(() => m.expires).toThrow(expect.objectContaining({ name: 'SipParseError', reason: 'Duplicate Expires header field' }));
    expect(() => m.expires).toThrow(SipParseError);
  });

  it('gives an empty list or undefined for an absent header', () => {
    const m = request([]);
    expect(m.via).toEqual([]);
    expect(m.topVia).toBeUndefined();
    expect(m.contacts).toEqual([]);
    expect(m.wwwAuthenticate).toEqual([]);
    expect(m.expires).toBeUndefined();
    expect(m.event).toBeUndefined();
    expect(() => m.from).toThrow(expect.objectContaining({ code: 'missing_header' }));
  });
});
