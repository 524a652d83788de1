/**
 * Part (a): CPU per second of call, per codec, our core beside baresip in the same call.
 *
 * Our phone (the core in this process, WAV-file audio driver at the codec's rate, registered as
 * eve) calls a baresip bob restricted to one codec through the lab's Kamailio; both sides send a
 * tone and decode, buffer and record what they hear. Over a window of N seconds of established
 * call we take our process's CPU time (process.cpuUsage) and baresip's (/proc), and subtract the
 * same processes' CPU over an idle window of the same length just before (core up and
 * registered, baresip up, no call), taken 10 s after the warm-up call ended and counted at its
 * median second: the seconds after a call carry that call's own aftermath (V8's memory reducer
 * runs a full GC some seconds after the allocation rate falls, late compilations), up to 80 ms
 * in one second, which would otherwise come off the measured call as if it were idle load. A first call warms the code paths; it is measured too, and
 * reported apart: V8 optimises a function only after it has run a while, and a call's functions
 * run 50 times a second, so the first tens of seconds of the first calls run unoptimised code
 * (and pay for its compilation). The measured call is the steady state of a longer call.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallStats, CallView } from '../../shared/model.js';
import { encodeWav, WavFileDriver } from '../../main/core/audio/index.js';
import { createCore, type Core } from '../../main/core/index.js';
import { StubDnsResolver } from '../../main/core/sip/locator/index.js';
import { MemorySecretStore } from '../../main/core/store/secret-store.js';
import { accountFields } from '../../test/helpers/account-fields.js';
import { analyseTone } from '../../test/interop/lab/audio.js';
import { startBaresip, type Baresip } from '../../test/interop/lab/baresip.js';
import type { Kamailio } from '../../test/interop/lab/kamailio.js';
import { findBaresipPid, ownCpuMs, processCpuNs } from './process-cpu.js';

export interface CodecCase {
  /** Our name for it. */
  readonly codec: string;
  /** baresip's `audio_codecs` account parameter. */
  readonly baresip: string;
  /** Our devices' (WAV files') sample rate: the codec's own. */
  readonly rate: number;
}

export const CODEC_CASES: readonly CodecCase[] = [
  { codec: 'PCMU', baresip: 'pcmu', rate: 8000 },
  { codec: 'PCMA', baresip: 'pcma', rate: 8000 },
  { codec: 'G722', baresip: 'G722/16000/1', rate: 16000 },
  { codec: 'Opus', baresip: 'opus', rate: 48000 },
];

const OUR_HZ = 440;
const BOB_HZ = 1000;
/** Established call time before the measured window: devices open, codecs warm, JIT done. */
const SETTLE_MS = 2000;
/** From the warm-up call's end to the idle window: most of that call's aftermath (GC) is over. */
export const IDLE_SETTLE_MS = 10_000;

export interface CpuWindow {
  readonly wallMs: number;
  readonly oursMs: number;
  /** Of oursMs, the kernel's share (system calls: UDP, timers, file writes). */
  readonly oursSystemMs: number;
  readonly baresipMs: number;
  /** CPU ms per second over each whole second of the window. */
  readonly oursPerSecondMs: readonly number[];
  readonly baresipPerSecondMs: readonly number[];
}

export interface CallCpuResult {
  readonly codec: string;
  /** What the call view says was negotiated. */
  readonly negotiated: string;
  readonly idle: CpuWindow;
  /** The first call of this codec (after the same settling time), while V8 still optimises. */
  readonly warmUp: CpuWindow;
  readonly call: CpuWindow;
  /** CPU ms per second of call, the idle rate (median second of the idle window) subtracted. */
  readonly oursMsPerSecond: number;
  readonly baresipMsPerSecond: number;
  /** The same for the warm-up call. */
  readonly warmUpOursMsPerSecond: number;
  readonly warmUpBaresipMsPerSecond: number;
  /** Last call.stats of our side, if one came. */
  readonly stats: CallStats | undefined;
  /** Presence (0..1) of the other side's tone in what each side recorded. */
  readonly weHeardBob: number;
  readonly bobHeardUs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with a message naming what we waited for. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function tone(hz: number, rate: number, seconds: number): Uint8Array {
  const samples = Int16Array.from({ length: rate * seconds }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)));
  return encodeWav({ sampleRate: rate, channels: 1, samples });
}

