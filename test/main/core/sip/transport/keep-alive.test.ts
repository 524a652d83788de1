import { afterEach, describe, expect, it } from 'vitest';
import { LayerSet, destination, rawTcpClient, rawTcpServer, request, requestText, sleep, waitFor } from './transport-fixtures.js';

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

  describe('a ping split across reads (RFC 5626 §4.4.1)', () => {
    async function server() {
      const bob = layers.make();
      const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
      const client = await rawTcpClient('127.0.0.1', b.port);
      layers.onClose(() => client.socket.destroy());
      return { bob, client };
    }

    it('"\\r\\n" then "\\r\\n" is one ping, answered with one pong', async () => {
      const { bob, client } = await server();
      client.socket.write('\r\n');
      await sleep(60);
      // Half a ping is not answered.
      expect(client.received()).toBe('');
      client.socket.write('\r\n');
      await waitFor('the pong', () => client.received() === '\r\n');
      await sleep(60);
      expect(client.received()).toBe('\r\n');
      expect(bob.delegate.malformed).toEqual([]);
    });

    it('counts the CRLFs of a run across reads: "\\r\\n" then "\\r\\n\\r\\n\\r\\n" is two pings', async () => {
      const { client } = await server();
      client.socket.write('\r\n');
      await sleep(60);
      client.socket.write('\r\n\r\n\r\n');
      await waitFor('two pongs', () => client.received() === '\r\n\r\n');
      await sleep(60);
      expect(client.received()).toBe('\r\n\r\n');
    });

    it('a message ends the run: a lone CRLF before it does not pair with one after it', async () => {
      const { bob, client } = await server();
      client.socket.write('\r\n');
      await sleep(40);
      client.socket.write(requestText({ viaHost: '127.0.0.1', viaPort: 9, transport: 'TCP' }));
      await waitFor('the request', () => bob.delegate.requests().length === 1);
      client.socket.write('\r\n');
      await sleep(80);
      expect(client.received()).toBe('');
    });

    it('as a client, a single CRLF while waiting for a pong is the pong', async () => {
      let pings = 0;
      const peer = await rawTcpServer('127.0.0.1', (socket, chunk) => {
        if (chunk === '\r\n\r\n') {
          pings++;
          socket.write('\r\n');
        }
      });
      layers.onClose(() => peer.server.close());
      const alice = layers.make({ keepAlive: { intervalMs: 40, pongTimeoutMs: 80 } });
      await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', peer.port));
      await waitFor('four pings', () => pings >= 4);
      expect(alice.delegate.failedFlows).toEqual([]);
      // Our own pongs would show up as extra "\r\n" at the peer: none were sent.
      expect(peer.received.filter((c) => c === '\r\n')).toEqual([]);
    });
  });
});
