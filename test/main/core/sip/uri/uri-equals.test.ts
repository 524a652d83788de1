import { describe, expect, it } from 'vitest';
import { parseUri, uriEquals } from '../../../../../main/core/sip/index.js';

const equal = (a: string, b: string) => uriEquals(parseUri(a), parseUri(b));

describe('uriEquals for SIP URIs (RFC 3261 §19.1.4)', () => {
  it.each([
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
    ['sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'],
    ['sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'],
    ['sip:user@[2001:db8::192.0.2.1]', 'sip:user@[2001:DB8:0:0::C000:201]'],
  ])('§19.1.4 equivalent: %s = %s', (a, b) => {
    expect(equal(a, b)).toBe(true);
    expect(equal(b, a)).toBe(true);
  });

  it.each([
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP', 'different usernames'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060', 'can resolve to different ports'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp', 'can resolve to different transports'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp', 'different port and transport'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting', 'different header component'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4', 'a host name is not its address'],
    ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off', 'a parameter in both must match'],
    ['sip:alice@atlanta.com', 'sips:alice@atlanta.com', 'sip and sips'],
    ['sip:alice@atlanta.com', 'sip:alice:pw@atlanta.com', 'password in one only'],
    ['sip:atlanta.com', 'sip:alice@atlanta.com', 'user in one only'],
    ['sip:a@h;user=phone', 'sip:a@h', 'user parameter in one only'],
    ['sip:a@h;ttl=1', 'sip:a@h', 'ttl in one only'],
    ['sip:a@h;method=INVITE', 'sip:a@h', 'method in one only'],
    ['sip:a@h;maddr=192.0.2.1', 'sip:a@h', 'maddr in one only'],
    ['sip:a%3Bb@h', 'sip:a;b@h', 'an escaped reserved character is not the character'],
    ['sip:a@h?x=1', 'sip:a@h?x=1&y=2', 'one more header'],
    ['sip:a@h?x=A', 'sip:a@h?x=a', 'header values keep their case'],
  ])('§19.1.4 not equivalent: %s ≠ %s (%s)', (a, b) => {
    expect(equal(a, b)).toBe(false);
    expect(equal(b, a)).toBe(false);
  });
});

describe('uriEquals for tel and other URIs', () => {
  it.each([
    ['tel:+1-201-555-0123', 'tel:+12015550123'],
    ['tel:+1(201)555.0123;EXT=1-2', 'tel:+12015550123;ext=12'],
    ['tel:7042;phone-context=Example.com', 'tel:7042;phone-context=example.com'],
    ['tel:7042;phone-context=+1-201', 'tel:7042;phone-context=+1201'],
    ['tel:+1;a=1;b=2', 'tel:+1;b=2;a=1'],
    ['mailto:alice@atlanta.com', 'MAILTO:alice@atlanta.com'],
    ['urn:a:%62', 'urn:a:b'],
  ])('RFC 3966 §4 / RFC 3986: %s = %s', (a, b) => {
    expect(equal(a, b)).toBe(true);
  });

  it.each([
    ['tel:+7042', 'tel:7042;phone-context=example.com'],
    ['tel:+1;a=1', 'tel:+1'],
    ['tel:+1;a=1', 'tel:+1;a=2'],
    ['tel:+1', 'sip:+1@h;user=phone'],
    ['mailto:a@b', 'mailto:A@b'],
  ])('%s ≠ %s', (a, b) => {
    expect(equal(a, b)).toBe(false);
  });
});
