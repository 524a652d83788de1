/**
 * Presence at scale (issue #8 point 8): one account watches 500 entities' presence and busy
 * lamps (250 × Event presence, 250 × Event dialog: 500 subscriptions) at the lab's Kamailio
 * presence server on loopback, with digest auth, through our `Presence` class on a real user
 * agent core and endpoint. Short expiries make the refreshes come round within the run.
 *
 * Prints: when the SUBSCRIBEs went (initial wave, then refreshes: a per-second histogram and
 * the busiest second — the jitter of refresh-timing.ts spreads them), the event-loop delay
 * (perf_hooks monitorEventLoopDelay) p50/p99/max while they run, and the heap per subscription.
 *
 * Peer: baresip watching the same 500 URIs (its contacts with presence=p2p) through the same
 * Kamailio: CPU time its process spends on them against ours, for the initial subscriptions
 * (baresip asks its own Expires and has no refresh jitter to set, so only the start-up wave is
 * the same load for both).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { silentLogger } from '../../main/core/log.js';
import { EventHub } from '../../main/core/events.js';
import { Presence } from '../../main/core/phone/presence.js';
import { DigestClient } from '../../main/core/sip/auth/index.js';
import { ServerLocator, StubDnsResolver } from '../../main/core/sip/locator/index.js';
import { SipEndpoint } from '../../main/core/sip/sip-endpoint.js';
import type { SessionContext } from '../../main/core/sip/user-agent/session-context.js';
import { UserAgentCore } from '../../main/core/sip/user-agent/user-agent-core.js';
import type { Settings, SettingsChanges } from '../../main/core/store/settings-store.js';
import type { StoredAccount } from '../../main/core/store/accounts-store.js';
import { AccountFields, type WatchedEntity } from '../../shared/model.js';
import { startBaresip } from '../../test/interop/lab/baresip.js';
import { startKamailio } from '../../test/interop/lab/kamailio.js';

const ENTITIES = Number(process.env['PRESENCE_BENCH_ENTITIES'] ?? 250);
const EXPIRES = Number(process.env['PRESENCE_BENCH_EXPIRES'] ?? 60);
const SECONDS = Number(process.env['PRESENCE_BENCH_SECONDS'] ?? 75);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const kamailio = await startKamailio();
/** Kamailio's counters: challenges it sent (sl 407) and 2xx in its transactions (SUBSCRIBE 200s, NOTIFY answers). */
async function labCounters(): Promise<{ challenges: number; ok: number }> {
  const read = (text: string, key: string) => Number(new RegExp(`^\\s*${key}: (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { challenges: read(await kamailio.kamcmd('sl.stats'), '407'), ok: read(await kamailio.kamcmd('tm.stats'), '2xx') };
}

// ── ours ────────────────────────────────────────────────────────────────────────────────────
// The endpoint is made first (its delegate forwards to the core made once the port is known).
const late: { ua?: UserAgentCore } = {};
const endpoint = new SipEndpoint(
  { receiveRequest: (r, t) => late.ua?.receiveRequest(r, t), receiveAck: (a) => late.ua?.receiveAck(a), receiveStrayResponse: (r) => late.ua?.receiveStrayResponse(r) },
  { locator: new ServerLocator({ resolver: new StubDnsResolver({}), transports: ['udp'] }) },
);
const point = await endpoint.listen('udp', '127.0.0.1');
const ua = new UserAgentCore({
  contact: `<sip:eve@127.0.0.1:${point.port}>`,
  from: '<sip:eve@lab.test>',
  routeSet: [`<${kamailio.proxyUri('udp')};lr>`],
  digest: new DigestClient({ credentials: () => ({ username: 'eve', password: 'evepass' }) }),
  userAgent: 'softphone-bench',
});
ua.attach(endpoint);
late.ua = ua;

/** Every SUBSCRIBE we start (challenged ones counted once): when, and initial or refresh. */
const subscribes: { at: number; refresh: boolean }[] = [];
const base = ua.sessionContext;
const counted: SessionContext = {
  get endpoint() {
    return base.endpoint;
  },
  settings: base.settings,
  sendAck: (ack) => base.sendAck(ack),
  addDialog: (key, usage) => base.addDialog(key, usage),
  removeDialog: (key) => base.removeDialog(key),
  exchange: (build, options) => {
    let first = true;
    return base.exchange((credentials) => {
      const request = build(credentials);
      if (first && request.method === 'SUBSCRIBE') subscribes.push({ at: performance.now(), refresh: request.to.tag !== undefined });
      first = false;
      return request;
    }, options);
  },
};

const { password: _password, ...fields } = AccountFields.parse({ user: 'eve', domain: 'lab.test', publishPresence: false });
const account: StoredAccount = { id: 'bench', ...fields };
const settings = new Map<string, unknown>();
const events = new EventHub(silentLogger);
const updates: WatchedEntity[] = [];
events.subscribe((name, payload) => {
  if (name === 'presence.contact') updates.push(payload as WatchedEntity);
});
const presence = new Presence({
  accounts: { enabled: () => [account], get: () => account, statusOf: () => ({ accountId: 'bench', state: 'registered' }) },
  calls: {
    userAgentOf: () => Promise.resolve({ sessionContext: counted }),
    dial: () => Promise.reject(new Error('no calls in this bench')),
    list: () => [],
  },
  events,
  settings: {
    get: <K extends keyof Settings>(key: K) => settings.get(key) as Settings[K],
    set: (changes: SettingsChanges) => {
      for (const [key, value] of Object.entries(changes)) settings.set(key, value);
      return {} as Settings;
    },
  },
  subscriptionExpires: EXPIRES,
});
presence.start();
await sleep(200);
// Warm-up: the code paths compiled (tsx, the JIT) before anything is measured.
for (let i = 0; i < 20; i++) presence.watch({ uri: `sip:warm${i}@lab.test`, presence: true, blf: true });
await sleep(1500);
for (let i = 0; i < 20; i++) presence.unwatch(`sip:warm${i}@lab.test`);
await sleep(1000);
subscribes.length = 0;
updates.length = 0;

const total = ENTITIES * 2;
gc();
const heapBefore = process.memoryUsage().heapUsed;
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const countersBefore = await labCounters();
const cpuStart = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < ENTITIES; i++) {
  presence.watch({ uri: `sip:p${i}@lab.test`, presence: true, blf: false });
  presence.watch({ uri: `sip:x${i}@lab.test`, presence: false, blf: true });
}
const active = () => Object.values(presence.subscriptionStates()).filter((s) => s.presence === 'Active' || s.dialog === 'Active').length;
while (active() < total && performance.now() - started < 30_000) await sleep(20);
const setupMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
delay.disable();
const setupDelay = { p99: delay.percentile(99), max: delay.max };
// kamcmd is spawned now: a fork of this process, which stalls its loop — not ours to count.
const ourSetupCpuMs = (cpu.user + cpu.system) / 1000;
gc();
const heapAfter = process.memoryUsage().heapUsed;
const countersOurs = await labCounters();
console.log(`ours: ${active()}/${total} subscriptions active in ${setupMs.toFixed(0)} ms (SUBSCRIBE, 407, SUBSCRIBE, 200, NOTIFY each), CPU ${ourSetupCpuMs.toFixed(0)} ms; Kamailio counted ${countersOurs.challenges - countersBefore.challenges} challenges, ${countersOurs.ok - countersBefore.ok} 2xx`);
console.log(`heap right after set-up: ${((heapAfter - heapBefore) / total / 1024).toFixed(2)} KiB per subscription (with the transactions still in their wait timers)`);
const cpuRefreshStart = process.cpuUsage();
delay.reset();
delay.enable();

// Refreshes: expires ${EXPIRES} s → each refreshes 10 % jittered before expiry−min(expires/2, 32 s).
while (performance.now() - started < SECONDS * 1000) await sleep(250);
delay.disable();
const cpuRefresh = process.cpuUsage(cpuRefreshStart);
gc();
const heapSteady = process.memoryUsage().heapUsed;
const refreshes = subscribes.filter((s) => s.refresh);
const perSecond = new Map<number, number>();
for (const s of refreshes) {
  const second = Math.floor((s.at - started) / 1000);
  perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
}
const seconds = [...perSecond.keys()].sort((a, b) => a - b);
console.log(`initial SUBSCRIBEs: ${subscribes.filter((s) => !s.refresh).length}; refreshes in ${SECONDS} s: ${refreshes.length}`);
console.log('refreshes per second (s since start: count):');
console.log(`  ${seconds.map((s) => `${s}:${perSecond.get(s)}`).join('  ')}`);
console.log(`busiest second: ${Math.max(0, ...perSecond.values())} refreshes; seconds with refreshes: ${seconds.length}`);
const ms = (ns: number) => (ns / 1e6).toFixed(2);
console.log(`event-loop delay: set-up p99 ${ms(setupDelay.p99)} ms, max ${ms(setupDelay.max)} ms; refreshes p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms (5 ms resolution)`);
console.log(`still active at the end: ${active()}/${total}; presence.contact events: ${updates.length}`);
console.log(`CPU while refreshing: ${((cpuRefresh.user + cpuRefresh.system) / 1000).toFixed(0)} ms for ${refreshes.length} refreshes (${((cpuRefresh.user + cpuRefresh.system) / 1000 / Math.max(refreshes.length, 1)).toFixed(2)} ms each, with their 407 round and timers)`);
console.log(`heap at the end of the run: ${((heapSteady - heapBefore) / total / 1024).toFixed(2)} KiB per subscription (${((heapSteady - heapBefore) / 1024 / 1024).toFixed(2)} MiB for ${total})`);
await presence.close();
await sleep(500);
await endpoint.close();

// ── baresip, the same 500 URIs ──────────────────────────────────────────────────────────────
/** utime + stime of a process, in ms (from /proc/<pid>/stat). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
function pidOf(dir: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('baresip') && cmdline.includes(dir)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
async function baresipCpu(contacts: string[]): Promise<{ cpuMs: number; challenges: number; ok: number }> {
  const before = await labCounters();
  const phone = await startBaresip({ user: 'alice', kamailio, contacts, publishInterval: 0 });
  try {
    const pid = pidOf(phone.dir);
    if (pid === undefined) throw new Error('baresip process not found');
    // Its subscriptions go out at start; give them time to be answered and notified.
    await sleep(Math.max(3000, setupMs * 2));
    const cpuMs = cpuMsOf(pid);
    const after = await labCounters();
    return { cpuMs, challenges: after.challenges - before.challenges, ok: after.ok - before.ok };
  } finally {
    await phone.stop();
  }
}
if (process.env['PRESENCE_BENCH_PEER'] === '0') {
  console.log('baresip comparison skipped (PRESENCE_BENCH_PEER=0)');
} else try {
  const uris = Array.from({ length: total }, (_, i) => `"E${i}" <sip:${i % 2 === 0 ? 'p' : 'x'}${Math.floor(i / 2)}@lab.test>;presence=p2p`);
  const idle = await baresipCpu([]);
  const loaded = await baresipCpu(uris);
  const theirs = loaded.cpuMs - idle.cpuMs;
  console.log(
    `baresip: CPU ${loaded.cpuMs.toFixed(0)} ms with ${total} contacts (Kamailio counted ${loaded.challenges} challenges, ${loaded.ok} 2xx), ${idle.cpuMs.toFixed(0)} ms with none (${idle.challenges}, ${idle.ok}); 10 ms ticks: ${theirs.toFixed(0)} ms for the subscriptions`,
  );
  console.log(`ratio (our CPU / baresip's) for ${total} initial subscriptions: ${(ourSetupCpuMs / Math.max(theirs, 1)).toFixed(2)}`);
  console.log("(baresip 1.0 subscribes to presence only: its 500 are Event presence, ours half presence, half dialog)");
} catch (error) {
  console.log(`baresip comparison not made: ${error instanceof Error ? error.message : String(error)}`);
}
await kamailio.stop();
