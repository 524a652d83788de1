import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PhoneError } from '../../shared/errors.js';
import { createPhoneApi } from '../../shared/phone-api.js';
import type { Connection } from '../../renderer/src/lib/connection.js';
import { createSocketTransport, type SocketEvents } from '../../renderer/src/lib/socket-transport.js';

/** A stand-in for the browser's WebSocket: the test plays the web host's side. */
class FakeSocket {
  readonly sent: { id: number; method: string; params: unknown }[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly events: SocketEvents,
  ) {}
  send(text: string): void {
    this.sent.push(JSON.parse(text) as { id: number; method: string; params: unknown });
  }
  close(): void {
    this.closed = true;
  }
  // The host's side.
  open(): void {
    this.events.open();
  }
  reply(id: number, result: unknown): void {
    this.events.message(JSON.stringify({ jsonrpc: '2.0', id, result }));
  }
  notify(method: string, params: unknown): void {
    this.events.message(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }
  drop(reason = ''): void {
    this.events.close(1006, reason);
  }
}

const RPC_URL = 'ws://127.0.0.1:1/rpc?token=t';
const info = { name: 'Softphone', version: '1.2.3', host: 'web', platform: 'linux', arch: 'x64', versions: {} };

function setUp(options: { queueTimeoutMs?: number } = {}) {
  const sockets: FakeSocket[] = [];
  const states: Connection[] = [];
  const link = createSocketTransport({
    url: RPC_URL,
    openSocket: (url, events) => {
      const socket = new FakeSocket(url, events);
      sockets.push(socket);
      return socket;
    },
    initialRetryMs: 100,
    maxRetryMs: 1000,
    ...options,
  });
  link.connection.subscribe((state) => states.push(state));
  const api = createPhoneApi(link.transport);
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    if (socket === undefined) throw new Error('no socket opened');
    return socket;
  };
  return { link, api, sockets, states, last };
}

describe('socket transport', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('opens the given address and holds requests until the socket is open', async () => {
    const { api, last, link } = setUp();
    expect(last().url).toBe(RPC_URL);
    expect(link.connection.current().state).toBe('connecting');

    const pending = api.app.info({});
    expect(last().sent).toEqual([]);

    last().open();
    expect(link.connection.current().state).toBe('connected');
    expect(last().sent).toEqual([{ jsonrpc: '2.0', id: 1, method: 'app.info', params: {} }]);
    last().reply(1, info);
    await expect(pending).resolves.toEqual(info);
  });

  it('delivers events to subscribers made before any socket, and after a reconnection too', () => {
    const { api, last } = setUp();
    const seen: unknown[] = [];
    api.on('account.state', (status) => seen.push(status));

    last().open();
    last().notify('account.state', { accountId: 'a1', state: 'registering' });
    last().drop();
    vi.advanceTimersByTime(100);
    last().open();
    last().notify('account.state', { accountId: 'a1', state: 'registered' });

    expect(seen).toEqual([
      { accountId: 'a1', state: 'registering' },
      { accountId: 'a1', state: 'registered' },
    ]);
  });

  it('fails what was in flight when the socket closes, says why, and retries with a doubling delay', async () => {
    const { api, last, sockets, states } = setUp();
    last().open();
    const inFlight = api.calls.list({});
    last().drop('server restarting');

    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable', message: 'closed by the phone: server restarting' });
    expect(states.at(-1)).toMatchObject({ state: 'disconnected', reason: 'closed by the phone: server restarting' });

    // 100 ms, then 200, 400, 800, and never more than 1000.
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = sockets.length;
      let waited = 0;
      while (sockets.length === before) {
        vi.advanceTimersByTime(50);
        waited += 50;
      }
      delays.push(waited);
      last().drop();
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('starts the delays again from the shortest once a socket has carried a message', () => {
    const { api, last, sockets } = setUp();
    last().drop();
    vi.advanceTimersByTime(100);
    last().drop();
    vi.advanceTimersByTime(200);
    expect(sockets).toHaveLength(3);

    last().open();
    void api.app.info({});
    last().reply(1, info);
    last().drop();
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(4);
  });

  it('gives up on a queued request after the queue timeout', async () => {
    const { api } = setUp({ queueTimeoutMs: 5000 });
    const waiting = api.accounts.list({});
    vi.advanceTimersByTime(5000);
    await expect(waiting).rejects.toBeInstanceOf(PhoneError);
    await expect(waiting).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reconnects at once when asked, instead of waiting for the timer', () => {
    const { link, last, sockets } = setUp();
    last().drop();
    expect(sockets).toHaveLength(1);
    link.connection.reconnect();
    expect(sockets).toHaveLength(2);
    // The timer that was pending does not open a third socket.
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(2);
  });

  it('ignores a stale socket once a newer one exists', async () => {
    const { api, link, last, sockets } = setUp();
    const first = last();
    first.drop();
    link.connection.reconnect();
    first.open();
    expect(link.connection.current().state).toBe('connecting');

    const request = api.app.info({});
    const second = sockets[1];
    second?.open();
    second?.reply(1, info);
    await expect(request).resolves.toEqual(info);
    expect(first.sent).toEqual([]);
  });

  it('after dispose, refuses requests, closes the socket and stops reconnecting', async () => {
    const { api, link, last, sockets } = setUp();
    last().open();
    link.dispose();
    expect(last().closed).toBe(true);
    await expect(api.app.info({})).rejects.toMatchObject({ code: 'unavailable' });
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });
});
