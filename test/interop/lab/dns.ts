/**
 * DNS for tests against the lab: a stub that points lab.test at the lab's Kamailio by SRV
 * (RFC 3263 §4.2), so the phone locates it the way it would locate a real provider, and no
 * test ever asks a real resolver.
 */
import { StubDnsResolver } from '../../../main/core/sip/locator/index.js';
import type { Kamailio } from './kamailio.js';

export function labDns(kamailio: Pick<Kamailio, 'udpPort' | 'tcpPort'>): StubDnsResolver {
  return new StubDnsResolver({
    SRV: {
      '_sip._udp.lab.test': [{ priority: 10, weight: 0, port: kamailio.udpPort, name: 'registrar.lab.test' }],
      '_sip._tcp.lab.test': [{ priority: 10, weight: 0, port: kamailio.tcpPort, name: 'registrar.lab.test' }],
    },
    A: { 'registrar.lab.test': ['127.0.0.1'] },
  });
}
