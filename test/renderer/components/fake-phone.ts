/**
 * A PhoneStore over a fake transport, for component tests: requests are answered by the given
 * handlers (unknown ones reject) and recorded; events can be pushed as the core would send them.
 */
import { createPhoneApi, type PhoneTransport } from '../../../shared/phone-api.js';
import { alwaysConnected } from '../../../renderer/src/lib/connection.js';
import { PhoneStore } from '../../../renderer/src/lib/stores.svelte.js';
import { CallView } from '../../../shared/model.js';

export type Handlers = Record<string, (params: Record<string, unknown>) => unknown>;

export function fakePhone(handlers: Handlers = {}): { store: PhoneStore; requests: { method: string; params: Record<string, unknown> }[]; emit: (event: string, payload: unknown) => void } {
  const requests: { method: string; params: Record<string, unknown> }[] = [];
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  const transport: PhoneTransport = {
    invoke: async (method, params) => {
      requests.push({ method, params: params as Record<string, unknown> });
      const handler = handlers[method];
      if (handler === undefined) throw new Error(`no fake for ${method}`);
      return handler(params as Record<string, unknown>);
    },
    subscribe: (event, handler) => {
      listeners.set(event, [...(listeners.get(event) ?? []), handler]);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((h) => h !== handler));
    },
  };
  const store = new PhoneStore(createPhoneApi(transport), alwaysConnected);
  return { store, requests, emit: (event, payload) => (listeners.get(event) ?? []).forEach((h) => h(payload)) };
}

export function call(fields: Partial<CallView> = {}): CallView {
  return CallView.parse({ id: 'call-1', accountId: 'eve', direction: 'incoming', state: 'incoming', remote: { uri: 'sip:bob@lab.test', displayName: 'Bob' }, startedAt: 1_700_000_000_000, ...fields });
}
