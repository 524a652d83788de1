/**
 * The transport layer (RFC 3261 §18): sends requests and responses over UDP, TCP and TLS, IPv4
 * and IPv6, and hands every well-formed received message to its delegate.
 *
 * - Client side (§18.1): a request over UDP larger than 1300 bytes goes over TCP (§18.1.1),
 *   and over UDP after all when the TCP connection is refused or cannot be opened; the top Via
 *   names the transport really used; a response whose top Via we did not write is dropped
 *   (§18.1.2).
 * - Server side (§18.2): received/rport in the top Via of requests (§18.2.1, RFC 3581);
 *   responses routed by §18.2.2, a sent-by host name resolved by RFC 3263 §5 when a locator is
 *   given.
 * - Connections: one per remote address, port and transport (and TLS server name), opened on
 *   demand, shared with connections peers opened to us, closed when idle, bounded in number
 *   (both directions; at the bound the least recently used idle one makes room).
 * - Failed flows (RFC 5626 §4.4): a connection we opened whose keep-alive pong goes missing, or
 *   that the peer closes or resets while retained or used within the idle period, is reported
 *   through `onFlowFailed` — so that a registration over it can form a new flow (§4.5).
 * - Malformed input (§18.3, RFC 4475): a request that can be identified is answered 400 (501
 *   for an unknown method with a mismatched CSeq), other messages dropped, an unframeable
 *   stream closed, a stream stuck in the middle of a message closed after a while; each one
 *   reported to the delegate.
 */
import net from 'node:net';
import tls from 'node:tls';
import { SipParseError } from '../grammar/index.js';
import { LocatorError, type Destination, type ServerLocator, type TransportProtocol } from '../locator/index.js';
import { parseMessage, serializeMessage, Via, type SipMessage, type SipParseLimits, type SipResponse } from '../messages/index.js';
import { redactSipText } from '../log/redact.js';
import { bareAddress, hostPort, type Flow } from './flow.js';
import { malformedRequestAnswer } from './malformed-answer.js';
import { stampReceived, stampedVia } from './received-via.js';
import { responseLocatorTarget, responseTarget, viaTransport, type ResponseTarget } from './response-routing.js';
import { StreamConnection, stripV4Mapped, type KeepAliveOptions, type StreamConnectionDelegate } from './stream-connection.js';
import { dialStream } from './stream-dialer.js';
import type { TlsClientOptions, TlsServerOptions } from './tls-options.js';
import type { MalformedInfo, SipLogEntry, TransportDelegate } from './transport-delegate.js';
import { TransportError } from './transport-error.js';
import { UdpTransport } from './udp-transport.js';

/** §18.1.1: MTU 1500 less 200 bytes of headroom, when the path MTU is unknown. */
export const UDP_SIZE_THRESHOLD = 1300;

export interface TransportLayerOptions {
  /** Close a connection after this long with no message and no user. Default 120 s. */
  readonly idleTimeoutMs?: number;
  /**
   * Connections open or opening at once, both directions. At the bound, the least recently used
   * connection that is not retained and holds no partial message is closed to make room; a new
   * connection is refused only when there is none. Default 256.
   */
  readonly maxConnections?: number;
  /**
   * A stream connection holding part of a message is closed when no more bytes come for this
   * long (RFC 4475 §3.1.2.2), and reported as malformed ("incomplete message"). Default 10 s.
   */
  readonly incompleteMessageTimeoutMs?: number;
  /**
   * Resolves a response's Via sent-by when it is a host name (RFC 3263 §5). Without one, such a
   * response is rejected with `bad_message` (unless the request's connection is still open).
   */
  readonly locator?: ServerLocator;
  /**
   * The methods we implement, for answering 501 instead of 400 to an unknown method whose CSeq
   * does not match (RFC 4475 §3.1.2.18). Default `IMPLEMENTED_METHODS`.
   */
  readonly implementedMethods?: readonly string[];
  /** Default 10 s. */
  readonly connectTimeoutMs?: number;
  /**
   * CRLF keep-alive on connections we open (RFC 5626 §3.5.1, §4.4.1). Default: none (the phone
   * turns it on: see `Signalling`).
   */
  readonly keepAlive?: KeepAliveOptions;
  readonly tls?: TlsClientOptions;
  readonly limits?: Partial<SipParseLimits>;
  /**
   * §18.1.1 policy for a request over UDP larger than 1300 bytes: 'tcp' (the RFC's MUST) or
   * 'udp' (keep UDP, for servers known not to speak TCP). Default 'tcp'. With 'tcp', a request
   * whose TCP connection is refused, times out or fails to open is sent over UDP after all
   * (§18.1.1: "the element SHOULD retry the request, using UDP").
   */
  readonly largeUdpRequest?: 'tcp' | 'udp';
}

