import { describe, expect, it } from 'vitest';
import { SipParseError, SipUri, parseReplaces } from '../../../../../../main/core/sip/index.js';

describe('Replaces (RFC 3891 §6.1)', () => {
  it('reads the Call-ID and the tags', () => {
    const r = parseReplaces('98732@sip.example.com ;from-tag=r33th4x0r;to-tag=ff87ff;early-only');
    expect(r.callId).toBe('98732@sip.example.com');
    expect(r.fromTag).toBe('r33th4x0r');
    expect(r.toTag).toBe('ff87ff');
    expect(r.earlyOnly).toBe(true);
    expect(r.toString()).toBe('98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only');
  });

  it('reads the value escaped in a Refer-To URI (RFC 3891 §6.1, RFC 3515)', () => {
    const uri = SipUri.parse('sip:bob@example.com?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994');
    const value = uri.headers.find((h) => h.name === 'Replaces')?.value ?? '';
    const r = parseReplaces(value);
    expect(r).toMatchObject({ callId: '12345@192.168.118.3' });
    expect(r.toTag).toBe('12345');
    expect(r.fromTag).toBe('5FFE-3994');
    expect(r.earlyOnly).toBe(false);
  });

  it.each(['', ';to-tag=1', 'a b;to-tag=1', 'a@;to-tag=1', 'a;to-tag='])('refuses %j', (value) => {
    expect(() => parseReplaces(value)).toThrow(SipParseError);
  });
});
