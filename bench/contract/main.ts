/**
 * What the contract costs: requests per second of `accounts.list` (one account) called
 * (a) straight on the core's handler, (b) through the validating bridge every host uses, and
 * (c) as JSON-RPC over the web host's WebSocket. Prints the rates and the ratios to (a).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createCore } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { MemorySecretStore } from '../../main/core/store/secret-store.js';
import { ContractBridge } from '../../main/hosts/bridge.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import { accountFields } from '../../test/helpers/account-fields.js';

async function rate(label: string, seconds: number, once: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await once(); // warm-up
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await once();
    n++;
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  process.stdout.write(`${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en').padStart(10)} req/s\n`);
  return perSecond;
}

const dataDir = mkdtempSync(join(tmpdir(), 'bench-contract-'));
const core = await createCore({ dataDir, host: 'web', appName: 'bench', appVersion: '0', secrets: new MemorySecretStore() });
await core.handlers['accounts.add'](accountFields({ user: 'alice', domain: 'lab.test', transport: 'udp', registerExpires: 600, register: true, enabled: true }));
const bridge = new ContractBridge(core.handlers, silentLogger);
const web = await startWebHost({ bridge, subscribe: (s) => core.subscribe(s), staticDir: dataDir, logger: silentLogger });
const ws = new WebSocket(`ws://127.0.0.1:${web.port}/rpc?token=${web.token}`, { origin: `http://127.0.0.1:${web.port}` });
await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
let id = 0;
const viaSocket = () =>
  new Promise<void>((resolve) => {
    ws.once('message', () => resolve());
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'accounts.list' }));
  });

const direct = await rate('core handler (no validation)', 2, () => core.handlers['accounts.list']({}));
const bridged = await rate('bridge (params + result checked)', 2, () => bridge.invoke('accounts.list', {}));
const socket = await rate('JSON-RPC over WebSocket', 2, viaSocket);
process.stdout.write(`ratio bridge/direct: ${(bridged / direct).toFixed(2)}   websocket/direct: ${(socket / direct).toFixed(2)}\n`);

ws.close();
await web.close();
await core.close();
rmSync(dataDir, { recursive: true, force: true });
