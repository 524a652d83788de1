/** What an INVITE session needs of its user agent core: sending, dialog bookkeeping, settings. */
import type { AuthorizationField } from '../auth/index.js';
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { TransportAddress } from '../transactions/index.js';
import type { DialogUsage } from './dialog-usage.js';
import type { UserAgentEndpoint } from './user-agent-endpoint.js';
import type { UserAgentSettings } from './user-agent-settings.js';

/** The request as sent last (after any challenge) and its final response. */
export interface Exchange {
  readonly request: SipRequest;
  readonly response: SipResponse;
}

export interface ExchangeOptions {
  /** Provisional responses and further 2xx, with the request they answer and where it went. */
  receiveResponse?(response: SipResponse, request: SipRequest, destination: TransportAddress): void;
}

export interface SessionContext {
  readonly endpoint: UserAgentEndpoint;
  readonly settings: UserAgentSettings;
  /**
   * Sends the request `build` makes, and if challenged (401/407) builds it again — a new CSeq,
   * §22.3 — with the credentials the digest client computes. `build` gets the fields to add.
   */
  exchange(build: (credentials: readonly AuthorizationField[]) => SipRequest, options?: ExchangeOptions): Promise<Exchange>;
  /** Sends an ACK for a 2xx to the first destination of its Route/Request-URI (§13.2.2.4). */
  sendAck(ack: SipRequest): Promise<void>;
  /** Routes requests, ACKs and stray responses of the dialog `key` (see `dialogKey`) to `usage`. */
  addDialog(key: string, usage: DialogUsage): void;
  removeDialog(key: string): void;
}
