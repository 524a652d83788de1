import { describe, expect, it } from 'vitest';
import { parseVia } from '../../../../../main/core/sip/messages/index.js';
import { responseTarget } from '../../../../../main/core/sip/transport/response-routing.js';
import { stampedVia } from '../../../../../main/core/sip/transport/received-via.js';

const via = (text: string) => parseVia(text)[0]!;

describe('response routing (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  const table: [string, string, { transport: string; address: string; port: number } | undefined][] = [
    ['unreliable: received and sent-by port', 'SIP/2.0/UDP host.test:5070;branch=z9hG4bK1;received=192.0.2.1', { transport: 'udp', address: '192.0.2.1', port: 5070 }],
    ['unreliable: received and rport', 'SIP/2.0/UDP host.test:5070;branch=z9hG4bK1;received=192.0.2.1;rport=40000', { transport: 'udp', address: '192.0.2.1', port: 40000 }],
    ['unreliable: default port 5060', 'SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK1', { transport: 'udp', address: '192.0.2.9', port: 5060 }],
    ['maddr: there, sent-by port', 'SIP/2.0/UDP 192.0.2.9:5080;branch=z9hG4bK1;maddr=239.255.255.1;received=192.0.2.1', { transport: 'udp', address: '239.255.255.1', port: 5080 }],
    ['reliable: received and sent-by port', 'SIP/2.0/TCP host.test:5090;branch=z9hG4bK1;received=192.0.2.1;rport=40000', { transport: 'tcp', address: '192.0.2.1', port: 5090 }],
    ['TLS: default port 5061', 'SIP/2.0/TLS [2001:db8::1];branch=z9hG4bK1', { transport: 'tls', address: '2001:db8::1', port: 5061 }],
    ['a host name needs DNS (RFC 3263 §5): no target', 'SIP/2.0/UDP host.test;branch=z9hG4bK1', undefined],
    ['a transport we do not speak', 'SIP/2.0/SCTP 192.0.2.1;branch=z9hG4bK1', undefined],
  ];
  for (const [name, text, expected] of table) {
    it(name, () => {
      expect(responseTarget(via(text))).toEqual(expected);
    });
  }
});

describe('received and rport on a received request (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it('adds nothing when sent-by is the source and rport was not asked for', () => {
    expect(stampedVia(via('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1'), '192.0.2.1', 5060)).toBeUndefined();
  });
  it('compares IPv6 sent-by without brackets or case', () => {
    expect(stampedVia(via('SIP/2.0/UDP [2001:DB8::1]:5060;branch=z9hG4bK1'), '2001:db8::1', 5060)).toBeUndefined();
  });
  it('adds received when sent-by is another host', () => {
    expect(stampedVia(via('SIP/2.0/UDP pc.test;branch=z9hG4bK1'), '192.0.2.1', 5062)?.toString()).toBe(
      'SIP/2.0/UDP pc.test;branch=z9hG4bK1;received=192.0.2.1',
    );
  });
  it('fills an empty rport and adds received even when equal', () => {
    expect(stampedVia(via('SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1'), '192.0.2.1', 4000)?.toString()).toBe(
      'SIP/2.0/UDP 192.0.2.1:5060;rport=4000;branch=z9hG4bK1;received=192.0.2.1',
    );
  });
  it('leaves an rport that already has a value', () => {
    expect(stampedVia(via('SIP/2.0/UDP 192.0.2.1:5060;rport=7;branch=z9hG4bK1'), '192.0.2.1', 4000)).toBeUndefined();
  });
});
