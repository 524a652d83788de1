import { afterEach, describe, expect, it } from 'vitest';
import { SipParseError } from '../../../../../main/core/sip/grammar/index.js';
import { parseMessage } from '../../../../../main/core/sip/messages/index.js';
import { TransportError } from '../../../../../main/core/sip/transport/transport-error.js';
import { LayerSet, destination, rawUdp, request, requestText, responseTo, waitFor } from './transport-fixtures.js';

const layers = new LayerSet();
afterEach(() => layers.closeAll());

describe('UDP transport (RFC 3261 §18)', () => {
  for (const loopback of ['127.0.0.1', '::1']) {
    it(`alice sends OPTIONS to bob and bob answers 200, over ${loopback}`, async () => {
      const alice = layers.make();
      const bob = layers.make();
      const a = await alice.layer.listen({ transport: 'udp', address: loopback });
      const b = await bob.layer.listen({ transport: 'udp', address: loopback });
      const sentBy = loopback.includes(':') ? `[${loopback}]` : loopback;
      await alice.layer.send(request({ viaHost: sentBy, viaPort: a.port }), destination('udp', loopback, b.port));
      await waitFor('the request', () => bob.delegate.requests().length === 1);
      const { request: got, source } = bob.delegate.requests()[0]!;
      expect(got.method).toBe('OPTIONS');
      expect(source).toMatchObject({ transport: 'udp', remoteAddress: loopback, remotePort: a.port, localPort: b.port });
      // §18.2.1: sent-by is the source address, so no received parameter.
      expect(got.topVia?.received).toBeUndefined();
      await bob.layer.sendResponse(responseTo(got), source);
      await waitFor('the response', () => alice.delegate.responses().length === 1);
      expect(alice.delegate.responses()[0]!.status).toBe(200);
    });
  }

  it('adds received when sent-by differs from the source, and fills rport (§18.2.1, RFC 3581)', async () => {
    const alice = layers.make();
    const bob = layers.make();
    const a = await alice.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    await alice.layer.send(request({ viaHost: '192.0.2.7', viaPort: 5999, viaParams: ';rport' }), destination('udp', '127.0.0.1', b.port));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    const { request: got, source } = bob.delegate.requests()[0]!;
    expect(got.topVia?.received).toBe('127.0.0.1');
    expect(got.topVia?.rport).toBe(a.port);
    // §18.2.2 / RFC 3581 §4: the response goes to received:rport, not to 192.0.2.7:5999.
    await bob.layer.sendResponse(responseTo(got, 180), source);
    await waitFor('the response', () => alice.delegate.responses().length === 1);
    expect(alice.delegate.responses()[0]!.status).toBe(180);
  });

  it('adds received even when equal if rport was asked for (RFC 3581 §4)', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const peer = await rawUdp('127.0.0.1');
    layers.onClose(() => peer.socket.close());
    peer.socket.send(requestText({ viaHost: '127.0.0.1', viaPort: 1, viaParams: ';rport' }), b.port, '127.0.0.1');
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    const { request: got, source } = bob.delegate.requests()[0]!;
    expect(got.topVia?.received).toBe('127.0.0.1');
    expect(got.topVia?.rport).toBe(peer.port);
    await bob.layer.sendResponse(responseTo(got), source);
    await waitFor('the raw peer gets the 200', () => peer.received.length === 1);
    expect(peer.received[0]).toMatch(/^SIP\/2\.0 200 OK\r\n/);
  });

  it('without rport, answers to received and the sent-by port (§18.2.2)', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const sender = await rawUdp('127.0.0.1');
    const listener = await rawUdp('127.0.0.1');
    layers.onClose(() => sender.socket.close());
    layers.onClose(() => listener.socket.close());
    sender.socket.send(requestText({ viaHost: 'host.invalid', viaPort: listener.port }), b.port, '127.0.0.1');
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    const { request: got, source } = bob.delegate.requests()[0]!;
    expect(got.topVia?.received).toBe('127.0.0.1');
    await bob.layer.sendResponse(responseTo(got), source);
    await waitFor('the sent-by port gets the 200', () => listener.received.length === 1);
    expect(sender.received).toEqual([]);
  });

  it('accepts a datagram without Content-Length and ignores bytes after the body (§18.3)', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const peer = await rawUdp('127.0.0.1');
    layers.onClose(() => peer.socket.close());
    const noLength = requestText({ viaHost: '127.0.0.1', viaPort: peer.port, body: 'hello' }).replace(/Content-Length: 5\r\n/, '');
    peer.socket.send(noLength, b.port, '127.0.0.1');
    const trailing = requestText({ viaHost: '127.0.0.1', viaPort: peer.port, body: 'abc' }) + 'TRAILING JUNK';
    peer.socket.send(trailing, b.port, '127.0.0.1');
    await waitFor('both requests', () => bob.delegate.requests().length === 2);
    const bodies = bob.delegate.requests().map((r) => r.request.bodyText).sort();
    expect(bodies).toEqual(['abc', 'hello']);
  });

  it('answers a malformed request 400 with the parse error reason, and reports it', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const peer = await rawUdp('127.0.0.1');
    layers.onClose(() => peer.socket.close());
    const bad = requestText({ viaHost: '127.0.0.1', viaPort: peer.port, viaParams: ';rport' }).replace('Max-Forwards: 70', 'Max-Forwards: seventy');
    const expected = catchParse(bad);
    peer.socket.send(bad, b.port, '127.0.0.1');
    await waitFor('the 400', () => peer.received.length === 1);
    const answer = parseMessage(peer.received[0]!);
    expect(answer.kind).toBe('response');
    expect(answer.startLine).toBe(`SIP/2.0 400 ${expected.reason}`);
    expect(answer.get('Call-ID')).toMatch(/^call-\d+@example\.test$/);
    expect(answer.to.tag).toBeDefined();
    expect(bob.delegate.requests()).toEqual([]);
    expect(bob.delegate.malformed).toMatchObject([{ reason: expected.reason, count: 1, action: 'answered' }]);
    const logged = bob.delegate.logs.find((l) => l.direction === 'in');
    expect(logged?.error).toContain(expected.reason);
    expect(logged?.firstLine).toBe('OPTIONS sip:bob@example.test SIP/2.0');
  });

  it('drops a malformed response and garbage, reporting each', async () => {
    const bob = layers.make();
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const peer = await rawUdp('127.0.0.1');
    layers.onClose(() => peer.socket.close());
    peer.socket.send('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1\r\nCSeq: x\r\n\r\n', b.port, '127.0.0.1');
    peer.socket.send('\x00\x01 not sip at all', b.port, '127.0.0.1');
    await waitFor('two reports', () => bob.delegate.malformed.length === 2);
    expect(bob.delegate.malformed.map((m) => m.action)).toEqual(['dropped', 'dropped']);
    expect(bob.delegate.malformed.map((m) => m.count)).toEqual([1, 2]);
    expect(peer.received).toEqual([]);
  });

  it('drops a response whose top Via is not ours (§18.1.2)', async () => {
    const alice = layers.make();
    const a = await alice.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const peer = await rawUdp('127.0.0.1');
    layers.onClose(() => peer.socket.close());
    const foreign = responseTo(request({ viaHost: '198.51.100.1', viaPort: 5060 })).toString();
    peer.socket.send(foreign, a.port, '127.0.0.1');
    await waitFor('the report', () => alice.delegate.malformed.length === 1);
    expect(alice.delegate.responses()).toEqual([]);
    expect(alice.delegate.malformed[0]!.reason).toMatch(/sent-by/);
  });

  it('logs each message sent and received, credentials redacted', async () => {
    const alice = layers.make();
    const bob = layers.make();
    const a = await alice.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const b = await bob.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const withAuth = request({
      viaHost: '127.0.0.1',
      viaPort: a.port,
      extraHeaders: ['Authorization: Digest username="alice", realm="x", nonce="n", uri="sip:x", response="0123456789abcdef"'],
    });
    await alice.layer.send(withAuth, destination('udp', '127.0.0.1', b.port));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    const out = alice.delegate.logs[0]!;
    expect(out).toMatchObject({ direction: 'out', transport: 'udp', localPort: a.port, remoteAddress: '127.0.0.1', remotePort: b.port });
    expect(out.firstLine).toBe('OPTIONS sip:bob@example.test SIP/2.0');
    const inbound = bob.delegate.logs[0]!;
    expect(inbound).toMatchObject({ direction: 'in', transport: 'udp', localPort: b.port, remotePort: a.port });
    for (const entry of [out, inbound]) {
      expect(entry.text).not.toContain('0123456789abcdef');
      expect(entry.text).toContain('username="alice"');
    }
  });

  it('rejects with a typed error when no listening point fits', async () => {
    const alice = layers.make();
    await alice.layer.listen({ transport: 'udp', address: '127.0.0.1' });
    const sending = alice.layer.send(request({ viaHost: '[::1]', viaPort: 5060 }), destination('udp', '::1', 5060));
    await expect(sending).rejects.toBeInstanceOf(TransportError);
    await expect(sending).rejects.toMatchObject({ code: 'no_listening_point', name: 'TransportError' });
  });
});

function catchParse(text: string): SipParseError {
  try {
    parseMessage(text);
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}
