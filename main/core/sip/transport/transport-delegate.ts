/**
 * How the transport layer reports upwards (layers only call downwards): received messages,
 * malformed input, failed flows and `log.sip` entries.
 */
import type { TransportProtocol } from '../locator/index.js';
import type { SipMessage } from '../messages/index.js';
import type { Flow } from './flow.js';

/** One message in or out, for the SIP log; the text has its credentials redacted. */
export interface SipLogEntry {
  readonly direction: 'in' | 'out';
  readonly transport: TransportProtocol;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The start-line, or what stood in its place in a malformed message. */
  readonly firstLine: string;
  /** The message text, redacted (`redactSipText`). */
  readonly text: string;
  /** Why a received message was refused; absent for a good one. */
  readonly error?: string;
}

/** A message (or a stream) refused as malformed. */
export interface MalformedInfo {
  readonly flow: Flow;
  /** The parse error's reason, or why the message was dropped. */
  readonly reason: string;
  /** How many malformed messages this layer has seen so far, this one included. */
  readonly count: number;
  /** What was done about it. */
  readonly action: 'answered' | 'dropped' | 'disconnected';
}

export interface TransportDelegate {
  /**
   * A well-formed message (§18.3). A request's top Via already carries received and rport
   * (§18.2.1); a response's top Via named us (§18.1.2).
   */
  receiveMessage(message: SipMessage, source: Flow): void;
  onMalformed?(info: MalformedInfo): void;
  /**
   * A stream flow we opened failed and was closed (RFC 5626 §4.4): its keep-alive pong went
   * missing (§4.4.1), or the peer closed or reset it while it was retained or in use (used
   * within the idle timeout). Never for our own closing (idle, `close()`, malformed input).
   */
  onFlowFailed?(flow: Flow): void;
  onSipLog?(entry: SipLogEntry): void;
}
