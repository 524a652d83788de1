/**
 * The core's outgoing events, typed by the contract. Every host is just a subscriber
 * (baresip's habit: console, TCP control and HTTP all consume the same UA events).
 */
import type { EventName, EventPayload, EventSink } from '../../shared/contract.js';
import type { Logger } from './log.js';

export class EventHub {
  private readonly sinks = new Set<EventSink>();

  constructor(private readonly log: Logger) {}

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => void this.sinks.delete(sink);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const sink of this.sinks) {
      try {
        sink(name, payload);
      } catch (error) {
        // One broken subscriber (a closed socket, a destroyed window) must not starve the rest.
        this.log.warn('event subscriber failed', { event: name, error: String(error) });
      }
    }
  }
}
