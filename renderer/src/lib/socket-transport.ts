/**
 * A `PhoneTransport` over a WebSocket that comes back: requests made before the socket is open
 * wait in a small queue; when the socket closes, what was in flight fails with `unavailable`
 * and a new socket is tried after a delay that doubles up to a ceiling. Event subscriptions
 * outlive the sockets, so the UI subscribes once.
 */
import { eventNames, type EventName, type Method } from '../../../shared/contract.js';
import { PhoneError } from '../../../shared/errors.js';
import { createRpcClient } from '../../../shared/jsonrpc.js';
import type { PhoneTransport } from '../../../shared/phone-api.js';
import type { Connection, ConnectionSource } from './connection.js';
import { t } from './strings.js';

/** The socket as this module needs it; phone.ts adapts the browser's WebSocket to it. */
export interface Socket {
  send(text: string): void;
  close(): void;
}
export interface SocketEvents {
  open(): void;
  message(data: unknown): void;
  close(code: number, reason: string): void;
}
export type OpenSocket = (url: string, events: SocketEvents) => Socket;

export interface SocketTransportOptions {
  readonly url: string;
  readonly openSocket: OpenSocket;
  /** First reconnection delay; it doubles on each failure up to `maxRetryMs`. */
  readonly initialRetryMs?: number;
  readonly maxRetryMs?: number;
  /** How long a request may wait for a socket before it fails with `unavailable`. */
  readonly queueTimeoutMs?: number;
  readonly maxQueued?: number;
  readonly now?: () => number;
}

interface Queued {
  readonly method: Method;
  readonly params: unknown;
  resolve(value: unknown): void;
  reject(error: PhoneError): void;
  readonly timer: ReturnType<typeof setTimeout>;
}

const NOT_CONNECTED = t.connection.notConnected;

export function createSocketTransport(options: SocketTransportOptions): {
  transport: PhoneTransport;
  connection: ConnectionSource;
  /** Close for good: no more reconnection, queued requests fail. */
  dispose(): void;
} {
  const initialRetryMs = options.initialRetryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  const queueTimeoutMs = options.queueTimeoutMs ?? 15_000;
  const maxQueued = options.maxQueued ?? 64;
  const now = options.now ?? Date.now;

  const handlers = new Map<EventName, Set<(payload: unknown) => void>>(eventNames.map((name) => [name, new Set()]));
  const stateListeners = new Set<(connection: Connection) => void>();
  let connection: Connection = { state: 'connecting' };
  let socket: Socket | undefined;
  let rpc: ReturnType<typeof createRpcClient> | undefined;
  let queue: Queued[] = [];
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function setConnection(next: Connection): void {
    connection = next;
    for (const listener of [...stateListeners]) listener(next);
  }

  function connect(): void {
    if (disposed) return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    setConnection({ state: 'connecting' });
    let heard = false;
    // Each socket gets its own RPC client: a closed client stays closed.
    const client = createRpcClient((text) => socket?.send(text));
    for (const name of eventNames) client.transport.subscribe(name, (payload) => emit(name, payload));
    const events: SocketEvents = {
      open() {
        if (socket !== current) return;
        rpc = client;
        setConnection({ state: 'connected' });
        const waiting = queue;
        queue = [];
        for (const entry of waiting) {
          clearTimeout(entry.timer);
          client.transport.invoke(entry.method, entry.params).then(entry.resolve, entry.reject);
        }
      },
      message(data) {
        if (socket !== current || typeof data !== 'string') return;
        // A server that accepts and then hangs up at once must not be retried at full speed:
        // only a socket that carried a message counts as a success.
        if (!heard) failures = 0;
        heard = true;
        client.receive(data);
      },
      close(_code, reason) {
        if (socket !== current) return;
        lost(client, reason.length > 0 ? t.connection.closedBy(reason.slice(0, 200)) : t.connection.dropped);
      },
    };
    let current: Socket | undefined;
    try {
      current = options.openSocket(options.url, events);
    } catch {
      lost(client, t.connection.cannotOpen);
      return;
    }
    socket = current;
  }

  function lost(client: ReturnType<typeof createRpcClient>, why: string): void {
    socket = undefined;
    rpc = undefined;
    client.close(why);
    if (disposed) return;
    const delay = Math.min(maxRetryMs, initialRetryMs * 2 ** failures);
    failures += 1;
    retryTimer = setTimeout(connect, delay);
    setConnection({ state: 'disconnected', reason: why, retryAt: now() + delay });
  }

  function emit(name: EventName, payload: unknown): void {
    for (const handler of [...(handlers.get(name) ?? [])]) handler(payload);
  }

  connect();

  return {
    transport: {
      invoke(method, params) {
        if (disposed) return Promise.reject(new PhoneError('unavailable', NOT_CONNECTED));
        if (rpc !== undefined) return rpc.transport.invoke(method, params);
        if (queue.length >= maxQueued) return Promise.reject(new PhoneError('unavailable', NOT_CONNECTED));
        return new Promise((resolve, reject) => {
          const entry: Queued = {
            method,
            params,
            resolve,
            reject,
            timer: setTimeout(() => {
              queue = queue.filter((e) => e !== entry);
              reject(new PhoneError('unavailable', NOT_CONNECTED));
            }, queueTimeoutMs),
          };
          queue.push(entry);
        });
      },
      subscribe(event, handler) {
        const set = handlers.get(event);
        set?.add(handler);
        return () => void set?.delete(handler);
      },
    },
    connection: {
      current: () => connection,
      subscribe(listener) {
        stateListeners.add(listener);
        return () => void stateListeners.delete(listener);
      },
      reconnect() {
        if (socket === undefined && !disposed) {
          failures = 0;
          connect();
        }
      },
    },
    dispose() {
      disposed = true;
      clearTimeout(retryTimer);
      for (const entry of queue) {
        clearTimeout(entry.timer);
        entry.reject(new PhoneError('unavailable', NOT_CONNECTED));
      }
      queue = [];
      const closing = socket;
      socket = undefined;
      rpc?.close(NOT_CONNECTED);
      rpc = undefined;
      closing?.close();
      setConnection({ state: 'disconnected', reason: 'closed' });
    },
  };
}
