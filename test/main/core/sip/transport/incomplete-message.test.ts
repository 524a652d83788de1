import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LayerSet, destination, rawTcpClient, request, requestText, sleep, waitFor } from './transport-fixtures.js';

const layers = new LayerSet();
afterEach(() => layers.closeAll());

/** RFC 4475 §3.1.2.2 clerr over a stream: Content-Length larger than what comes. */
function clerrOverTcp(): { head: string; whole: string } {
  const body = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n';
  const whole = requestText({ method: 'INVITE', viaHost: '127.0.0.1', viaPort: 9, transport: 'TCP', body });
  return { head: whole.slice(0, whole.length - 10), whole };
}

describe('a stream connection stuck in the middle of a message (RFC 4475 §3.1.2.2)', () => {
  it('waits for more data, then closes the connection and reports "incomplete message"', async () => {
    const bob = layers.make({ incompleteMessageTimeoutMs: 150 });
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const client = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => client.socket.destroy());
    const sentAt = Date.now();
    client.socket.write(clerrOverTcp().head);
    await waitFor('bob has the connection', () => bob.layer.connectionCount === 1);
    await sleep(60);
    expect(client.closed()).toBe(false);
    await waitFor('the disconnect', () => client.closed());
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(140);
    expect(bob.delegate.malformed).toMatchObject([{ reason: 'incomplete message', action: 'disconnected', count: 1, flow: { transport: 'tcp' } }]);
    expect(bob.delegate.logs.at(-1)?.error).toMatch(/^incomplete message/);
    expect(bob.delegate.requests()).toEqual([]);
    expect(bob.layer.connectionCount).toBe(0);
    // Nothing is answered: the request never arrived.
    expect(client.received()).toBe('');
  });

  it('each read restarts the wait, and a message completed in time is received', async () => {
    const bob = layers.make({ incompleteMessageTimeoutMs: 150 });
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const client = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => client.socket.destroy());
    const { whole } = clerrOverTcp();
    const parts = [whole.slice(0, 40), whole.slice(40, 120), whole.slice(120, whole.length - 5), whole.slice(whole.length - 5)];
    for (const part of parts) {
      client.socket.write(part);
      await sleep(100);
    }
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    expect(bob.delegate.malformed).toEqual([]);
    // Complete: nothing is pending any more, so the connection stays (the idle time is 120 s).
    await sleep(250);
    expect(client.closed()).toBe(false);
    expect(bob.layer.connectionCount).toBe(1);
  });

  it('a connection we opened is timed out the same way', async () => {
    const alice = layers.make({ incompleteMessageTimeoutMs: 100 });
    // A peer that answers with a response 45 bytes short.
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('SIP/2.0 200 OK\r\nContent-Length: 50\r\n\r\nshort');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    layers.onClose(() => server.close());
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', (server.address() as net.AddressInfo).port));
    await waitFor('the disconnect', () => alice.delegate.malformed.length === 1);
    expect(alice.delegate.malformed[0]).toMatchObject({ reason: 'incomplete message', action: 'disconnected' });
    expect(alice.layer.connectionCount).toBe(0);
  });
});
