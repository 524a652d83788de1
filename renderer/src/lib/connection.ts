/** Whether the renderer can currently reach the phone core, whatever the host. */
export type Connection =
  | { readonly state: 'connecting' }
  | { readonly state: 'connected' }
  | { readonly state: 'disconnected'; readonly reason: string; /** When the next attempt starts (epoch ms). */ readonly retryAt?: number };

export interface ConnectionSource {
  current(): Connection;
  /** Calls `listener` on every change (not with the current value); returns the unsubscriber. */
  subscribe(listener: (connection: Connection) => void): () => void;
  /** Try again now instead of waiting for the next scheduled attempt. */
  reconnect(): void;
}

/** A host that cannot lose the core (the Electron preload talks to its own main process). */
export const alwaysConnected: ConnectionSource = {
  current: () => ({ state: 'connected' }),
  subscribe: () => () => undefined,
  reconnect: () => undefined,
};
