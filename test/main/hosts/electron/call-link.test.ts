import { describe, expect, it } from 'vitest';
import { CallLinkError, findCallLink, parseCallLink } from '../../../../main/hosts/electron/call-link.js';

describe('call links: accepted, with the target dialled', () => {
  it.each([
    // RFC 3966 global numbers, visual separators removed.
    ['tel:+1-201-555-0123', '+12015550123'],
    ['tel:+1.201.555.0123', '+12015550123'],
    ['tel:+44(0)20%207946%200958', '+4402079460958'],
    ['TEL:+33123456789', '+33123456789'],
    // Local numbers and service codes; `#` arrives percent-encoded.
    ['tel:7042;phone-context=example.com', '7042'],
    ['tel:*21%23', '*21#'],
    ['tel:+1-201-555-0123;ext=22', '+12015550123'],
    // SIP and SIPS URIs: lower-cased host, kept parameters only.
    ['sip:alice@example.com', 'sip:alice@example.com'],
    ['sip:alice@Example.COM:5070;transport=TCP', 'sip:alice@example.com:5070;transport=tcp'],
    ['sips:bob@example.com', 'sips:bob@example.com'],
    ['sip:bob@192.0.2.4', 'sip:bob@192.0.2.4'],
    ['sip:bob@[2001:DB8::1]:5060', 'sip:bob@[2001:db8::1]:5060'],
    ['sip:example.com', 'sip:example.com'],
    ['sip:bob@example.com;maddr=203.0.113.9;lr;ttl=1', 'sip:bob@example.com'],
    ['sip:+1-201-555-0123@example.com;user=phone', 'sip:+12015550123@example.com;user=phone'],
    ['sip:%2A67%23@example.com', 'sip:*67%23@example.com'],
    ['sip:o%27brien@example.com', "sip:o'brien@example.com"],
    // callto: numbers, addresses and the old `callto://name` form.
    ['callto:+1 201', undefined],
    ['callto:+1%20201%20555%200123', '+12015550123'],
    ['callto://alice', 'alice'],
    ['callto:alice@example.com', 'sip:alice@example.com'],
    ['callto://+12015550123/', '+12015550123'],
  ])('%s → %s', (link, target) => {
    if (target === undefined) expect(() => parseCallLink(link)).toThrow(CallLinkError);
    else expect(parseCallLink(link).target).toBe(target);
  });
});

describe('call links: refused', () => {
  it.each([
    // Header injection through URI headers (RFC 3261 §19.1.5), even encoded inside the user.
    ['sip:bob@example.com?Route=%3Csip:evil.example%3E', /headers/],
    ['sip:bob@example.com?subject=hi', /headers/],
    ['tel:+15551234?body=x', /headers/],
    ['sip:bob%0d%0aRoute%3A%20x@example.com', /control/],
    ['sip:bob%0d%0aRoute:%20x@example.com', /password/],
    ['sip:bob%3F@example.com', /characters/],
    ['sip:bob%40evil@example.com', /characters/],
    ['sip:alice;tag=x@evil.example', /characters/],
    // Other schemes and shapes.
    ['http://example.com/', /not a call link/],
    ['javascript:alert(1)', /not a call link/],
    ['sipx:bob@example.com', /not a call link/],
    ['', /not a call link|spaces/],
    ['sip:bob:secret@example.com', /password/],
    ['sip:bob@example.com#frag', /fragment/],
    ['tel:*21#', /fragment/],
    ['sip:bob@exa mple.com', /spaces/],
    ['sip:bob@exämple.com', /non-ASCII/],
    ['sip:bob@-example.com', /host/],
    ['sip:bob@example.com:70000', /port/],
    ['sip:bob@1.2.3', /host/],
    ['sip:@example.com', /empty user/],
    ['sip:bob@example.com;transport=carrier-pigeon', /transport/],
    ['tel:', /telephone number/],
    ['tel:+', /telephone number/],
    ['tel:+1-800-FLOWERS', /telephone number/],
    [`tel:+${'1'.repeat(40)}`, /telephone number/],
    ['tel:%E0%A4%A', /percent/],
    ['callto:%00', /control/],
  ])('%s', (link, reason) => {
    expect(() => parseCallLink(link)).toThrow(reason);
  });

  it('refuses links longer than 2048 characters', () => {
    expect(() => parseCallLink(`sip:${'a'.repeat(2100)}@example.com`)).toThrow(/too long/);
  });
});

describe('findCallLink', () => {
  it('finds the link among Electron and Chromium arguments, whatever the case of its scheme', () => {
    expect(findCallLink(['/opt/Softphone/softphone', '--no-sandbox', 'SIP:bob@example.com'])).toBe('SIP:bob@example.com');
    expect(findCallLink(['C:\\Softphone\\Softphone.exe', '--', 'tel:+15551234'])).toBe('tel:+15551234');
    expect(findCallLink(['softphone', '--data-dir', '/tmp/x', 'C:\\tel:x'])).toBeUndefined();
    expect(findCallLink(['softphone', 'https://example.com'])).toBeUndefined();
  });
});
