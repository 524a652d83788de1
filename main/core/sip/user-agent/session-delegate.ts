/** How an INVITE session tells its owner (the phone layer) what happened: every method optional. */
import type { NegotiatedAudio } from '../../media/sdp/index.js';
import type { IncomingRefer, ReferProgress } from './refer.js';
import type { SessionState } from './session-state.js';

/** Who or what ended the session, with the status code that said so when there was one. */
export interface TerminationInfo {
  /** local: we hung up, cancelled or rejected; remote: the peer did; timeout / error: the network. */
  readonly by: 'local' | 'remote' | 'timeout' | 'error';
  readonly code?: number;
  readonly reason?: string;
}

/** Who the peer is, as it says (From/To) and as the network asserts it (RFC 3325). */
export interface RemoteIdentity {
  readonly uri: string;
  readonly displayName?: string;
  /** P-Asserted-Identity, when a trusted proxy set one (RFC 3325 §9.1). */
  readonly asserted?: { readonly uri: string; readonly displayName?: string };
}

export interface SessionDelegate {
  onStateChange?(state: SessionState): void;
  /** A provisional response (UAC): 180 rings, 183 progresses. */
  onProvisional?(status: number, reason: string): void;
  /** Early media was agreed in a provisional response (RFC 3261 §13.2.1, RFC 3960). */
  onEarlyMedia?(media: NegotiatedAudio): void;
  /** An offer/answer exchange completed: the call's media as now agreed (hold included). */
  onSessionDescription?(media: NegotiatedAudio): void;
  onTerminated?(info: TerminationInfo): void;
  /** An INFO in the session (RFC 6086): return true if its content was taken (200), else 415. */
  onInfo?(contentType: string, body: string): boolean;
  /**
   * The peer asks us to call someone (RFC 3515): `accept()` or `reject()` it, then report the
   * new call with `progress()`. Without this method REFERs are declined (603).
   */
  onRefer?(refer: IncomingRefer): void;
  /** A REFER of the peer was refused before the owner saw it (bad Refer-To: 400, 403). */
  onReferRefused?(status: number, reason: string): void;
  /** A NOTIFY about a REFER we sent: how the transfer goes (RFC 3515 §2.4.5). */
  onReferProgress?(progress: ReferProgress): void;
}
