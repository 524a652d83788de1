import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SipParseError } from '../../../../../main/core/sip/grammar/index.js';
import { parseMessage } from '../../../../../main/core/sip/messages/index.js';
import { UDP_SIZE_THRESHOLD } from '../../../../../main/core/sip/transport/transport-layer.js';
import { LayerSet, destination, rawTcpClient, rawTcpServer, request, requestText, responseTo, sleep, waitFor } from './transport-fixtures.js';

const layers = new LayerSet();
afterEach(() => layers.closeAll());

describe('TCP transport (RFC 3261 §18)', () => {
  for (const loopback of ['127.0.0.1', '::1']) {
    it(`alice sends a request over TCP and bob answers on the same connection, over ${loopback}`, async () => {
      const alice = layers.make();
      const bob = layers.make();
      const b = await bob.layer.listen({ transport: 'tcp', address: loopback });
      const sentBy = loopback.includes(':') ? `[${loopback}]` : loopback;
      await alice.layer.send(request({ viaHost: sentBy, viaPort: 5060, transport: 'TCP' }), destination('tcp', loopback, b.port));
      await waitFor('the request', () => bob.delegate.requests().length === 1);
      const { request: got, source } = bob.delegate.requests()[0]!;
      expect(source).toMatchObject({ transport: 'tcp', remoteAddress: loopback, localPort: b.port });
      // §18.2.2: on the connection the request came on, whatever sent-by says (port 5060 here).
      await bob.layer.sendResponse(responseTo(got), source);
      await waitFor('the response', () => alice.delegate.responses().length === 1);
      expect(alice.layer.connectionCount).toBe(1);
      expect(bob.layer.connectionCount).toBe(1);
    });
  }

  it('reuses one connection per remote, and a connection a peer opened for sending back to it', async () => {
    const alice = layers.make();
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const to = destination('tcp', '127.0.0.1', b.port);
    await Promise.all([1, 2, 3].map(() => alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), to)));
    await waitFor('three requests', () => bob.delegate.requests().length === 3);
    expect(new Set(bob.delegate.requests().map((r) => r.source.id)).size).toBe(1);
    expect(alice.layer.connectionCount).toBe(1);
    expect(bob.layer.connectionCount).toBe(1);
    // Bob sends a request of his own to alice's address and port as he sees them.
    const { source } = bob.delegate.requests()[0]!;
    await bob.layer.send(request({ method: 'NOTIFY', viaHost: '127.0.0.1', viaPort: b.port, transport: 'TCP' }), destination('tcp', source.remoteAddress, source.remotePort));
    await waitFor('alice gets the NOTIFY', () => alice.delegate.requests().length === 1);
    expect(alice.delegate.requests()[0]!.request.method).toBe('NOTIFY');
    expect(alice.layer.connectionCount).toBe(1);
    expect(bob.layer.connectionCount).toBe(1);
  });

  it('opens a new connection to received and the sent-by port when the request connection is gone (§18.2.2)', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const answerPort = await rawTcpServer('127.0.0.1');
    layers.onClose(() => answerPort.server.close());
    const client = await rawTcpClient('127.0.0.1', b.port);
    client.socket.write(requestText({ viaHost: '127.0.0.1', viaPort: answerPort.port, transport: 'TCP' }));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    client.socket.destroy();
    await waitFor('bob sees the close', () => bob.layer.connectionCount === 0);
    const { request: got, source } = bob.delegate.requests()[0]!;
    await bob.layer.sendResponse(responseTo(got), source);
    await waitFor('the 200 on a new connection', () => answerPort.received.join('').startsWith('SIP/2.0 200 OK'));
    expect(bob.layer.connectionCount).toBe(1);
  });

  it('answers a malformed request 400 on the same connection', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const client = await rawTcpClient('127.0.0.1', b.port);
    layers.onClose(() => client.socket.destroy());
    const bad = requestText({ viaHost: '127.0.0.1', viaPort: 9, transport: 'TCP' }).replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE');
    const expected = catchParse(bad);
    client.socket.write(bad);
    await waitFor('the 400', () => client.received().includes('\r\n\r\n'));
    const answer = parseMessage(client.received(), { framing: 'stream' });
    expect(answer.startLine).toBe(`SIP/2.0 400 ${expected.reason}`);
    expect(bob.delegate.malformed).toMatchObject([{ reason: expected.reason, action: 'answered' }]);
    // A malformed message that could be framed does not cost the connection.
    expect(client.closed()).toBe(false);
  });

  describe('a stream that cannot be framed is disconnected (§18.3)', () => {
    const cases: [string, string][] = [
      ['garbage', '\x16\x03\x01 this is not SIP\r\n\r\n'],
      ['a huge Content-Length', 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 99999999\r\n\r\n'],
      ['a header section over the limit', `OPTIONS sip:a@b SIP/2.0\r\n${'X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(200)}`],
    ];
    for (const [name, bytes] of cases) {
      it(name, async () => {
        const bob = layers.make({ limits: { maxMessageSize: 4096 } });
        const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
        const client = await rawTcpClient('127.0.0.1', b.port);
        client.socket.write(bytes);
        await waitFor('the disconnect', () => client.closed());
        expect(bob.delegate.malformed).toMatchObject([{ action: 'disconnected', count: 1 }]);
        expect(bob.layer.connectionCount).toBe(0);
        expect(bob.delegate.logs[0]?.error).toBeDefined();
      });
    }
  });

  it('sends a UDP request over 1300 bytes by TCP, and rewrites the top Via (§18.1.1)', async () => {
    const alice = layers.make();
    const bob = layers.make();
    await alice.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const tcp = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    await bob.layer.listen({ transport: 'udp', address: '127.0.0.1', port: tcp.port });
    const big = request({ viaHost: '127.0.0.1', viaPort: 5060, body: 'x'.repeat(UDP_SIZE_THRESHOLD) });
    await alice.layer.send(big, destination('udp', '127.0.0.1', tcp.port));
    await waitFor('the large request', () => bob.delegate.requests().length === 1);
    expect(bob.delegate.requests()[0]!.source.transport).toBe('tcp');
    expect(bob.delegate.requests()[0]!.request.topVia?.transport).toBe('TCP');
    // A small one stays on UDP; a large one to a UDP-only destination too.
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060 }), destination('udp', '127.0.0.1', tcp.port));
    const bigUdp = request({ viaHost: '127.0.0.1', viaPort: 5060, body: 'y'.repeat(UDP_SIZE_THRESHOLD) });
    await alice.layer.send(bigUdp, destination('udp', '127.0.0.1', tcp.port), { udpOnly: true });
    await waitFor('two more', () => bob.delegate.requests().length === 3);
    expect(bob.delegate.requests().slice(1).map((r) => r.source.transport)).toEqual(['udp', 'udp']);
  });

  it('closes a connection after the idle time with no traffic', async () => {
    const alice = layers.make({ idleTimeoutMs: 150 });
    const bob = layers.make({ idleTimeoutMs: 150 });
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const sentAt = Date.now();
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', b.port));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    expect(alice.layer.connectionCount).toBe(1);
    await waitFor('both sides closed', () => alice.layer.connectionCount === 0 && bob.layer.connectionCount === 0);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(140);
  });

  it('keeps a held connection past its idle time, and closes it once released', async () => {
    const alice = layers.make({ idleTimeoutMs: 100 });
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', b.port));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    const { request: got, source } = bob.delegate.requests()[0]!;
    await bob.layer.sendResponse(responseTo(got), source);
    await waitFor('the response', () => alice.delegate.received.length === 1);
    const flow = alice.delegate.received[0]!.source;
    expect(alice.layer.retainFlow(flow.id)).toBe(true);
    await sleep(300);
    expect(alice.layer.connectionCount).toBe(1);
    alice.layer.releaseFlow(flow.id);
    await waitFor('closed once released', () => alice.layer.connectionCount === 0);
  });

  it('refuses to open more connections than allowed when none can be closed to make room', async () => {
    const alice = layers.make({ maxConnections: 1 });
    const bob = layers.make();
    const carol = layers.make();
    const b = await bob.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    const c = await carol.layer.listen({ transport: 'tcp', address: '127.0.0.1' });
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', b.port));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    const { request: got, source } = bob.delegate.requests()[0]!;
    await bob.layer.sendResponse(responseTo(got), source);
    await waitFor('the response', () => alice.delegate.responses().length === 1);
    // Held (e.g. by a registration), so it is not the one to close.
    expect(alice.layer.retainFlow(alice.delegate.received[0]!.source.id)).toBe(true);
    const refused = alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', c.port));
    await expect(refused).rejects.toMatchObject({ name: 'TransportError', code: 'too_many_connections' });
  });

  it('rejects with connection_refused when nobody listens', async () => {
    const alice = layers.make();
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const sending = alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5060, transport: 'TCP' }), destination('tcp', '127.0.0.1', port));
    await expect(sending).rejects.toMatchObject({ name: 'TransportError', code: 'connection_refused' });
    expect(alice.layer.connectionCount).toBe(0);
  });
});

function catchParse(text: string): SipParseError {
  try {
    parseMessage(text, { framing: 'stream' });
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}
