import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LocatorError, ServerLocator, StubDnsResolver } from '../../../../../main/core/sip/locator/index.js';
import { parseVia, SipResponse } from '../../../../../main/core/sip/messages/index.js';
import type { Flow } from '../../../../../main/core/sip/transport/flow.js';
import { responseLocatorTarget } from '../../../../../main/core/sip/transport/response-routing.js';
import { LayerSet, rawTcpServer, rawUdp, waitFor } from './transport-fixtures.js';

const via = (text: string) => parseVia(text)[0]!;

const layers = new LayerSet();
afterEach(() => layers.closeAll());

/** A response whose top Via is `viaText`, as the transaction layer would hand it down. */
function response(viaText: string): SipResponse {
  return new SipResponse({
    status: 200,
    headers: [
      ['Via', viaText],
      ['From', '<sip:alice@example.test>;tag=a1'],
      ['To', '<sip:bob@example.test>;tag=b1'],
      ['Call-ID', 'locator@example.test'],
      ['CSeq', '1 OPTIONS'],
    ],
  });
}

/** The flow of a request whose connection (or socket) is no longer there. */
function goneFlow(transport: Flow['transport'], localPort = 1): Flow {
  return { id: `${transport}#gone`, transport, localAddress: '127.0.0.1', localPort, remoteAddress: '192.0.2.1', remotePort: 1 };
}

async function closedTcpPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('what to ask RFC 3263 §5 for a Via host name', () => {
  const table: [string, string, object | undefined][] = [
    ['sent-by name and port: A/AAAA at that port', 'SIP/2.0/UDP pc.test:5070;branch=z9hG4bK1', { host: 'pc.test', port: 5070, transport: 'udp', secure: false }],
    ['sent-by name, no port: SRV for the transport', 'SIP/2.0/TCP pc.test;branch=z9hG4bK1', { host: 'pc.test', transport: 'tcp', secure: false }],
    ['TLS: _sips SRV', 'SIP/2.0/TLS pc.test;branch=z9hG4bK1', { host: 'pc.test', transport: 'tls', secure: true }],
    ['maddr name over UDP: the sent-by port or 5060', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;maddr=group.test', { host: 'group.test', port: 5060, transport: 'udp', secure: false }],
    ['received (an address) wins: nothing to resolve', 'SIP/2.0/UDP pc.test;branch=z9hG4bK1;received=192.0.2.1', undefined],
    ['an IP literal: nothing to resolve', 'SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1', undefined],
    ['a transport we do not speak', 'SIP/2.0/SCTP pc.test;branch=z9hG4bK1', undefined],
  ];
  for (const [name, text, expected] of table) {
    it(name, () => {
      expect(responseLocatorTarget(via(text))).toEqual(expected);
    });
  }
});

describe('a response to a Via with a host name (RFC 3261 §18.2.2, RFC 3263 §5)', () => {
  it('without a locator, is refused with bad_message as before', async () => {
    const bob = layers.make();
    await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    await expect(bob.layer.sendResponse(response('SIP/2.0/UDP alice.test:5060;branch=z9hG4bK1'), goneFlow('udp'))).rejects.toMatchObject({
      name: 'TransportError',
      code: 'bad_message',
    });
  });

  it('over UDP, sent-by with a port: A lookup, sent there from the request socket', async () => {
    const peer = await rawUdp('127.0.0.1');
    layers.onClose(() => peer.socket.close());
    const dns = new StubDnsResolver({ A: { 'alice.test': ['127.0.0.1'] } });
    const bob = layers.make({ locator: new ServerLocator({ resolver: dns }) });
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    await bob.layer.sendResponse(response(`SIP/2.0/UDP alice.test:${peer.port};branch=z9hG4bK1`), goneFlow('udp', b.port));
    await waitFor('the response', () => peer.received.length === 1);
    expect(peer.received[0]).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(dns.queries).toContain('A alice.test');
    expect(dns.queries.some((q) => q.startsWith('SRV'))).toBe(false);
    expect(bob.delegate.logs.at(-1)).toMatchObject({ direction: 'out', transport: 'udp', remoteAddress: '127.0.0.1', remotePort: peer.port, localPort: b.port });
  });

  it('over TCP, sent-by without a port: SRV, the first target refused, the next one used', async () => {
    const answerPort = await rawTcpServer('127.0.0.1');
    layers.onClose(() => answerPort.server.close());
    const dead = await closedTcpPort();
    const dns = new StubDnsResolver({
      SRV: {
        '_sip._tcp.alice.test': [
          { priority: 1, weight: 0, port: dead, name: 'dead.alice.test' },
          { priority: 2, weight: 0, port: answerPort.port, name: 'live.alice.test' },
        ],
      },
      A: { 'dead.alice.test': ['127.0.0.1'], 'live.alice.test': ['127.0.0.1'] },
    });
    const bob = layers.make({ locator: new ServerLocator({ resolver: dns }) });
    await bob.layer.sendResponse(response('SIP/2.0/TCP alice.test;branch=z9hG4bK1'), goneFlow('tcp'));
    await waitFor('the 200 on the second target', () => answerPort.received.join('').startsWith('SIP/2.0 200 OK'));
    expect(dns.queries).toContain('SRV _sip._tcp.alice.test');
    expect(bob.layer.connectionCount).toBe(1);
  });

  it('rejects with the last transport error when no destination works', async () => {
    const dead = await closedTcpPort();
    const dns = new StubDnsResolver({ A: { 'alice.test': ['127.0.0.1'] } });
    const bob = layers.make({ locator: new ServerLocator({ resolver: dns }) });
    await expect(bob.layer.sendResponse(response(`SIP/2.0/TCP alice.test:${dead};branch=z9hG4bK1`), goneFlow('tcp'))).rejects.toMatchObject({
      name: 'TransportError',
      code: 'connection_refused',
    });
  });

  it('rejects with bad_message, the locator error as cause, when the name does not resolve', async () => {
    const bob = layers.make({ locator: new ServerLocator({ resolver: new StubDnsResolver() }) });
    await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const sending = bob.layer.sendResponse(response('SIP/2.0/UDP nowhere.test:5060;branch=z9hG4bK1'), goneFlow('udp'));
    await expect(sending).rejects.toMatchObject({ name: 'TransportError', code: 'bad_message' });
    await expect(sending).rejects.toSatisfy((e: Error) => e.cause instanceof LocatorError);
  });

  it('with a locator, a Via with an IP literal is still sent without DNS', async () => {
    const dns = new StubDnsResolver();
    const bob = layers.make({ locator: new ServerLocator({ resolver: dns }) });
    await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const peer = await rawUdp('127.0.0.1');
    layers.onClose(() => peer.socket.close());
    await bob.layer.sendResponse(response(`SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK1`), goneFlow('udp'));
    await waitFor('the response', () => peer.received.length === 1);
    expect(dns.queries).toEqual([]);
  });
});
