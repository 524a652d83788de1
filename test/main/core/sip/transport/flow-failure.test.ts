import { afterEach, describe, expect, it } from 'vitest';
import { LayerSet, destination, rawTcpClient, rawTcpServer, request, sleep, waitFor } from './transport-fixtures.js';

const layers = new LayerSet();
afterEach(() => layers.closeAll());

/** Alice's layer with one TCP connection she opened to a raw peer (the registrar). */
async function aliceConnected(options: Parameters<LayerSet['make']>[0] = {}) {
  const peer = await rawTcpServer('127.0.0.1');
  layers.onClose(() => peer.server.close());
  const alice = layers.make(options);
  await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', peer.port));
  await waitFor('the connection at the peer', () => peer.sockets.length === 1);
  const flow = alice.layer.flowTo(destination('tcp', '127.0.0.1', peer.port));
  if (flow === undefined) throw new Error('no flow to the peer');
  return { peer, alice, flow };
}

describe('flow failure on stream flows we opened (RFC 5626 §4.4)', () => {
  it('the registrar closes a connection in use: the flow is reported failed', async () => {
    const { peer, alice, flow } = await aliceConnected();
    peer.sockets[0]!.end();
    await waitFor('the failure', () => alice.delegate.failedFlows.length === 1);
    expect(alice.delegate.failedFlows[0]).toEqual(flow);
    expect(alice.layer.connectionCount).toBe(0);
    expect(alice.layer.flowTo(destination('tcp', '127.0.0.1', peer.port))).toBeUndefined();
  });

  it('the registrar resets the connection: the flow is reported failed', async () => {
    const { peer, alice, flow } = await aliceConnected();
    peer.sockets[0]!.resetAndDestroy();
    await waitFor('the failure', () => alice.delegate.failedFlows.length === 1);
    expect(alice.delegate.failedFlows[0]!.id).toBe(flow.id);
  });

  it('a retained flow idle past the idle timeout is still reported when the peer closes it', async () => {
    const { peer, alice, flow } = await aliceConnected({ idleTimeoutMs: 80 });
    expect(alice.layer.retainFlow(flow.id)).toBe(true);
    await sleep(250);
    expect(alice.layer.connectionCount).toBe(1);
    peer.sockets[0]!.destroy();
    await waitFor('the failure', () => alice.delegate.failedFlows.length === 1);
  });

  it('our own idle close is no failure', async () => {
    const { peer, alice } = await aliceConnected({ idleTimeoutMs: 80 });
    await waitFor('the idle close', () => alice.layer.connectionCount === 0);
    await waitFor('the close at the peer', () => peer.sockets[0]!.destroyed || peer.sockets[0]!.readableEnded);
    await sleep(50);
    expect(alice.delegate.failedFlows).toEqual([]);
  });

  it('closing a retained flow ourselves (network change) is no failure; the next send opens a new connection', async () => {
    const { peer, alice, flow } = await aliceConnected();
    expect(alice.layer.retainFlow(flow.id)).toBe(true);
    alice.layer.closeFlow(flow.id);
    await waitFor('the close at the peer', () => peer.sockets[0]!.destroyed || peer.sockets[0]!.readableEnded);
    expect(alice.layer.connectionCount).toBe(0);
    expect(alice.layer.flowTo(destination('tcp', '127.0.0.1', peer.port))).toBeUndefined();
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', peer.port));
    await waitFor('a second connection', () => peer.sockets.length === 2);
    expect(alice.layer.flowTo(destination('tcp', '127.0.0.1', peer.port))!.id).not.toBe(flow.id);
    await sleep(50);
    expect(alice.delegate.failedFlows).toEqual([]);
    alice.layer.closeFlow('no such flow');
  });

  it('closing the layer is no failure', async () => {
    const { alice } = await aliceConnected();
    await alice.layer.close();
    await sleep(50);
    expect(alice.delegate.failedFlows).toEqual([]);
  });

  it('a connection the peer opened to us and closes is no failure of ours', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const client = await rawTcpClient('127.0.0.1', b.port);
    await waitFor('the connection', () => bob.layer.connectionCount === 1);
    client.socket.end();
    await waitFor('the close', () => bob.layer.connectionCount === 0);
    await sleep(50);
    expect(bob.delegate.failedFlows).toEqual([]);
  });

  it('flowTo names the connection a send reuses, and nothing for UDP', async () => {
    const { peer, alice, flow } = await aliceConnected();
    expect(flow).toMatchObject({ transport: 'tcp', remoteAddress: '127.0.0.1', remotePort: peer.port });
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', peer.port));
    expect(alice.layer.connectionCount).toBe(1);
    expect(alice.layer.flowTo(destination('tcp', '127.0.0.1', peer.port))?.id).toBe(flow.id);
    expect(alice.layer.flowTo(destination('udp', '127.0.0.1', peer.port))).toBeUndefined();
  });
});

describe('keep-alive interval (RFC 5626 §4.4.1: random, 80–100 %)', () => {
  it('waits between minIntervalMs and intervalMs before each ping', async () => {
    const pings: number[] = [];
    const peer = await rawTcpServer('127.0.0.1', (socket, chunk) => {
      if (chunk === '\r\n\r\n') {
        pings.push(Date.now());
        socket.write('\r\n');
      }
    });
    layers.onClose(() => peer.server.close());
    const alice = layers.make({ keepAlive: { minIntervalMs: 60, intervalMs: 100, pongTimeoutMs: 200 } });
    const opened = Date.now();
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', peer.port));
    await waitFor('four pings', () => pings.length >= 4);
    const gaps = [pings[0]! - opened, ...pings.slice(1).map((t, i) => t - pings[i]!)];
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(55);
    // Timers can only be late, so no upper bound per gap; on average, within the range.
    expect((pings.at(-1)! - opened) / pings.length).toBeLessThan(160);
    expect(alice.delegate.failedFlows).toEqual([]);
  });
});
