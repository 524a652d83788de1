/**
 * One TCP or TLS connection carrying SIP (RFC 3261 §18.3): the byte stream is cut into messages
 * by `SipStreamFramer`; a stream that cannot be framed is closed, never buffered forever.
 *
 * CRLF keep-alive (RFC 5626 §3.5.1, §4.4.1): on a flow we opened, a "\r\n\r\n" ping after a
 * random wait between `minIntervalMs` and `intervalMs`, and a "\r\n" pong expected within
 * `pongTimeoutMs` — else the flow has failed. A ping from the peer is answered with a pong,
 * whichever side opened the connection.
 *
 * Keep-alives are counted per run of CRLFs between messages, across reads: a "\r\n\r\n" ping
 * that TCP delivers as "\r\n" then "\r\n" is still one ping, answered once. The framer reports
 * each read's CRLFs as soon as it sees them (a lone "\r\n" as a pong), so a "pong" we are not
 * waiting for is held as half a ping until the next CRLF, or until a message ends the run.
 *
 * The connection closes itself after `idleTimeoutMs` with no message either way, unless a user
 * holds it (`retain`). A message that stops short (RFC 4475 §3.1.2.2) waits for more bytes for
 * `incompleteMessageTimeoutMs` after the last read; then the connection is closed.
 *
 * Who ended the connection is kept apart: the peer closing or resetting it (`onPeerClosed`) is
 * news about the flow, our own close (idle, `close()`, a bad stream) is not.
 */
import type net from 'node:net';
import type { TransportProtocol } from '../locator/index.js';
import type { SipParseError } from '../grammar/index.js';
import { SipStreamFramer, type KeepAlive, type SipParseLimits } from '../messages/index.js';
import type { Flow } from './flow.js';
import { TransportError } from './transport-error.js';

export interface KeepAliveOptions {
  /** The longest wait between pings. */
  readonly intervalMs: number;
  /**
   * The shortest wait; each ping waits uniformly between this and `intervalMs` (RFC 5626
   * §4.4.1: "a random interval between 80 and 100 percent", so that phones do not ping in
   * step). Default `intervalMs`: a fixed interval.
   */
  readonly minIntervalMs?: number;
  /** RFC 5626 §4.4.1: no pong within this long (there, 10 s) and the flow has failed. */
  readonly pongTimeoutMs: number;
}

export interface StreamConnectionOptions {
  readonly id: string;
  readonly transport: TransportProtocol;
  /** Whether we opened it (and so are the keep-alive client). */
  readonly outbound: boolean;
  readonly idleTimeoutMs: number;
  /** Close after this long with part of a message buffered and no bytes arriving. */
  readonly incompleteMessageTimeoutMs: number;
  readonly keepAlive?: KeepAliveOptions;
  readonly limits?: Partial<SipParseLimits>;
}

export interface StreamConnectionDelegate {
  onMessage(connection: StreamConnection, bytes: Uint8Array): void;
  /** The stream cannot be framed; the connection is being closed. */
  onFramingError(connection: StreamConnection, error: SipParseError): void;
  /**
   * Part of a message was buffered (`bufferedBytes`) and no more bytes came within
   * `incompleteMessageTimeoutMs`; the connection is being closed.
   */
  onIncompleteMessage(connection: StreamConnection, bufferedBytes: number): void;
  /** No pong in time; the connection was closed (`onClosed` came first). */
  onKeepAliveFailed(connection: StreamConnection): void;
  /** The peer closed or reset the connection; it was closed (`onClosed` came first). */
  onPeerClosed(connection: StreamConnection): void;
  /** Closed, for whatever reason. Called once. */
  onClosed(connection: StreamConnection): void;
}

const PING = new Uint8Array([13, 10, 13, 10]);
const PONG = new Uint8Array([13, 10]);

export class StreamConnection {
  readonly flow: Flow;
  private readonly framer: SipStreamFramer;
  private users = 0;
  private open = true;
  private idleTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private pongTimer: NodeJS.Timeout | undefined;
  private incompleteTimer: NodeJS.Timeout | undefined;
  /** CRLFs seen since the last message and not yet taken as a ping or a pong (0 or 1). */
  private pendingLineEnds = 0;
  private lastUsed = Date.now();

