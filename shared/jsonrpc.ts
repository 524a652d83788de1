/**
 * JSON-RPC 2.0 framing of the contract, shared by the web host, the CLI host and their
 * clients. Requests name a contract method; core events travel as notifications whose
 * method is the event name (`{"jsonrpc":"2.0","method":"call.state","params":{...}}`).
 */
import { eventNames, isEventName, type EventName, type Method } from './contract.js';
import { fromErrorPayload, PhoneError, type ErrorPayload } from './errors.js';
import type { PhoneTransport } from './phone-api.js';

export const JSONRPC = '2.0';
export const rpcErrorCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Application errors: `data` carries the contract's ErrorPayload. */
  applicationError: -32000,
} as const;

export type RpcId = string | number | null;
export interface RpcRequest {
  jsonrpc: typeof JSONRPC;
  id?: RpcId;
  method: string;
  params?: unknown;
}
export interface RpcError {
  code: number;
  message: string;
  data?: ErrorPayload;
}
export type RpcResponse =
  | { jsonrpc: typeof JSONRPC; id: RpcId; result: unknown }
  | { jsonrpc: typeof JSONRPC; id: RpcId; error: RpcError };

export function rpcErrorFromPayload(payload: ErrorPayload): RpcError {
  const code =
    payload.code === 'unknown_method'
      ? rpcErrorCodes.methodNotFound
      : payload.code === 'invalid_params'
        ? rpcErrorCodes.invalidParams
        : payload.code === 'internal'
          ? rpcErrorCodes.internalError
          : rpcErrorCodes.applicationError;
  return { code, message: payload.message, data: payload };
}

export function eventNotification(name: EventName, payload: unknown): string {
  return JSON.stringify({ jsonrpc: JSONRPC, method: name, params: payload });
}

/**
 * The client side: turns a text channel (a WebSocket, a pipe) into a `PhoneTransport`.
 * `receive` is fed every incoming text frame; `close` fails what is still pending.
 */
export function createRpcClient(
  send: (text: string) => void,
  /** A listener threw: by default the error surfaces as an unhandled rejection. */
  onListenerError: (error: unknown) => void = (error) => void Promise.reject(error),
): {
  transport: PhoneTransport;
  receive(text: string): void;
  close(reason: string): void;
} {
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: PhoneError): void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>(eventNames.map((name) => [name, new Set()]));
  let closed: string | undefined;

  return {
    transport: {
      invoke(method: Method, params: unknown) {
        if (closed !== undefined) return Promise.reject(new PhoneError('unavailable', closed));
        const id = nextId++;
        return new Promise((resolve, reject) => {
          pending.set(id, { resolve, reject });
          send(JSON.stringify({ jsonrpc: JSONRPC, id, method, params }));
        });
      },
      subscribe(event, handler) {
        const set = listeners.get(event);
        set?.add(handler);
        return () => void set?.delete(handler);
      },
    },
    receive(text) {
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      const m = message as Record<string, unknown>;
      if (typeof m['id'] === 'number' && pending.has(m['id'])) {
        const entry = pending.get(m['id'])!;
        pending.delete(m['id']);
        if ('error' in m) {
          const error = m['error'] as Partial<RpcError> | undefined;
          entry.reject(
            error?.data !== undefined
              ? fromErrorPayload(error.data)
              : new PhoneError('internal', typeof error?.message === 'string' ? error.message : 'error'),
          );
        } else entry.resolve(m['result']);
        return;
      }
      if (m['id'] === undefined && isEventName(m['method'])) {
        for (const handler of listeners.get(m['method']) ?? []) {
          try {
            handler(m['params']);
          } catch (error) {
            onListenerError(error);
          }
        }
      }
    },
    close(reason) {
      closed = reason;
      for (const entry of pending.values()) entry.reject(new PhoneError('unavailable', reason));
      pending.clear();
    },
  };
}
