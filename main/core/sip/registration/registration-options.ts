/** What a `Registration` is made of: the account's settings and the few services it uses. */
import type { RandomSource, TransportProtocol } from '../locator/index.js';
import type { SipRequest, SipResponse } from '../messages/index.js';
import type { Uri } from '../uri/index.js';
import type { FlowRecoveryOptions } from './flow-recovery.js';
import type { RegistrationClock } from './registration-clock.js';
import type { RegistrationDelegate } from './registration-status.js';

/**
 * Sends a request and resolves with its final response; `SipEndpoint` is one (it locates the
 * next hop by RFC 3263 and fails over). Rejects with a `SipRequestError` on a timeout, a
 * transport error or no destination.
 */
export interface RegistrationSender {
  send(request: SipRequest): Promise<SipResponse>;
}

export interface RegistrationOptions {
  /** The address-of-record, `sip:user@domain` (To and From, §10.2). */
  readonly aor: Uri | string;
  /** The registrar, `sip:domain` or `sips:domain`: the Request-URI (§10.2). */
  readonly registrar: Uri | string;
  /** Sent first as a loose route `<sip:proxy;lr>` (§8.1.2), so the request goes there. */
  readonly outboundProxy?: Uri | string;
  /**
   * The transport our Contact is reachable over, pinned on the next hop (`;transport=`) so the
   * REGISTER leaves over the same kind of flow. Default: tls for a sips registrar, else udp.
   */
  readonly transport?: TransportProtocol;
  /** Our Contact URI (see `localContact`). */
  readonly contact: Uri | string;
  /** The digest username; default the AOR's user. */
  readonly authUser?: string;
  /**
   * The password for a realm, asked each time a challenge is answered: the registration keeps
   * none and logs none. Undefined if the account has none for that realm.
   */
  readonly credentials: (realm: string) => string | undefined;
  /** The lifetime to ask for, in seconds (§10.2.1.1); default 600. */
  readonly expires?: number;
  readonly sender: RegistrationSender;
  readonly delegate?: RegistrationDelegate;
  readonly clock?: RegistrationClock;
  /** Uniform in [0, 1): randomises the backoff; default Math.random. */
  readonly random?: RandomSource;
  /** A fresh random token for the Call-ID and the From tag; default 96 random bits in hex. */
  readonly newToken?: () => string;
  /** RFC 5626 §4.5 backoff after failures. */
  readonly flowRecovery?: Partial<FlowRecoveryOptions>;
  /** Seconds kept between a refresh and the expiry (see `refreshDelaySeconds`); default 32. */
  readonly refreshMarginSeconds?: number;
  /** How long `unregister()` waits for the registrar; default 3000 ms. */
  readonly unregisterTimeoutMs?: number;
  /** The Allow header (§20.5); default every method the stack implements. */
  readonly allow?: readonly string[];
  readonly userAgent?: string;
}
