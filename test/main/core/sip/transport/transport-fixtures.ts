/**
 * Helpers for the transport tests: a recording delegate, message texts, raw loopback peers and
 * a polling wait that gives up.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Destination, TransportProtocol } from '../../../../../main/core/sip/locator/index.js';
import { parseMessage, SipRequest, SipResponse, type SipMessage } from '../../../../../main/core/sip/messages/index.js';
import type { Flow } from '../../../../../main/core/sip/transport/flow.js';
import type { MalformedInfo, SipLogEntry, TransportDelegate } from '../../../../../main/core/sip/transport/transport-delegate.js';
import { TransportLayer, type TransportLayerOptions } from '../../../../../main/core/sip/transport/transport-layer.js';

export interface Received {
  readonly message: SipMessage;
  readonly source: Flow;
}

export class RecordingDelegate implements TransportDelegate {
  readonly received: Received[] = [];
  readonly malformed: MalformedInfo[] = [];
  readonly failedFlows: Flow[] = [];
  readonly logs: SipLogEntry[] = [];

  receiveMessage(message: SipMessage, source: Flow): void {
    this.received.push({ message, source });
  }

  onMalformed(info: MalformedInfo): void {
    this.malformed.push(info);
  }

  onFlowFailed(flow: Flow): void {
    this.failedFlows.push(flow);
  }

  onSipLog(entry: SipLogEntry): void {
    this.logs.push(entry);
  }

  requests(): { request: SipRequest; source: Flow }[] {
    return this.received.flatMap((r) => (r.message instanceof SipRequest ? [{ request: r.message, source: r.source }] : []));
  }

  responses(): SipResponse[] {
    return this.received.flatMap((r) => (r.message instanceof SipResponse ? [r.message] : []));
  }
}

/** Layers made by a test, closed by `closeAll`. */
export class LayerSet {
  private readonly layers: TransportLayer[] = [];
  private readonly closers: (() => void)[] = [];

  make(options?: TransportLayerOptions): { layer: TransportLayer; delegate: RecordingDelegate } {
    const delegate = new RecordingDelegate();
    const layer = new TransportLayer(delegate, options);
    this.layers.push(layer);
    return { layer, delegate };
  }

  onClose(closer: () => void): void {
    this.closers.push(closer);
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0)) close();
    await Promise.all(this.layers.splice(0).map((l) => l.close()));
  }
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let branchCounter = 0;

export interface RequestTextOptions {
  readonly method?: string;
  readonly transport?: string;
  /** sent-by host (an IPv6 address in brackets). */
  readonly viaHost: string;
  readonly viaPort?: number;
  readonly viaParams?: string;
  readonly extraHeaders?: readonly string[];
  readonly body?: string;
}

export function requestText(o: RequestTextOptions): string {
  const method = o.method ?? 'OPTIONS';
  const body = o.body ?? '';
  const sentBy = o.viaPort === undefined ? o.viaHost : `${o.viaHost}:${o.viaPort}`;
  return [
    `${method} sip:bob@example.test SIP/2.0`,
    `Via: SIP/2.0/${o.transport ?? 'UDP'} ${sentBy};branch=z9hG4bK${++branchCounter}${o.viaParams ?? ''}`,
    'Max-Forwards: 70',
    'To: <sip:bob@example.test>',
    'From: <sip:alice@example.test>;tag=a1',
    `Call-ID: call-${branchCounter}@example.test`,
    `CSeq: 1 ${method}`,
    ...(o.extraHeaders ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

export function request(o: RequestTextOptions): SipRequest {
  const message = parseMessage(requestText(o));
  if (!(message instanceof SipRequest)) throw new Error('not a request');
  return message;
}

/** A response to `request` (§8.2.6.2): its Via, From, To, Call-ID and CSeq copied. */
export function responseTo(request: SipRequest, status = 200): SipResponse {
  const copied = request.headers.filter((f) => ['via', 'from', 'to', 'call-id', 'cseq'].includes(f.key));
  return new SipResponse({ status, headers: copied });
}

export function destination(transport: TransportProtocol, address: string, port: number, serverName?: string): Destination {
  return { transport, address, port, family: net.isIPv6(address) ? 6 : 4, ...(serverName === undefined ? {} : { serverName }) };
}

/** A raw UDP peer that records what it receives. */
export async function rawUdp(address: string): Promise<{ socket: dgram.Socket; port: number; received: string[] }> {
  const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  const received: string[] = [];
  socket.on('message', (m) => received.push(m.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
  return { socket, port: socket.address().port, received };
}

/** A raw TCP server that records what it receives and can answer. */
export async function rawTcpServer(
  address: string,
  onData?: (socket: net.Socket, chunk: string) => void,
): Promise<{ server: net.Server; port: number; received: string[]; sockets: net.Socket[] }> {
  const received: string[] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received.push(chunk.toString('utf8'));
      onData?.(socket, chunk.toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, () => resolve()));
  return { server, port: (server.address() as net.AddressInfo).port, received, sockets };
}

/** A raw TCP client that records what it receives and whether it was closed. */
export async function rawTcpClient(address: string, port: number): Promise<{ socket: net.Socket; received: () => string; closed: () => boolean }> {
  const socket = net.connect({ host: address, port });
  let text = '';
  let isClosed = false;
  socket.on('data', (chunk) => (text += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  socket.on('close', () => (isClosed = true));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => text, closed: () => isClosed };
}
