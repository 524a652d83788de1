/**
 * The endpoint sends where RFC 3263 says and fails over (§4.3): a 503, a timeout or a
 * transport error moves the request, in a new transaction, to the next destination.
 * Loopback only; DNS is a stub.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DestinationBlocklist, ServerLocator, StubDnsResolver } from '../../../../main/core/sip/locator/index.js';
import { createResponse } from '../../../../main/core/sip/messages/create-response.js';
import { SipRequest } from '../../../../main/core/sip/messages/index.js';
import { SipEndpoint, SipRequestError, sipTargetOf } from '../../../../main/core/sip/sip-endpoint.js';
import { parseUri } from '../../../../main/core/sip/uri/index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A peer that answers every request with `status` and counts what it saw. */
async function answering(status: number, transport: 'udp' | 'tcp' = 'udp', extra: [string, string][] = []) {
  const seen: SipRequest[] = [];
  const peer = new SipEndpoint({
    receiveRequest: (request, transaction) => {
      seen.push(request);
      transaction.respond(createResponse(request, status, { toTag: 'peer', headers: extra }));
    },
  });
  const point = await peer.listen(transport, '127.0.0.1');
  closers.push(() => peer.close());
  return { port: point.port, seen };
}

function options(uri: string): SipRequest {
  return new SipRequest({
    method: 'OPTIONS',
    uri,
    headers: [
      ['From', '<sip:phone@example.test>;tag=a'],
      ['To', `<${uri}>`],
      ['Call-ID', `${Math.random().toString(36).slice(2)}@test`],
      ['CSeq', '1 OPTIONS'],
      ['Max-Forwards', '70'],
    ],
  });
}

async function caller(srv: { port: number; name: string; priority: number }[], transport: 'udp' | 'tcp' = 'udp') {
  const resolver = new StubDnsResolver({
    SRV: { [`_sip._${transport}.example.test`]: srv.map((r) => ({ ...r, weight: 0 })) },
    A: Object.fromEntries(srv.map((r) => [r.name, [{ address: '127.0.0.1' }]])),
  });
  const blocklist = new DestinationBlocklist();
  const endpoint = new SipEndpoint(
    { receiveRequest: () => {} },
    { locator: new ServerLocator({ resolver, transports: [transport], blocklist }), blocklist, timers: { t1: 20, t2: 80 } },
  );
  await endpoint.listen(transport, '127.0.0.1');
  closers.push(() => endpoint.close());
  return { endpoint, blocklist };
}

describe('SipEndpoint.send (RFC 3263 §4.3 failover)', () => {
  it('moves on after a 503 and skips that server for its Retry-After', async () => {
    const busy = await answering(503, 'udp', [['Retry-After', '120']]);
    const good = await answering(200);
    const { endpoint, blocklist } = await caller([
      { name: 'a.example.test', port: busy.port, priority: 10 },
      { name: 'b.example.test', port: good.port, priority: 20 },
    ]);
    const response = await endpoint.send(options('sip:service@example.test'));
    expect(response.status).toBe(200);
    expect(busy.seen).toHaveLength(1);
    expect(good.seen).toHaveLength(1);
    // A new transaction: the second attempt carried a new branch and one Via only.
    expect(good.seen[0]!.via).toHaveLength(1);
    expect(good.seen[0]!.topVia!.branch).not.toBe(busy.seen[0]!.topVia!.branch);
    const until = blocklist.blockedUntil({ transport: 'udp', address: '127.0.0.1', port: busy.port })!;
    expect(until - Date.now()).toBeGreaterThan(110_000);

    // The next request goes straight to the server that works.
    await endpoint.send(options('sip:service@example.test'));
    expect(busy.seen).toHaveLength(1);
    expect(good.seen).toHaveLength(2);
  });

  it('moves on when a server does not answer (Timer F)', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => silent.close(() => resolve())));
    let received = 0;
    silent.on('message', () => received++);
    const good = await answering(200);
    const { endpoint } = await caller([
      { name: 'a.example.test', port: silent.address().port, priority: 10 },
      { name: 'b.example.test', port: good.port, priority: 20 },
    ]);
    expect((await endpoint.send(options('sip:service@example.test'))).status).toBe(200);
    // Retransmitted (Timer E) to the silent one before giving up on it.
    expect(received).toBeGreaterThan(3);
  });

  it('moves on after a transport error (TCP connection refused)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const good = await answering(200, 'tcp');
    const { endpoint } = await caller(
      [
        { name: 'a.example.test', port: deadPort, priority: 10 },
        { name: 'b.example.test', port: good.port, priority: 20 },
      ],
      'tcp',
    );
    expect((await endpoint.send(options('sip:service@example.test'))).status).toBe(200);
    expect(good.seen).toHaveLength(1);
  });

  it('reports the last failure when every destination fails, and an unresolvable name', async () => {
    const busy = await answering(503);
    const { endpoint } = await caller([{ name: 'a.example.test', port: busy.port, priority: 10 }]);
    expect((await endpoint.send(options('sip:service@example.test'))).status).toBe(503);
    await expect(endpoint.send(options('sip:service@nowhere.test'))).rejects.toMatchObject({ name: 'SipRequestError', code: 'unresolvable' });
    await expect(endpoint.send(options('tel:+15551234567'))).rejects.toBeInstanceOf(SipRequestError);
  });

  it('reads the RFC 3263 target from a SIP or SIPS URI', () => {
    expect(sipTargetOf(parseUri('sips:alice@[2001:db8::1]:5061;transport=TCP;maddr=192.0.2.1'))).toEqual({
      host: '[2001:db8::1]',
      port: 5061,
      secure: true,
      transport: 'tcp',
      maddr: '192.0.2.1',
    });
    expect(sipTargetOf(parseUri('sip:example.test'))).toEqual({ host: 'example.test', secure: false });
  });
});

describe('SipEndpoint rate limiting (per source)', () => {
  it('answers new requests beyond the burst 503 with Retry-After; requests in dialogs are never held back', async () => {
    const served: SipRequest[] = [];
    const phone = new SipEndpoint(
      {
        receiveRequest: (request, transaction) => {
          served.push(request);
          transaction.respond(createResponse(request, 200, { toTag: 'x' }));
        },
      },
      { rateLimit: { perSecond: 1, burst: 20 } },
    );
    const point = await phone.listen('udp', '127.0.0.1');
    closers.push(() => phone.close());
    const sender = new SipEndpoint({ receiveRequest: () => {} }, { timers: { t1: 50, t2: 200 } });
    await sender.listen('udp', '127.0.0.1');
    closers.push(() => sender.close());
    const destination = { transport: 'udp' as const, address: '127.0.0.1', port: point.port };
    const statuses = await Promise.all(Array.from({ length: 30 }, () => sender.request(options(`sip:phone@127.0.0.1:${point.port}`), destination).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 503)).toHaveLength(10);
    expect(served).toHaveLength(20);
    // A request with a To tag (inside a dialog: a NOTIFY, a BYE) still gets through.
    const inDialog = options(`sip:phone@127.0.0.1:${point.port}`);
    const notify = new SipRequest({
      method: 'NOTIFY',
      uri: inDialog.uri,
      headers: [
        ['From', '<sip:peer@example.test>;tag=p'],
        ['To', '<sip:phone@example.test>;tag=mine'],
        ['Call-ID', 'dialog-1@test'],
        ['CSeq', '2 NOTIFY'],
        ['Max-Forwards', '70'],
      ],
    });
    expect((await sender.request(notify, destination)).status).toBe(200);
  });
});