  constructor(
    private readonly socket: net.Socket,
    private readonly options: StreamConnectionOptions,
    private readonly delegate: StreamConnectionDelegate,
  ) {
    this.flow = {
      id: options.id,
      transport: options.transport,
      localAddress: stripV4Mapped(socket.localAddress ?? ''),
      localPort: socket.localPort ?? 0,
      remoteAddress: stripV4Mapped(socket.remoteAddress ?? ''),
      remotePort: socket.remotePort ?? 0,
    };
    this.framer = new SipStreamFramer(
      {
        onMessage: (bytes) => {
          // A message ends a run of keep-alive CRLFs.
          this.pendingLineEnds = 0;
          this.touch();
          this.delegate.onMessage(this, bytes);
        },
        onKeepAlive: (kind) => this.keepAlive(kind),
        onError: (error) => {
          this.delegate.onFramingError(this, error);
          this.close();
        },
      },
      options.limits,
    );
    socket.on('data', (chunk: Buffer) => {
      try {
        this.framer.push(chunk);
        this.watchIncomplete();
      } catch {
        // Never throw out of a socket callback; the layer guards its own work, so this is a bug.
        this.close();
      }
    });
    // An error (ECONNRESET...) or a close we did not start: the peer ended the flow.
    socket.on('error', () => this.closedByPeer());
    socket.on('close', () => this.closedByPeer());
    socket.setNoDelay(true);
    this.touch();
    this.schedulePing();
  }

  get isOpen(): boolean {
    return this.open;
  }

  get outbound(): boolean {
    return this.options.outbound;
  }

  /** Whether a user holds it open (`retain`). */
  get retained(): boolean {
    return this.users > 0;
  }

  /** When a message last went either way (`Date.now()` time). */
  get lastUsedAt(): number {
    return this.lastUsed;
  }

  /** Bytes received that are not yet a whole message (0 between messages). */
  get bufferedBytes(): number {
    return this.framer.bufferedBytes;
  }

  /** Keeps the connection open past its idle time until `release`. */
  retain(): void {
    this.users++;
  }

  release(): void {
    if (this.users > 0) this.users--;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.open) return Promise.reject(new TransportError('send_failed', 'connection closed'));
    this.touch();
    return new Promise<void>((resolve, reject) => {
      this.socket.write(bytes, (error) => {
        if (error === undefined || error === null) resolve();
        else reject(new TransportError('send_failed', error.message, { cause: error }));
      });
    });
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    clearTimeout(this.idleTimer);
    clearTimeout(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.incompleteTimer);
    this.socket.destroy();
    this.delegate.onClosed(this);
  }

  /** Restarts the idle timer: there was a message. */
  private touch(): void {
    this.lastUsed = Date.now();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.idle(), this.options.idleTimeoutMs);
  }

  /**
   * After each read: with part of a message buffered, (re)starts the wait for more bytes
   * (RFC 4475 §3.1.2.2: "wait for more data, close the connection if none comes").
   */
  private watchIncomplete(): void {
    clearTimeout(this.incompleteTimer);
    this.incompleteTimer = undefined;
    if (!this.open || this.framer.failed || this.framer.bufferedBytes === 0) return;
    this.incompleteTimer = setTimeout(() => {
      this.incompleteTimer = undefined;
      const buffered = this.framer.bufferedBytes;
      if (!this.open || buffered === 0) return;
      this.delegate.onIncompleteMessage(this, buffered);
      this.close();
    }, this.options.incompleteMessageTimeoutMs);
  }

  private idle(): void {
    if (this.users > 0) this.touch();
    else this.close();
  }

  private closedByPeer(): void {
    if (!this.open) return;
    this.close();
    this.delegate.onPeerClosed(this);
  }

  /** The next ping, on a flow we opened with keep-alive on (RFC 5626 §4.4.1). */
  private schedulePing(): void {
    const keepAlive = this.options.keepAlive;
    if (!this.options.outbound || keepAlive === undefined || !this.open) return;
    const max = keepAlive.intervalMs;
    const min = Math.min(keepAlive.minIntervalMs ?? max, max);
    this.pingTimer = setTimeout(() => {
      this.pingTimer = undefined;
      this.ping();
      this.schedulePing();
    }, min + Math.random() * (max - min));
  }

  private ping(): void {
    if (!this.open || this.pongTimer !== undefined) return;
    this.socket.write(PING);
    this.pongTimer = setTimeout(() => {
      this.pongTimer = undefined;
      if (!this.open) return;
      this.close();
      this.delegate.onKeepAliveFailed(this);
    }, this.options.keepAlive?.pongTimeoutMs ?? 0);
  }

  private keepAlive(kind: KeepAlive): void {
    if (kind === 'pong' && this.pongTimer !== undefined) {
      // The pong we wait for; a half ping held from before was something else.
      clearTimeout(this.pongTimer);
      this.pongTimer = undefined;
      this.pendingLineEnds = 0;
      return;
    }
    // A ping is two CRLFs, maybe from two reads: count them across the run.
    this.pendingLineEnds += kind === 'ping' ? 2 : 1;
    for (; this.pendingLineEnds >= 2; this.pendingLineEnds -= 2) {
      // RFC 5626 §4.4.1: the pong is a single CRLF.
      if (this.open) this.socket.write(PONG);
    }
  }
}

/** "::ffff:1.2.3.4", as a dual-stack socket reports an IPv4 peer, is 1.2.3.4. */
export function stripV4Mapped(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
