/**
 * Call setup time: from "place the call" to the call being confirmed (2xx received, ACK sent),
 * through the lab's Kamailio on loopback to an auto-answering baresip (bob). Our phone (core,
 * `calls.dial` → `call.state` established) and, in the same run, baresip alice calling the
 * same target (ctrl_tcp `dial` → CALL_ESTABLISHED) take turns; prints median and p90 of each
 * and the ratio. Aim: no slower than baresip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallView } from '../../shared/model.js';
import { createCore } from '../../main/core/index.js';
import { MemorySecretStore } from '../../main/core/store/secret-store.js';
import { startBaresip } from '../../test/interop/lab/baresip.js';
import { startKamailio } from '../../test/interop/lab/kamailio.js';
import { accountFields } from '../../test/helpers/account-fields.js';
import { labDns } from '../../test/interop/lab/dns.js';

const rounds = Number(process.env['CALL_SETUP_ROUNDS'] ?? 20);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const kamailio = await startKamailio();
const bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto' });
const alice = await startBaresip({ user: 'alice', kamailio, answerMode: 'manual' });
const dataDir = mkdtempSync(join(tmpdir(), 'bench-call-setup-'));
const core = await createCore({
  dataDir,
  host: 'cli',
  appName: 'bench',
  appVersion: '0',
  secrets: new MemorySecretStore(),
  dns: labDns(kamailio),
  config: { accounts: [], sip: { listen: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] } },
});
const waiters = new Map<string, { state: CallView['state']; resolve: () => void }>();
core.subscribe((name, payload) => {
  if (name !== 'call.state') return;
  const call = payload as CallView;
  const waiter = waiters.get(call.id);
  if (waiter !== undefined && waiter.state === call.state) {
    waiters.delete(call.id);
    waiter.resolve();
  }
});
const reach = (id: string, state: CallView['state']) => new Promise<void>((resolve) => waiters.set(id, { state, resolve }));

await core.handlers['accounts.add'](accountFields({
  user: 'eve',
  domain: 'lab.test',
  password: 'evepass',
  transport: 'udp',
  registerExpires: 600,
  register: true,
  enabled: true,
}));
for (let i = 0; i < 100 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) await sleep(50);

async function ours(): Promise<number> {
  const start = performance.now();
  // Subscribe before the dial returns: the 2xx may come back first on loopback.
  let id = '';
  const established = new Promise<void>((resolve) => {
    const stop = core.subscribe((name, payload) => {
      const call = payload as CallView;
      if (name === 'call.state' && call.state === 'established' && (id === '' || call.id === id)) {
        stop();
        resolve();
      }
    });
  });
  const call = await core.handlers['calls.dial']({ target: 'sip:bob@lab.test' });
  id = call.id;
  await established;
  const elapsed = performance.now() - start;
  const ended = reach(call.id, 'terminated');
  await core.handlers['calls.hangup']({ callId: call.id });
  await ended;
  await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  return elapsed;
}

async function baresip(): Promise<number> {
  const start = performance.now();
  await alice.ctrl.command('dial', 'sip:bob@lab.test');
  await alice.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
  const elapsed = performance.now() - start;
  await alice.ctrl.command('hangup');
  await alice.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  return elapsed;
}

const results = { ours: [] as number[], baresip: [] as number[] };
await ours(); // warm-up: first call resolves DNS, builds the user agent, JIT-compiles
await baresip();
for (let i = 0; i < rounds; i++) {
  results.ours.push(await ours());
  results.baresip.push(await baresip());
  await sleep(50);
}
const pick = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
process.stdout.write(`call setup through Kamailio to auto-answering baresip, ${rounds} calls each (ms, dial → confirmed)\n`);
for (const [name, xs] of Object.entries(results)) {
  process.stdout.write(`${name.padEnd(8)} median ${pick(xs, 0.5).toFixed(1).padStart(6)}   p90 ${pick(xs, 0.9).toFixed(1).padStart(6)}\n`);
}
process.stdout.write(`ratio ours/baresip (median): ${(pick(results.ours, 0.5) / pick(results.baresip, 0.5)).toFixed(2)} (below 1 = faster than baresip)\n`);
process.stdout.write('note: baresip is timed from a ctrl_tcp command to its event on loopback, ours in-process\n');

await core.close();
await alice.stop();
await bob.stop();
await kamailio.stop();
rmSync(dataDir, { recursive: true, force: true });