export interface ListenOptions {
  readonly transport: TransportProtocol;
  /** An IP address to bind, e.g. "0.0.0.0", "::", "127.0.0.1". */
  readonly address: string;
  /** Default 0: an ephemeral port. */
  readonly port?: number;
  /** Required for TLS. */
  readonly tls?: TlsServerOptions;
}

export interface ListeningPoint {
  readonly transport: TransportProtocol;
  readonly address: string;
  readonly port: number;
}

export interface SendOptions {
  /** The destination speaks UDP only: never switch a large request to TCP (§18.1.1). */
  readonly udpOnly?: boolean;
}

interface StreamServer {
  readonly point: ListeningPoint;
  readonly server: net.Server;
}

const decoder = new TextDecoder();

function isKeepAliveDatagram(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 13 || b === 10);
}

/** §18.1.1: the TCP failures after which a large request is retried over UDP. */
const UDP_FALLBACK_CODES: ReadonlySet<string> = new Set(['connection_refused', 'connect_timeout', 'connect_failed']);

/** How long a destination whose TCP failed gets large requests over UDP directly. */
const TCP_FAILURE_MEMORY_MS = 5 * 60_000;
const TCP_FAILURE_MEMORY_SIZE = 64;

function connectionKey(transport: TransportProtocol, address: string, port: number, serverName?: string): string {
  return `${transport} ${address.toLowerCase()} ${port} ${serverName ?? ''}`;
}

export class TransportLayer {
  private readonly udp: UdpTransport[] = [];
  private readonly servers: StreamServer[] = [];
  /** Open connections by flow id. */
  private readonly connections = new Map<string, StreamConnection>();
  /** Open connections by remote transport, address, port and TLS server name. */
  private readonly byRemote = new Map<string, StreamConnection>();
  private readonly dialing = new Map<string, Promise<StreamConnection>>();
  /** The sent-by values we put in the top Via of requests (§18.1.2). */
  private readonly sentBy = new Set<string>();
  /** UDP destinations ("address port") whose TCP failed lately, with when to try TCP again. */
  private readonly tcpFailed = new Map<string, number>();
  private nextConnectionId = 1;
  private malformedCount = 0;
  private closed = false;
  private readonly connectionDelegate: StreamConnectionDelegate;

  constructor(
    private readonly delegate: TransportDelegate,
    private readonly options: TransportLayerOptions = {},
  ) {
    this.connectionDelegate = {
      onMessage: (connection, bytes) => this.guard(() => this.receiveBytes(bytes, connection.flow)),
      onFramingError: (connection, error) =>
        this.guard(() => {
          this.log('in', connection.flow, '', error.message);
          this.reportMalformed(connection.flow, error.reason, 'disconnected');
        }),
      onIncompleteMessage: (connection, bufferedBytes) =>
        this.guard(() => {
          this.log('in', connection.flow, '', `incomplete message: ${bufferedBytes} bytes, then nothing`);
          this.reportMalformed(connection.flow, 'incomplete message', 'disconnected');
        }),
      onKeepAliveFailed: (connection) => this.guard(() => this.delegate.onFlowFailed?.(connection.flow)),
      onPeerClosed: (connection) =>
        this.guard(() => {
          // A flow someone relied on: held by a user, or carrying messages lately. An idle one
          // the peer tidies away is no news (we would have closed it ourselves soon).
          const recent = Date.now() - connection.lastUsedAt < this.idleTimeoutMs;
          if (connection.outbound && !this.closed && (connection.retained || recent)) this.delegate.onFlowFailed?.(connection.flow);
        }),
      onClosed: (connection) => this.forget(connection),
    };
  }

  private get idleTimeoutMs(): number {
    return this.options.idleTimeoutMs ?? 120_000;
  }

  /** Connections open now, both directions. */
  get connectionCount(): number {
    return this.connections.size;
  }

  listeningPoints(): readonly ListeningPoint[] {
    return [...this.udp.map((u): ListeningPoint => ({ transport: 'udp', address: u.address, port: u.port })), ...this.servers.map((s) => s.point)];
  }

