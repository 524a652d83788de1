/**
 * The web host: serves the built renderer on loopback and bridges the contract as JSON-RPC
 * 2.0 over a WebSocket. Any web page the user visits could try to reach a local port, so a
 * connection needs the per-run token, our own Origin and our own Host (no DNS rebinding).
 */
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventSink } from '../../../shared/contract.js';
import { eventNotification } from '../../../shared/jsonrpc.js';
import type { Logger } from '../../core/log.js';
import type { ContractBridge } from '../bridge.js';
import { handleRpcText } from '../rpc-server.js';
import { contentTypeOf, rendererCsp, resolveStaticFile } from '../static-files.js';

export interface WebHostOptions {
  bridge: ContractBridge;
  subscribe(sink: EventSink): () => void;
  /** The renderer build (dist/renderer). */
  staticDir: string;
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  host?: '127.0.0.1' | '::1';
  port?: number;
  token?: string;
  logger: Logger;
}

export interface WebHost {
  /** The address to open, token included (in the fragment, so it never reaches a log). */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const rpcPath = '/rpc';
const maxFrameBytes = 1 << 20;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { bridge, logger: log } = options;
  const bindHost = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  let port = 0;

  const hostLiteral = bindHost === '::1' ? '[::1]' : bindHost;
  const allowedHosts = () => new Set([`${hostLiteral}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([...allowedHosts()].map((h) => `http://${h}`));

  const csp = () => rendererCsp([`ws://${hostLiteral}:${port}`, `ws://localhost:${port}`]);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, 'wrong host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const found = resolveStaticFile(options.staticDir, (req.url ?? '/').split(/[?#]/, 1)[0]!);
    if (found === undefined) return refuse(res, 404, 'not found');
    res.writeHead(200, {
      'Content-Type': contentTypeOf(found.file),
      'Content-Length': found.size,
      'Content-Security-Policy': csp(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(found.file).pipe(res);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const deny = (status: number, why: string) => {
      log.warn('web host refused a connection', { why, origin: req.headers.origin ?? null });
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== rpcPath) return deny(404, 'Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return deny(421, 'Misdirected Request');
    if (!allowedOrigins().has(req.headers.origin ?? '')) return deny(403, 'Forbidden');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return deny(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  function serve(ws: WebSocket): void {
    const unsubscribe = options.subscribe((name, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(eventNotification(name, payload));
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      void handleRpcText(bridge, data.toString()).then((reply) => {
        if (reply !== undefined && ws.readyState === ws.OPEN) ws.send(reply);
      });
    });
    ws.on('close', unsubscribe);
    ws.on('error', (error) => log.warn('web socket error', { error: String(error) }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${hostLiteral}:${port}/#token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(`${message}\n`);
}