/** CPU of both processes over `seconds` of wall time, read again at each whole second. */
async function measure(seconds: number, baresipPid: number): Promise<CpuWindow> {
  (globalThis as { gc?: () => void }).gc?.();
  const ours0 = ownCpuMs();
  const theirs0 = processCpuNs(baresipPid);
  const start = performance.now();
  const oursPerSecondMs: number[] = [];
  const baresipPerSecondMs: number[] = [];
  let ours = ours0.user + ours0.system;
  let theirs = theirs0;
  for (let second = 1; second <= Math.floor(seconds); second++) {
    // Against the start, so the reads' own time does not stretch the window.
    await sleep(Math.max(0, start + second * 1000 - performance.now()));
    const oursNow = ownCpuMs();
    const theirsNow = processCpuNs(baresipPid);
    oursPerSecondMs.push(oursNow.user + oursNow.system - ours);
    baresipPerSecondMs.push((theirsNow - theirs) / 1e6);
    ours = oursNow.user + oursNow.system;
    theirs = theirsNow;
  }
  await sleep(Math.max(0, start + seconds * 1000 - performance.now()));
  const theirs1 = processCpuNs(baresipPid);
  const ours1 = ownCpuMs();
  return {
    wallMs: performance.now() - start,
    oursMs: ours1.user + ours1.system - ours0.user - ours0.system,
    oursSystemMs: ours1.system - ours0.system,
    baresipMs: (theirs1 - theirs0) / 1e6,
    oursPerSecondMs,
    baresipPerSecondMs,
  };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The idle load in CPU ms per second: the median second (see the file's comment). */
export function idleRate(perSecondMs: readonly number[]): number {
  return median(perSecondMs);
}

/** CPU ms per second of call: the call window's CPU less the idle rate over its length. */
function perSecond(call: number, callWallMs: number, idleMsPerSecond: number): number {
  return (call - (idleMsPerSecond * callWallMs) / 1000) / (callWallMs / 1000);
}

async function startCore(kamailio: Kamailio, dir: string, rate: number): Promise<{ core: Core; recording: string; events: Events }> {
  const input = join(dir, 'eve-in.wav');
  const recording = join(dir, 'eve-heard.wav');
  writeFileSync(input, tone(OUR_HZ, rate, 10));
  const core = await createCore({
    dataDir: mkdtempSync(join(dir, 'data-')),
    host: 'cli',
    appName: 'bench',
    appVersion: '0',
    secrets: new MemorySecretStore(),
    dns: new StubDnsResolver({
      SRV: { '_sip._udp.lab.test': [{ priority: 10, weight: 0, port: kamailio.udpPort, name: 'registrar.lab.test' }] },
      A: { 'registrar.lab.test': ['127.0.0.1'] },
    }),
    config: { accounts: [], sip: { listen: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] } },
    // statsIntervalSeconds: the app's default (5 s); no RTP timeout in a benchmark.
    audio: { driver: new WavFileDriver({ input, output: recording }), deviceSampleRate: rate, rtpTimeoutSeconds: 0 },
  });
  const events: Events = [];
  core.subscribe((name, payload) => {
    if (name === 'call.state' || name === 'call.stats') events.push({ name, payload });
  });
  try {
    await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', transport: 'udp', register: true, enabled: true }));
    const deadline = Date.now() + 10_000;
    while ((await core.handlers['accounts.list']({}))[0]?.status.state !== 'registered') {
      if (Date.now() > deadline) throw new Error('our phone did not register at Kamailio within 10 s');
      await sleep(50);
    }
  } catch (error) {
    await core.close();
    throw error;
  }
  return { core, recording, events };
}

type Events = { name: string; payload: unknown }[];

/**
 * Our call to bob: dialled, established on both sides, `during` run (its result is `value`), then hung up and closed on
 * both sides. Returns our last view of the call (established when `during` ended) and our last stats.
 */
async function callBob<T>(core: Core, bob: Baresip, events: Events, during: () => Promise<T>): Promise<{ view: CallView; stats: CallStats | undefined; value: T }> {
  bob.ctrl.clearEvents();
  const call = await core.handlers['calls.dial']({ target: 'bob' });
  const ofCall = () => events.filter((e) => e.name === 'call.state' && (e.payload as CallView).id === call.id).map((e) => e.payload as CallView);
  try {
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    const established = async () => {
      while (!ofCall().some((v) => v.state === 'established')) await sleep(20);
    };
    await within(established(), 8000, 'our side of the call to be established');
    const value = await during();
    const view = ofCall().at(-1)!;
    if (view.state !== 'established') throw new Error(`the call ended early (${view.state})`);
    const stats = events.filter((e) => e.name === 'call.stats' && (e.payload as CallStats).callId === call.id).map((e) => e.payload as CallStats).at(-1);
    return { view, stats, value };
  } finally {
    await core.handlers['calls.hangup']({ callId: call.id }).catch(() => undefined);
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  }
}

/** One codec: idle window, then a call with a measured window; everything stopped before it returns. */
export async function measureCallCpu(kamailio: Kamailio, codecCase: CodecCase, seconds: number, warmUpSeconds: number, workDir: string): Promise<CallCpuResult> {
  const dir = mkdtempSync(join(workDir, `${codecCase.codec}-`));
  let bob: Baresip | undefined;
  let core: Core | undefined;
  try {
    bob = await startBaresip({
      user: 'bob',
      kamailio,
      toneHz: BOB_HZ,
      toneSeconds: Math.max(120, Math.ceil(Math.max(seconds, warmUpSeconds) + SETTLE_MS / 1000 + 30)),
      answerMode: 'auto',
      accountParams: `;audio_codecs=${codecCase.baresip}`,
    });
    const pid = findBaresipPid(bob.dir);
    const started = await startCore(kamailio, dir, codecCase.rate);
    core = started.core;

    // A first call warms this codec's paths (JIT, codec set-up) on both sides.
    const { value: warmUp } = await callBob(core, bob, started.events, async () => {
      await sleep(SETTLE_MS);
      return measure(warmUpSeconds, pid);
    });
    await sleep(IDLE_SETTLE_MS);
    const idle = await measure(seconds, pid);
    const { view, stats, value: inCall } = await callBob(core, bob, started.events, async () => {
      await sleep(SETTLE_MS);
      return measure(seconds, pid);
    });
    await sleep(300); // both recordings are complete once the call closed
    await core.close();
    core = undefined;

    const bobRecording = bob.recordings().at(-1);
    return {
      codec: codecCase.codec,
      negotiated: view.codec ?? '?',
      idle,
      warmUp,
      call: inCall,
      oursMsPerSecond: perSecond(inCall.oursMs, inCall.wallMs, idleRate(idle.oursPerSecondMs)),
      baresipMsPerSecond: perSecond(inCall.baresipMs, inCall.wallMs, idleRate(idle.baresipPerSecondMs)),
      warmUpOursMsPerSecond: perSecond(warmUp.oursMs, warmUp.wallMs, idleRate(idle.oursPerSecondMs)),
      warmUpBaresipMsPerSecond: perSecond(warmUp.baresipMs, warmUp.wallMs, idleRate(idle.baresipPerSecondMs)),
      stats,
      weHeardBob: analyseTone(started.recording, BOB_HZ).presence,
      bobHeardUs: bobRecording === undefined ? 0 : analyseTone(bobRecording, OUR_HZ).presence,
    };
  } finally {
    await core?.close().catch(() => undefined);
    await bob?.stop().catch(() => undefined);
  }
}
