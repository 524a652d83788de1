/**
 * What the user agent needs of the endpoint (transport + transactions), and nothing more:
 * `SipEndpoint` is one; tests pass a fake over an in-memory transport.
 */
import type { Destination } from '../locator/index.js';
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { SendOptions } from '../sip-endpoint.js';
import type { TransactionLayer, TransportAddress } from '../transactions/index.js';

export interface UserAgentEndpoint {
  send(request: SipRequest, options?: SendOptions): Promise<SipResponse>;
  request(request: SipRequest, destination: TransportAddress, options?: SendOptions): Promise<SipResponse>;
  locate(request: SipRequest): Promise<Destination[]>;
  readonly transactions: Pick<TransactionLayer, 'sendAck' | 'findInviteServerTransaction' | 'timers'>;
}
