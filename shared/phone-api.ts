/**
 * `window.phone`: the UI's view of the contract, one named async function per request
 * (`phone.accounts.add({...})`) plus `on(event, handler)`. Built from the contract over a
 * small transport, so the Electron preload and the WebSocket client expose the same object
 * and the renderer cannot tell which host it runs in. There is deliberately no generic
 * `invoke(channel, …)` on it.
 */
import type { EventPayload, ParamsIn, Result } from './contract.js';
import { isEventName, methodNames, type EventName, type Method } from './names.js';

type GroupOf<M extends string> = M extends `${infer G}.${string}` ? G : never;
type Call<M extends Method> = Record<string, never> extends ParamsIn<M>
  ? (params?: ParamsIn<M>) => Promise<Result<M>>
  : (params: ParamsIn<M>) => Promise<Result<M>>;

export type PhoneApi = {
  readonly [G in GroupOf<Method>]: {
    readonly [M in Method as M extends `${G}.${infer N}` ? N : never]: Call<M>;
  };
} & {
  /** Listen to a core event; returns the function that stops listening. */
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
};

/** What a host's client side must provide. Errors are thrown as `PhoneError`. */
export interface PhoneTransport {
  invoke(method: Method, params: unknown): Promise<unknown>;
  subscribe(event: EventName, handler: (payload: unknown) => void): () => void;
}

export function createPhoneApi(transport: PhoneTransport): PhoneApi {
  const groups: Record<string, Record<string, (params?: unknown) => Promise<unknown>>> = {};
  for (const method of methodNames) {
    const dot = method.indexOf('.');
    const group = (groups[method.slice(0, dot)] ??= {});
    group[method.slice(dot + 1)] = (params?: unknown) => transport.invoke(method, params ?? {});
  }
  const api = {
    ...Object.fromEntries(Object.entries(groups).map(([name, fns]) => [name, Object.freeze(fns)])),
    on(event: EventName, handler: (payload: never) => void) {
      if (typeof handler !== 'function') throw new TypeError('handler must be a function');
      if (!isEventName(event)) throw new TypeError(`no event ${JSON.stringify(String(event)).slice(0, 80)}`);
      return transport.subscribe(event, handler as (payload: unknown) => void);
    },
  };
  return Object.freeze(api) as unknown as PhoneApi;
}
