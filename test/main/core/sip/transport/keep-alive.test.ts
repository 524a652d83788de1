import { afterEach, describe, expect, it } from 'vitest';
import { LayerSet, destination, rawTcpClient, rawTcpServer, request, sleep, waitFor } from './transport-fixtures.js';

const layers = new LayerSet();
afterEach(() => layers.closeAll());

describe('CRLF keep-alive on stream flows (RFC 5626 §3.5.1, §4.4.1)', () => {
  it('as a client, pings at the interval and keeps the flow while pongs come back', async () => {
    let pings = 0;
    const server = await rawTcpServer('127.0.0.1', (socket, chunk) => {
      if (chunk === '\r\n\r\n') {
        pings++;
        socket.write('\r\n');
      }
    });
    layers.onClose(() => server.server.close());
    const alice = layers.make({ keepAlive: { intervalMs: 40, pongTimeoutMs: 80 } });
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', server.port));
    await waitFor('three pings', () => pings >= 3);
    await sleep(100);
    expect(alice.delegate.failedFlows).toEqual([]);
    expect(alice.layer.connectionCount).toBe(1);
  });

  it('as a client, reports the flow failed and closes it when no pong comes', async () => {
    const server = await rawTcpServer('127.0.0.1');
    layers.onClose(() => server.server.close());
    const alice = layers.make({ keepAlive: { intervalMs: 40, pongTimeoutMs: 60 } });
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', server.port));
    await waitFor('the failure', () => alice.delegate.failedFlows.length === 1);
    expect(alice.delegate.failedFlows[0]).toMatchObject({ transport: 'tcp', remoteAddress: '127.0.0.1', remotePort: server.port });
    expect(alice.layer.connectionCount).toBe(0);
    expect(server.received.join('')).toContain('\r\n\r\n');
  });

  it('as a server, answers a ping with a pong', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const client = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => client.socket.destroy());
    client.socket.write('\r\n\r\n');
    await waitFor('the pong', () => client.received() === '\r\n');
    expect(bob.delegate.malformed).toEqual([]);
    expect(client.closed()).toBe(false);
  });

  it('pings between two layers over TCP without failing', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'tcp', address: '::1' });
    const alice = layers.make({ keepAlive: { intervalMs: 30, pongTimeoutMs: 60 } });
    await alice.layer.send(request({ viaHost: '[::1]', viaPort: 5060, transport: 'TCP' }), destination('tcp', '::1', b.port));
    await sleep(250);
    expect(alice.delegate.failedFlows).toEqual([]);
    expect(alice.layer.connectionCount).toBe(1);
    expect(bob.layer.connectionCount).toBe(1);
  });
});