  async listen(options: ListenOptions): Promise<ListeningPoint> {
    if (this.closed) throw new TransportError('closed', 'the transport layer is closed');
    const port = options.port ?? 0;
    if (options.transport === 'udp') {
      const udp = await UdpTransport.bind(options.address, port, {
        onDatagram: (transport, bytes, address, remotePort) => this.guard(() => this.receiveDatagram(transport, bytes, address, remotePort)),
      });
      this.udp.push(udp);
      return { transport: 'udp', address: udp.address, port: udp.port };
    }
    const transport = options.transport;
    let server: net.Server;
    if (transport === 'tls') {
      if (options.tls === undefined) throw new TransportError('no_listening_point', 'a TLS listening point needs a key and certificate');
      server = tls.createServer({ key: options.tls.key, cert: options.tls.cert }, (socket) => this.accept(socket, 'tls'));
      // A failed handshake from a peer is its problem, not ours.
      server.on('tlsClientError', () => undefined);
    } else {
      server = net.createServer((socket) => this.accept(socket, 'tcp'));
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new TransportError('no_listening_point', `cannot listen on ${transport} ${hostPort(options.address, port)}: ${error.message}`, { cause: error })),
      );
      server.listen({ host: options.address, port, ipv6Only: net.isIPv6(options.address) }, () => resolve());
    });
    server.on('error', () => undefined);
    const bound = server.address() as net.AddressInfo;
    const point: ListeningPoint = { transport, address: bound.address, port: bound.port };
    this.servers.push({ point, server });
    return point;
  }

  /**
   * Sends a message to one destination (§18.1.1). A request must carry its top Via (with the
   * branch); its transport is set to the one used. Rejects with a `TransportError`.
   */
  async send(message: SipMessage, destination: Destination, options: SendOptions = {}): Promise<void> {
    if (this.closed) throw new TransportError('closed', 'the transport layer is closed');
    let transport = destination.transport;
    let switchedToTcp = false;
    if (message.kind === 'request') {
      const top = this.topViaOf(message);
      const large = serializeMessage(message).length > UDP_SIZE_THRESHOLD;
      // §18.1.1: too large for UDP without knowing the path MTU: a congestion-controlled transport.
      if (
        transport === 'udp' &&
        large &&
        this.options.largeUdpRequest !== 'udp' &&
        options.udpOnly !== true &&
        !this.tcpFailedLately(destination)
      ) {
        transport = 'tcp';
        switchedToTcp = true;
      }
      setViaTransport(message, top, transport);
      this.rememberSentBy(top);
    }
    if (transport === 'udp') {
      await this.sendUdp(serializeMessage(message), destination.address, destination.port);
      return;
    }
    let connection: StreamConnection;
    try {
      connection = await this.connectionTo(transport, destination.address, destination.port, destination.serverName);
    } catch (error) {
      if (!switchedToTcp || !(error instanceof TransportError) || !UDP_FALLBACK_CODES.has(error.code)) throw error;
      // §18.1.1: "If ... the attempt to establish the connection generates either an ICMP
      // Protocol Not Supported, or results in a TCP reset, the element SHOULD retry the
      // request, using UDP" — with the top Via saying so again.
      this.rememberTcpFailure(destination);
      setViaTransport(message, this.topViaOf(message), 'udp');
      await this.sendUdp(serializeMessage(message), destination.address, destination.port);
      return;
    }
    const bytes = serializeMessage(message);
    await connection.write(bytes);
    this.log('out', connection.flow, bytes);
  }

  private async sendUdp(bytes: Uint8Array, address: string, port: number, from?: UdpTransport): Promise<void> {
    const udp = from ?? this.udpFor(address);
    await udp.send(bytes, address, port);
    this.log('out', this.udpFlow(udp, address, port), bytes);
  }

  /**
   * Sends a response to the request that came over `requestFlow` (§18.2.2): on the same
   * connection while it is open; else to the address its top Via gives.
   */
  async sendResponse(response: SipResponse, requestFlow: Flow): Promise<void> {
    if (this.closed) throw new TransportError('closed', 'the transport layer is closed');
    const top = this.topViaOf(response);
    const bytes = serializeMessage(response);
    if (requestFlow.transport !== 'udp') {
      const connection = this.connections.get(requestFlow.id);
      if (connection?.isOpen === true) {
        await connection.write(bytes);
        this.log('out', connection.flow, bytes);
        return;
      }
    }
    const target = responseTarget(top);
    if (target !== undefined) {
      await this.sendResponseTo(bytes, target, requestFlow);
      return;
    }
    const named = responseLocatorTarget(top);
    const locator = this.options.locator;
    if (named === undefined || locator === undefined) {
      throw new TransportError('bad_message', `no route for a response to Via ${top.toString()}`);
    }
    // RFC 3263 §5: the sent-by host name resolved like a URI with that transport (and port, if
    // any); each destination tried in turn, as §4.3 does for requests.
    let destinations: Destination[];
    try {
      destinations = await locator.locate(named);
    } catch (error) {
      if (!(error instanceof LocatorError)) throw error;
      throw new TransportError('bad_message', `no route for a response to Via ${top.toString()}: ${error.message}`, { cause: error });
    }
    let lastError: unknown;
    for (const destination of destinations) {
      if (this.closed) throw new TransportError('closed', 'the transport layer is closed');
      try {
        await this.sendResponseTo(bytes, destination, requestFlow, destination.serverName);
        return;
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        lastError = error;
      }
    }
    throw lastError instanceof TransportError
      ? lastError
      : new TransportError('bad_message', `no route for a response to Via ${top.toString()}`);
  }

  private async sendResponseTo(bytes: Uint8Array, target: ResponseTarget, requestFlow: Flow, serverName?: string): Promise<void> {
    if (target.transport === 'udp') {
      // RFC 3581 §4: from the address and port the request arrived on (when of the same family).
      const family = net.isIPv6(target.address) ? 'IPv6' : 'IPv4';
      const udp = this.udp.find((u) => u.address === requestFlow.localAddress && u.port === requestFlow.localPort && u.family === family);
      await this.sendUdp(bytes, target.address, target.port, udp);
      return;
    }
    const connection = await this.connectionTo(target.transport, target.address, target.port, serverName);
    await connection.write(bytes);
    this.log('out', connection.flow, bytes);
  }

  /**
   * The open flow `send` would use now for a destination over TCP or TLS — the connection last
   * used to it (ours or the peer's, RFC 5923-style reuse) — or undefined (UDP, none open).
   */
  flowTo(destination: Pick<Destination, 'transport' | 'address' | 'port' | 'serverName'>): Flow | undefined {
    if (destination.transport === 'udp') return undefined;
    const open = this.byRemote.get(connectionKey(destination.transport, destination.address, destination.port, destination.serverName));
    return open?.isOpen === true ? open.flow : undefined;
  }

  /** Keeps a connection open past its idle time (e.g. a registration's flow) until `releaseFlow`. */
  retainFlow(flowId: string): boolean {
    const connection = this.connections.get(flowId);
    connection?.retain();
    return connection !== undefined;
  }

  releaseFlow(flowId: string): void {
    this.connections.get(flowId)?.release();
  }

  /**
   * Closes a flow ourselves (retained or not): after a network change its connection may be
   * bound to an address that is gone, and would only fail once a keep-alive goes unanswered
   * (pjsua's `shutdown_tp` on an IP change). Our own close is no flow failure; the next send
   * opens a new connection.
   */
  closeFlow(flowId: string): void {
    this.connections.get(flowId)?.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of [...this.connections.values()]) connection.close();
    const closing: Promise<void>[] = this.udp.map((u) => u.close());
    for (const { server } of this.servers) closing.push(new Promise<void>((resolve) => server.close(() => resolve())));
    this.udp.length = 0;
    this.servers.length = 0;
    await Promise.all(closing);
  }

  private topViaOf(message: SipMessage): Via {
    let top: Via | undefined;
    try {
      top = message.topVia;
    } catch (error) {
      throw new TransportError('bad_message', 'the top Via does not parse', { cause: error });
    }
    if (top === undefined) throw new TransportError('bad_message', 'a message needs a Via to be sent');
    return top;
  }

  private tcpFailedLately(destination: Destination): boolean {
    const key = `${destination.address.toLowerCase()} ${destination.port}`;
    const until = this.tcpFailed.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.tcpFailed.delete(key);
    return false;
  }

  private rememberTcpFailure(destination: Destination): void {
    // Bounded: forgetting early only costs another TCP attempt.
    if (this.tcpFailed.size >= TCP_FAILURE_MEMORY_SIZE) this.tcpFailed.clear();
    this.tcpFailed.set(`${destination.address.toLowerCase()} ${destination.port}`, Date.now() + TCP_FAILURE_MEMORY_MS);
  }

  private rememberSentBy(via: Via): void {
    // Bounded: a phone writes a handful of sent-by values (one per listening point).
    if (this.sentBy.size >= 64) this.sentBy.clear();
    this.sentBy.add(sentByKey(via));
  }

  private udpFor(address: string): UdpTransport {
    const family = net.isIPv6(address) ? 'IPv6' : 'IPv4';
    const udp = this.udp.find((u) => u.family === family);
    if (udp === undefined) throw new TransportError('no_listening_point', `no UDP listening point for ${family}`);
    return udp;
  }

  private udpFlow(udp: UdpTransport, address: string, port: number): Flow {
    return {
      id: `udp ${hostPort(udp.address, udp.port)} ${hostPort(address, port)}`,
      transport: 'udp',
      localAddress: udp.address,
      localPort: udp.port,
      remoteAddress: address,
      remotePort: port,
    };
  }

  /** The open connection to a remote, or a new one (§18.1.1; RFC 5923-style reuse). */
  private async connectionTo(transport: TransportProtocol, address: string, port: number, serverName: string | undefined): Promise<StreamConnection> {
    const key = connectionKey(transport, address, port, serverName);
    const open = this.byRemote.get(key);
    if (open?.isOpen === true) return open;
    const pending = this.dialing.get(key);
    if (pending !== undefined) return pending;
    if (!this.makeRoom()) throw new TransportError('too_many_connections', 'the connection limit is reached');
    const dial = (async (): Promise<StreamConnection> => {
      const socket = await dialStream(
        { transport, address, port, family: net.isIPv6(address) ? 6 : 4, serverName },
        { connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000, tls: this.options.tls ?? {} },
      );
      if (this.closed) {
        socket.destroy();
        throw new TransportError('closed', 'the transport layer is closed');
      }
      return this.register(socket, transport, true, key);
    })();
    this.dialing.set(key, dial);
    try {
      return await dial;
    } finally {
      this.dialing.delete(key);
    }
  }

  /**
   * Whether one more connection fits, after closing the least recently used idle one (not
   * retained, no partial message buffered) if the limit was reached.
   */
  private makeRoom(): boolean {
    const max = this.options.maxConnections ?? 256;
    if (this.connections.size + this.dialing.size < max) return true;
    let victim: StreamConnection | undefined;
    for (const connection of this.connections.values()) {
      if (!connection.isOpen || connection.retained || connection.bufferedBytes > 0) continue;
      if (victim === undefined || connection.lastUsedAt < victim.lastUsedAt) victim = connection;
    }
    if (victim === undefined) return false;
    victim.close();
    return this.connections.size + this.dialing.size < max;
  }

  private accept(socket: net.Socket, transport: TransportProtocol): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    if (!this.makeRoom()) {
      // Refused, but not silently: the user can see that the limit is hurting.
      const flow: Flow = {
        id: `${transport}#${this.nextConnectionId++} refused`,
        transport,
        localAddress: stripV4Mapped(socket.localAddress ?? ''),
        localPort: socket.localPort ?? 0,
        remoteAddress: stripV4Mapped(socket.remoteAddress ?? ''),
        remotePort: socket.remotePort ?? 0,
      };
      socket.on('error', () => undefined);
      socket.destroy();
      this.log('in', flow, '', 'connection refused: the connection limit is reached');
      this.reportMalformed(flow, 'connection limit reached', 'disconnected');
      return;
    }
    // A connection a peer opened is reused to send to that peer's address and port.
    const key = connectionKey(transport, stripV4Mapped(socket.remoteAddress ?? ''), socket.remotePort ?? 0);
    this.register(socket, transport, false, key);
  }

  private register(socket: net.Socket, transport: TransportProtocol, outbound: boolean, key: string): StreamConnection {
    const connection = new StreamConnection(
      socket,
      {
        id: `${transport}#${this.nextConnectionId++}`,
        transport,
        outbound,
        idleTimeoutMs: this.idleTimeoutMs,
        incompleteMessageTimeoutMs: this.options.incompleteMessageTimeoutMs ?? 10_000,
        keepAlive: outbound ? this.options.keepAlive : undefined,
        limits: this.options.limits,
      },
      this.connectionDelegate,
    );
    this.connections.set(connection.flow.id, connection);
    this.byRemote.set(key, connection);
    remoteKeys.set(connection, key);
    return connection;
  }

  private forget(connection: StreamConnection): void {
    this.connections.delete(connection.flow.id);
    const key = remoteKeys.get(connection);
    if (key !== undefined && this.byRemote.get(key) === connection) this.byRemote.delete(key);
  }

  private receiveDatagram(udp: UdpTransport, bytes: Uint8Array, address: string, port: number): void {
    // RFC 5626 §3.5.2 keep-alives and stray CRLFs are not messages.
    if (isKeepAliveDatagram(bytes)) return;
    this.receiveBytes(bytes, this.udpFlow(udp, stripV4Mapped(address), port));
  }

  /** §18.3: one message, from a datagram or cut from a stream. */
  private receiveBytes(bytes: Uint8Array, flow: Flow): void {
    let message: SipMessage;
    try {
      message = parseMessage(bytes, { ...this.options.limits, framing: flow.transport === 'udp' ? 'datagram' : 'stream' });
      if (message.kind === 'request') stampReceived(message, flow.remoteAddress, flow.remotePort);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      this.log('in', flow, bytes, error.message);
      this.answerMalformed(error, flow);
      return;
    }
    this.log('in', flow, bytes);
    if (message.kind === 'response') {
      // §18.1.2: a response whose top Via we did not write is not ours.
      const top = message.topVia;
      if (top === undefined || !this.sentBy.has(sentByKey(top))) {
        this.reportMalformed(flow, 'top Via sent-by is not ours', 'dropped');
        return;
      }
    }
    this.delegate.receiveMessage(message, flow);
  }

  private answerMalformed(error: SipParseError, flow: Flow): void {
    const answer = malformedRequestAnswer(error, { implementedMethods: this.options.implementedMethods });
    if (answer === undefined) {
      this.reportMalformed(flow, error.reason, 'dropped');
      return;
    }
    // §18.2.1 applies to the request we could not parse, so the answer is routed like any other.
    const vias = answer.via;
    const stamped = stampedVia(vias[0]!, flow.remoteAddress, flow.remotePort);
    if (stamped !== undefined) answer.set('Via', [stamped, ...vias.slice(1)]);
    this.reportMalformed(flow, error.reason, 'answered');
    this.sendResponse(answer, flow).catch(() => undefined);
  }

  private reportMalformed(flow: Flow, reason: string, action: MalformedInfo['action']): void {
    this.malformedCount++;
    this.delegate.onMalformed?.({ flow, reason, count: this.malformedCount, action });
  }

  private log(direction: 'in' | 'out', flow: Flow, bytes: Uint8Array | string, error?: string): void {
    const sink = this.delegate.onSipLog;
    if (sink === undefined) return;
    const text = redactSipText(typeof bytes === 'string' ? bytes : decoder.decode(bytes));
    const firstLine = text.replace(/^[\r\n]+/, '').split(/\r?\n/, 1)[0]!.slice(0, 256);
    const entry: SipLogEntry = {
      direction,
      transport: flow.transport,
      localAddress: flow.localAddress,
      localPort: flow.localPort,
      remoteAddress: flow.remoteAddress,
      remotePort: flow.remotePort,
      firstLine,
      text,
      ...(error === undefined ? {} : { error }),
    };
    sink.call(this.delegate, entry);
  }

  /** Never throw out of a socket callback: a failure in handling one message is contained. */
  private guard(work: () => void): void {
    try {
      work();
    } catch {
      // The message is lost; the socket and the other messages are not.
    }
  }
}

/** Which connection-table key each connection is filed under. */
const remoteKeys = new WeakMap<StreamConnection, string>();

/** Rewrites the top Via (`top`) to name `transport`, when it names another. */
function setViaTransport(message: SipMessage, top: Via, transport: TransportProtocol): void {
  if (viaTransport(top) === transport) return;
  const rewritten = new Via({
    protocolName: top.protocolName,
    protocolVersion: top.protocolVersion,
    transport,
    host: top.host,
    port: top.port,
    params: top.params,
  });
  message.set('Via', [rewritten, ...message.via.slice(1)]);
}

function sentByKey(via: Via): string {
  return `${bareAddress(via.host)} ${via.port ?? ''}`;
}
