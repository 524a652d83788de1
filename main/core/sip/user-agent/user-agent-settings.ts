/** What a user agent says about itself and how it behaves; one per account. */
import type { DigestClient } from '../auth/index.js';
import type { TransactionTimers } from '../transactions/index.js';
import type { SessionTimerSettings } from './session-timer.js';

/** The methods the user agent core answers (§8.2.1; Allow in OPTIONS, §11.2, and in INVITEs). */
export const ALLOWED_METHODS: readonly string[] = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'PRACK', 'UPDATE', 'INFO', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE'];

/** Methods we know but do not serve here: 405 with Allow rather than 501 (§8.2.1). */
export const KNOWN_METHODS: readonly string[] = [...ALLOWED_METHODS, 'REGISTER', 'PUBLISH'];

/** The option tags we understand (§8.2.2.3, §19.2): reliable provisionals and session timers. */
export const SUPPORTED_EXTENSIONS: readonly string[] = ['100rel', 'timer', 'replaces'];

export interface UserAgentSettings {
  /** Our Contact header value, e.g. `<sip:eve@192.0.2.4:5060>` (§8.1.1.8). */
  readonly contact: string;
  /** The From of our requests outside a dialog, e.g. `"Eve" <sip:eve@example.com>` (§8.1.1.3). */
  readonly from: string;
  /** A preloaded route set, e.g. an outbound proxy `<sip:proxy.example.com;lr>` (§8.1.2). */
  readonly routeSet: readonly string[];
  /** Answers 401/407 challenges (§22.2, §22.3); without it a challenge fails the request. */
  readonly digest: DigestClient | undefined;
  readonly userAgent: string | undefined;
  /**
   * Reliable provisional responses (RFC 3262). `supported`: advertise, and send 18x reliably when
   * the peer supports it; `required`: also Require it in our INVITEs; `never`: do not advertise
   * (a peer that requires it is still served, as the extension is implemented).
   */
  readonly reliableProvisional: 'never' | 'supported' | 'required';
  /** RFC 4028; `undefined` asks for no session timer but still honours a peer's request. */
  readonly sessionTimer: SessionTimerSettings | undefined;
  /** T1 and T2 for the retransmissions the core owns (2xx §13.3.1.4, reliable 1xx RFC 3262 §3). */
  readonly timers: Pick<TransactionTimers, 't1' | 't2'>;
  /** Uniform in [0, 1): glare retry delays (§14.1), RSeq start. */
  readonly random: () => number;
  /** Most 3xx redirects followed for one call (§8.1.3.4 asks only for loop detection). */
  readonly maxRedirects: number;
}
