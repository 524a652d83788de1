/**
 * One use of a dialog (RFC 5057 §3): an INVITE session, a subscription, the implicit
 * subscription of a REFER. The user agent core routes what arrives in a dialog to the usage
 * registered under the dialog's key (§12.2.2).
 */
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { ServerTransaction } from '../transactions/index.js';

export interface DialogUsage {
  /** A request whose Call-ID and tags name the dialog `key`. */
  receiveRequest(request: SipRequest, transaction: ServerTransaction, key: string): void;
  /** An ACK for a 2xx of ours (INVITE usages only). */
  receiveAck?(ack: SipRequest): void;
  /** A 2xx to INVITE after its transaction ended (INVITE usages only). */
  receiveStrayResponse?(response: SipResponse): void;
}
