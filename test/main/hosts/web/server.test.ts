import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventSink } from '../../../../shared/contract.js';
import { silentLogger } from '../../../../main/core/log.js';
import { startWebHost, type WebHost } from '../../../../main/hosts/web/server.js';
import { testCore } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';

let host: WebHost | undefined;
const sinks = new Set<EventSink>();
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(): Promise<WebHost> {
  const { core, bridge } = await testCore({ host: 'web' });
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>shell</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(staticDir, '..', 'secret.txt'), 'outside the root');
  const subscribe = (sink: EventSink) => {
    // Keep a handle on each connection's sink so a test can play the core emitting an event.
    sinks.add(sink);
    const stop = core.subscribe(sink);
    return () => {
      sinks.delete(sink);
      stop();
    };
  };
  host = await startWebHost({ bridge, subscribe, staticDir, logger: silentLogger });
  return host;
}

/** Opens the RPC socket; resolves with the open socket or the HTTP status it was refused with. */
function connect(web: WebHost, opts: { token?: string; origin?: string; path?: string }): Promise<WebSocket | number> {
  const url = `ws://127.0.0.1:${web.port}${opts.path ?? '/rpc'}?token=${encodeURIComponent(opts.token ?? web.token)}`;
  const ws = new WebSocket(url, { origin: opts.origin ?? `http://127.0.0.1:${web.port}` });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

function rawGet(port: number, path: string, hostHeader: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: hostHeader } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host', () => {
  it('prints a loopback URL with a per-run token in the fragment', async () => {
    const web = await start();
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/#token=${web.token}`);
    expect(web.token.length).toBeGreaterThanOrEqual(32);
    const other = await startWebHost({
      bridge: (await testCore()).bridge,
      subscribe: () => () => {},
      staticDir: tempDir(),
      logger: silentLogger,
    });
    expect(other.token).not.toBe(web.token);
    await other.close();
  });

  it('serves the renderer with a CSP, and nothing outside it', async () => {
    const web = await start();
    const index = await fetch(`http://127.0.0.1:${web.port}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>shell</title>');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await fetch(`http://127.0.0.1:${web.port}/assets/app.js?v=1`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/nope.js', '/assets']) {
      const res = await rawGet(web.port, path, `127.0.0.1:${web.port}`);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('outside the root');
    }
    expect((await fetch(`http://127.0.0.1:${web.port}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const web = await start();
    expect((await rawGet(web.port, '/', `evil.example:${web.port}`)).status).toBe(421);
    expect((await rawGet(web.port, '/', `localhost:${web.port}`)).status).toBe(200);
  });

  it('refuses a wrong or missing token', async () => {
    const web = await start();
    expect(await connect(web, { token: 'wrong' })).toBe(401);
    expect(await connect(web, { token: '' })).toBe(401);
    expect(await connect(web, { token: web.token.slice(0, -1) })).toBe(401);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const web = await start();
    expect(await connect(web, { origin: 'https://evil.example' })).toBe(403);
    expect(await connect(web, { origin: 'null' })).toBe(403);
    expect(await connect(web, { origin: `http://127.0.0.1:${web.port + 1}` })).toBe(403);
    expect(await connect(web, { path: '/other' })).toBe(404);
  });

  it('bridges JSON-RPC for the right token and Origin, with events as notifications', async () => {
    const web = await start();
    const ws = await connect(web, {});
    expect(ws).toBeInstanceOf(WebSocket);
    const socket = ws as WebSocket;
    const messages: Record<string, unknown>[] = [];
    const waitFor = (match: (m: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const check = () => {
          const found = messages.find(match);
          if (found === undefined) setTimeout(check, 5);
          else resolve(found);
        };
        check();
      });
    const reply = (id: number) => waitFor((m) => m['id'] === id);
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'app.info' }));
    expect(await reply(1)).toMatchObject({ id: 1, result: { host: 'web', version: '9.9.9-test' } });

    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'accounts.add', params: { user: 'carol', domain: 'lab.test', register: false } }));
    const account = (await reply(2)) as { result: { id: string } };
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'accounts.remove', params: { id: account.result.id } }));
    expect(await reply(3)).toEqual({ jsonrpc: '2.0', id: 3, result: null });

    expect(sinks.size).toBe(1);
    for (const sink of sinks) sink('account.state', { accountId: 'a1', state: 'registering' });
    expect(await waitFor((m) => m['method'] === 'account.state')).toEqual({
      jsonrpc: '2.0',
      method: 'account.state',
      params: { accountId: 'a1', state: 'registering' },
    });
    socket.close();
    await new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sinks.size).toBe(0);
  });
});
