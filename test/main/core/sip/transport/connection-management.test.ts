import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UDP_SIZE_THRESHOLD } from '../../../../../main/core/sip/transport/transport-layer.js';
import { LayerSet, destination, rawTcpClient, request, requestText, responseTo, sleep, waitFor } from './transport-fixtures.js';

const layers = new LayerSet();
afterEach(() => layers.closeAll());

/** A port with a UDP listener bound by `bind` and (at the time of asking) no TCP listener. */
async function udpOnlyPort(bind: (port: number) => Promise<unknown>): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    try {
      await bind(port);
      return port;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

describe('a large request whose TCP connection fails goes over UDP after all (§18.1.1)', () => {
  it('TCP refused: sent over UDP with a UDP Via, and UDP again next time without trying TCP', async () => {
    const alice = layers.make();
    const bob = layers.make();
    await alice.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const port = await udpOnlyPort((p) => bob.layer.listen({ transport: 'udp', address: '127.0.0.1', port: p }));
    const big = () => request({ viaHost: '127.0.0.1', viaPort: 5060, body: 'x'.repeat(UDP_SIZE_THRESHOLD) });
    const first = big();
    await alice.layer.send(first, destination('udp', '127.0.0.1', port));
    await waitFor('the large request', () => bob.delegate.requests().length === 1);
    const got = bob.delegate.requests()[0]!;
    expect(got.source.transport).toBe('udp');
    expect(got.request.topVia?.transport).toBe('UDP');
    expect(first.topVia?.transport).toBe('UDP');
    expect(alice.layer.connectionCount).toBe(0);
    // Now TCP listens there too, but the failure is remembered for a while.
    await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1', port });
    await alice.layer.send(big(), destination('udp', '127.0.0.1', port));
    await waitFor('the second one', () => bob.delegate.requests().length === 2);
    expect(bob.delegate.requests()[1]!.source.transport).toBe('udp');
    // Not for other destinations.
    const carol = layers.make();
    const c = await carol.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    await carol.layer.listen({ transport: 'udp', address: '127.0.0.1', port: c.port });
    await alice.layer.send(big(), destination('udp', '127.0.0.1', c.port));
    await waitFor('carol gets it', () => carol.delegate.requests().length === 1);
    expect(carol.delegate.requests()[0]!.source.transport).toBe('tcp');
  });

  it('a request to a TCP destination is not retried over UDP', async () => {
    const alice = layers.make();
    const bob = layers.make();
    await alice.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const port = await udpOnlyPort((p) => bob.layer.listen({ transport: 'udp', address: '127.0.0.1', port: p }));
    const big = request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP', body: 'x'.repeat(UDP_SIZE_THRESHOLD) });
    await expect(alice.layer.send(big, destination('tcp', '127.0.0.1', port))).rejects.toMatchObject({ code: 'connection_refused' });
    await sleep(50);
    expect(bob.delegate.received).toEqual([]);
  });

  it('without a UDP listening point the UDP retry fails with no_listening_point', async () => {
    const alice = layers.make();
    const sink = dgram.createSocket('udp4');
    layers.onClose(() => sink.close());
    const port = await udpOnlyPort((p) => new Promise<void>((resolve, reject) => {
      sink.once('error', reject);
      sink.bind(p, '127.0.0.1', () => resolve());
    }));
    const big = request({ viaHost: '127.0.0.1', viaPort: 5060, body: 'x'.repeat(UDP_SIZE_THRESHOLD) });
    await expect(alice.layer.send(big, destination('udp', '127.0.0.1', port))).rejects.toMatchObject({ code: 'no_listening_point' });
  });
});

describe('the connection limit (maxConnections)', () => {
  it('closes the least recently used idle connection to open a new one', async () => {
    const alice = layers.make({ maxConnections: 2 });
    const peers = [layers.make(), layers.make(), layers.make()];
    const points = await Promise.all(peers.map((p) => p.layer.listen({ transport: 'tcp', address: '127.0.0.1' })));
    const sendTo = (i: number) =>
      alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', points[i]!.port));
    await sendTo(0);
    await sleep(20);
    await sendTo(1);
    await sleep(20);
    await sendTo(0); // peer 0 is now the more recently used
    await waitFor('three requests', () => peers[0]!.delegate.requests().length === 2 && peers[1]!.delegate.requests().length === 1);
    await sleep(20);
    await sendTo(2);
    await waitFor('peer 2 gets it', () => peers[2]!.delegate.requests().length === 1);
    expect(alice.layer.connectionCount).toBe(2);
    await waitFor('peer 1 sees its connection closed', () => peers[1]!.layer.connectionCount === 0);
    expect(peers[0]!.layer.connectionCount).toBe(1);
  });

  it('does not close a connection holding part of a message', async () => {
    const bob = layers.make({ maxConnections: 1 });
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const first = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => first.socket.destroy());
    first.socket.write('OPTIONS sip:bob@example.test SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1');
    await waitFor('bob has it', () => bob.layer.connectionCount === 1);
    await sleep(30);
    const second = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => second.socket.destroy());
    await waitFor('the second is refused', () => second.closed());
    expect(first.closed()).toBe(false);
  });

  it('counts connections peers open, and makes room among them', async () => {
    const bob = layers.make({ maxConnections: 2 });
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const clients: Awaited<ReturnType<typeof rawTcpClient>>[] = [];
    for (let i = 0; i < 2; i++) {
      const client = await rawTcpClient('127.0.0.1', b.port);
      layers.onClose(() => client.socket.destroy());
      client.socket.write(requestText({ viaHost: '127.0.0.1', viaPort: 9, transport: 'TCP' }));
      await waitFor('the request', () => bob.delegate.requests().length === i + 1);
      await sleep(20);
      clients.push(client);
    }
    // Bob's own connection out counts too: the oldest (client 0) makes room for it.
    const carol = layers.make();
    const c = await carol.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    await bob.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', c.port));
    await waitFor('client 0 closed', () => clients[0]!.closed());
    expect(clients[1]!.closed()).toBe(false);
    expect(bob.layer.connectionCount).toBe(2);
    expect(bob.delegate.malformed).toEqual([]);
  });

  it('refuses a peer when every connection is held, and reports it', async () => {
    const bob = layers.make({ maxConnections: 1 });
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const first = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => first.socket.destroy());
    first.socket.write(requestText({ viaHost: '127.0.0.1', viaPort: 9, transport: 'TCP' }));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    const { request: got, source } = bob.delegate.requests()[0]!;
    expect(bob.layer.retainFlow(source.id)).toBe(true);
    const second = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => second.socket.destroy());
    const secondPort = second.socket.localPort;
    await waitFor('the second is refused', () => second.closed());
    expect(bob.delegate.malformed).toMatchObject([
      { reason: 'connection limit reached', action: 'disconnected', flow: { transport: 'tcp', remoteAddress: '127.0.0.1', remotePort: secondPort } },
    ]);
    expect(bob.delegate.logs.at(-1)?.error).toMatch(/connection limit/);
    // The held one still works.
    await bob.layer.sendResponse(responseTo(got), source);
    await waitFor('the 200', () => first.received().startsWith('SIP/2.0 200 OK'));
    expect(bob.layer.connectionCount).toBe(1);
  });
});
