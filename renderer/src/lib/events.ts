/** Core → UI events, checked against the contract's schema: a malformed event is dropped, not drawn. */
import { events, type EventName, type EventPayload } from '../../../shared/contract.js';
import type { PhoneApi } from '../../../shared/phone-api.js';

export type Listen = <E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void) => void;

export function listenChecked<E extends EventName>(api: PhoneApi, name: E, handler: (payload: EventPayload<E>) => void): () => void {
  return api.on(name, (payload) => {
    const parsed = events[name].safeParse(payload);
    if (parsed.success) handler(parsed.data as EventPayload<E>);
    else console.warn(`dropped a malformed ${name} event`, parsed.error.issues[0]);
  });
}
