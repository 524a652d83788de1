/**
 * Media engine benchmarks (issue "Media engine" point 8). Prints, does not assert.
 *
 * (a) CPU per second of call, per codec (PCMU, PCMA, G.722, Opus), our core beside baresip in
 *     the same call through the lab's Kamailio (see call-cpu.ts). Aim: within 1.5× of baresip,
 *     and under 2 % of one core for G.711. Beside it, the floor a bare Node process pays for a
 *     call's unavoidable wake-ups alone (see node-floor.ts).
 * (b) Our adaptive jitter buffer under impairment: jitter 0/30/60 ms × loss 0/5 % through the
 *     impairment proxy between two MediaStreams on loopback (see jitter-impairment.ts): mean
 *     playout delay and late loss, beside the fixed buffers Twinkle and baresip are configured
 *     with (stated, not measured).
 *
 * Environment:
 *   MEDIA_BENCH_CALL_SECONDS    measured call window per codec, and its idle baseline (default 10)
 *   MEDIA_BENCH_WARMUP_SECONDS  measured window of the first call per codec, reported apart (default 30:
 *                               about what V8 needs to optimise a call's per-packet functions)
 *   MEDIA_BENCH_JITTER_SECONDS  length of each impairment run (default 15)
 *   MEDIA_BENCH_PARTS           `cpu`, `jitter` or both, comma-separated (default both)
 *   MEDIA_BENCH_CODECS          subset of PCMU,PCMA,G722,Opus for (a) (default all)
 *
 * Bounded: a watchdog ends the run (exit 1) if it takes far longer than its settings imply; the
 * lab's exit hook kills Kamailio and baresip and removes their folders, ours removes our temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKamailio, type Kamailio } from '../../test/interop/lab/kamailio.js';
import { CODEC_CASES, idleRate, measureCallCpu, type CallCpuResult } from './call-cpu.js';
import { measureNodeFloor, type NodeFloor } from './node-floor.js';
import { JITTER_SCENARIOS, measureJitterBuffer, type JitterResult } from './jitter-impairment.js';

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0 && value <= 600)) {
    process.stderr.write(`${name}=${raw}: expected seconds in (0, 600]\n`);
    process.exit(64);
  }
  return value;
}

const callSeconds = seconds('MEDIA_BENCH_CALL_SECONDS', 10);
const warmUpSeconds = seconds('MEDIA_BENCH_WARMUP_SECONDS', 30);
const jitterSeconds = seconds('MEDIA_BENCH_JITTER_SECONDS', 15);
const parts = new Set((process.env['MEDIA_BENCH_PARTS'] ?? 'cpu,jitter').split(',').map((p) => p.trim()));
const wantedCodecs = (process.env['MEDIA_BENCH_CODECS'] ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
const codecCases = CODEC_CASES.filter((c) => wantedCodecs.length === 0 || wantedCodecs.includes(c.codec.toLowerCase()));

const workDir = mkdtempSync(join(tmpdir(), 'bench-media-'));
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const budgetMs = 60_000 + (parts.has('cpu') ? (codecCases.length * (2 * callSeconds + warmUpSeconds + 55) + callSeconds + 10) * 1000 : 0) + (parts.has('jitter') ? JITTER_SCENARIOS.length * (jitterSeconds + 15) * 1000 : 0);
const watchdog = setTimeout(() => {
  process.stderr.write(`media bench: still running after ${Math.round(budgetMs / 1000)} s, giving up\n`);
  process.exit(1);
}, budgetMs);
watchdog.unref();

const out = (line = '') => process.stdout.write(`${line}\n`);
const fixed = (value: number, digits = 1, width = 7) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a').padStart(width);
let failures = 0;

async function cpuPart(): Promise<void> {
  out(`(a) CPU per second of call, our core vs baresip, same call through Kamailio on loopback`);
  out(`    per codec: a warm-up call measured ${warmUpSeconds} s after 2 s of call (reported apart: V8 optimises the`);
  out(`    per-packet code during the first calls), an idle baseline of ${callSeconds} s from 10 s after that call (core`);
  out(`    registered, baresip up, no call), then a call`);
  out(`    (both sides send a tone, decode, buffer and record), measured ${callSeconds} s after 2 s of call;`);
  out(`    ours = this process (process.cpuUsage), baresip = its threads (/proc/<pid>/task/*/schedstat);`);
  out(`    figure = (call CPU − idle rate × call seconds) / call seconds, idle rate = the idle window's median`);
  out(`    second (the seconds after a call carry its aftermath: V8's memory reducer GC, late compilations)`);
  let kamailio: Kamailio | undefined;
  const results: CallCpuResult[] = [];
  try {
    kamailio = await startKamailio();
    for (const codecCase of codecCases) {
      try {
        results.push(await measureCallCpu(kamailio, codecCase, callSeconds, warmUpSeconds, workDir));
      } catch (error) {
        failures++;
        out(`    ${codecCase.codec}: FAILED: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await kamailio?.stop();
  }
  let floor: NodeFloor | undefined;
  try {
    floor = await measureNodeFloor(callSeconds);
  } catch (error) {
    failures++;
    out(`    Node floor: FAILED: ${(error as Error).message.split('\n')[0]}`);
  }
  out();
  out(`codec  negotiated  ours ms/s  baresip ms/s  ratio  ours %core  baresip %core  aim`);
  for (const r of results) {
    const ratio = r.oursMsPerSecond / r.baresipMsPerSecond;
    const g711 = r.codec === 'PCMU' || r.codec === 'PCMA';
    const aims = [ratio <= 1.5 ? 'ratio ok' : 'ratio > 1.5', ...(g711 ? [r.oursMsPerSecond / 10 < 2 ? '< 2 % ok' : '>= 2 % of a core'] : [])];
    out(
      `${r.codec.padEnd(6)} ${r.negotiated.padEnd(10)} ${fixed(r.oursMsPerSecond, 2, 9)}  ${fixed(r.baresipMsPerSecond, 2, 12)}  ${fixed(ratio, 2, 5)}  ${fixed(r.oursMsPerSecond / 10, 2, 8)} %  ${fixed(r.baresipMsPerSecond / 10, 2, 11)} %  ${aims.join(', ')}`,
    );
  }
  if (floor !== undefined) {
    out();
    out(`Node floor: a bare Node process doing only the wake-ups a call cannot do without (a 20 ms timer sending`);
    out(`one 172-byte datagram, one received every 20 ms; no media, no TypeScript loader), ${callSeconds} s, same machine:`);
    out(`    ${fixed(floor.msPerSecond, 2, 5)} ms/s (${floor.received} datagrams received); our call less this floor, per codec:`);
    out(`    ${results.map((r) => `${r.codec} ${fixed(r.oursMsPerSecond - floor.msPerSecond, 2, 0)}`).join(', ')} ms/s (what our media code itself costs)`);
  }
  out();
  out(`warm-up call (the codec's first, ${warmUpSeconds} s; the first codec also pays for the shared path's optimisation):`);
  for (const r of results) {
    const ratio = r.warmUpOursMsPerSecond / r.warmUpBaresipMsPerSecond;
    out(`${r.codec.padEnd(6)} ${' '.repeat(10)} ${fixed(r.warmUpOursMsPerSecond, 2, 9)}  ${fixed(r.warmUpBaresipMsPerSecond, 2, 12)}  ${fixed(ratio, 2, 5)}  ${fixed(r.warmUpOursMsPerSecond / 10, 2, 8)} %  ${fixed(r.warmUpBaresipMsPerSecond / 10, 2, 11)} %`);
  }
  out();
  out(`detail (CPU ms over each window; wall s)   ours idle (median s) → call (of which system)   baresip idle (median s) → call    our RTP sent/recv  heard (us / bob)`);
  for (const r of results) {
    const rtp = r.stats === undefined ? 'n/a' : `${r.stats.packetsSent}/${r.stats.packetsReceived}`;
    out(
      `${r.codec.padEnd(6)} ${fixed(r.idle.wallMs / 1000, 1, 5)} / ${fixed(r.call.wallMs / 1000, 1, 5)} s        ` +
        `${fixed(r.idle.oursMs, 1, 7)} (${fixed(idleRate(r.idle.oursPerSecondMs), 1, 5)}) → ${fixed(r.call.oursMs, 1, 7)} (${fixed(r.call.oursSystemMs, 1, 6)})          ${fixed(r.idle.baresipMs, 1, 7)} (${fixed(idleRate(r.idle.baresipPerSecondMs), 1, 5)}) → ${fixed(r.call.baresipMs, 1, 7)}    ${rtp.padStart(15)}    ${r.weHeardBob.toFixed(2)} / ${r.bobHeardUs.toFixed(2)}`,
    );
    if (r.weHeardBob < 0.5 || r.bobHeardUs < 0.5) {
      failures++;
      out(`       ${r.codec}: audio did not flow both ways (tone presence below 0.5): figures not valid`);
    }
  }
  out(`notes: baresip does the same work for its side (encode, decode, jitter buffer, WAV source and`);
  out(`       recording); it reads its source at 48 kHz and resamples, and records both directions (sndfile),`);
  out(`       we read and record at the codec rate. Our figure also includes Node's share of SIP/RTCP timers`);
  out(`       and the thread of the TypeScript loader (tsx) this benchmark runs under (about 0.5 ms/s);`);
  out(`       single runs on a shared machine are noisy: the ratio is what counts.`);
}

async function jitterPart(): Promise<void> {
  out(`(b) Jitter buffer under impairment: PCMU, 20 ms packets, two MediaStreams on loopback through the`);
  out(`    impairment proxy (each packet delayed uniform 0..J ms, so reordered for J > 20; random loss;`);
  out(`    seeded), ${jitterSeconds} s each; bob's receiving side, our defaults (adaptive, 20..300 ms, 99.5 % on time).`);
  out(`    delay = playout delay beyond the fastest recent packet, sampled every 100 ms while playing`);
  const results: JitterResult[] = [];
  for (const [index, scenario] of JITTER_SCENARIOS.entries()) {
    try {
      results.push(await measureJitterBuffer(scenario, jitterSeconds, 1000 + index, workDir));
    } catch (error) {
      failures++;
      out(`    jitter ${scenario.jitterMs} ms, loss ${scenario.loss * 100} %: FAILED: ${(error as Error).message}`);
    }
  }
  out();
  out(`jitter  loss | mean delay  mean target  max delay | received  late  late %  lost  lost %  concealed  played | MOS  | proxy dropped`);
  for (const r of results) {
    const s = r.final;
    const jb = s.jitterBuffer;
    out(
      `${`${r.jitterMs} ms`.padStart(6)} ${`${r.loss * 100} %`.padStart(5)} | ${fixed(r.meanDelayMs, 1, 7)} ms  ${fixed(r.meanTargetMs, 1, 8)} ms  ${fixed(r.maxDelayMs, 1, 6)} ms | ` +
        `${String(s.packetsReceived).padStart(8)}  ${String(jb.late).padStart(4)}  ${fixed((100 * jb.late) / Math.max(1, s.packetsReceived), 2, 5)} %  ` +
        `${String(s.packetsLost).padStart(4)}  ${fixed(s.lossPercent, 2, 5)} %  ${String(jb.concealed).padStart(9)}  ${String(jb.played).padStart(6)} | ${fixed(s.mos ?? Number.NaN, 2, 4)} | ${r.proxy.dropped}/${r.proxy.received}`,
    );
    if (r.errors.length > 0) {
      failures++;
      out(`       errors: ${r.errors.slice(0, 3).join('; ')}`);
    }
  }
  out(`late % = late / received; lost = RTP loss (expected − received); concealed = frames the decoder concealed`);
  out(`(loss, late, underrun, or a frame inserted to raise the delay). Proxy dropped counts both directions.`);
  out();
  out(`Fixed buffers of other phones: configuration defaults from their sources, NOT measured here:`);
  out(`  Twinkle: fixed 80 ms (JITTER_BUF_MS 80, src/audio/audio_codecs.h, compile-time; also ccRTP's expiry:`);
  out(`           a packet older than that is dropped) — no late loss up to ~80 ms jitter, 80 ms delay always.`);
  out(`  baresip 1.0.0 (the lab's): jitter_buffer_delay 5-10 frames (src/config.c default, also our lab config;`);
  out(`           libre jbuf, fixed: ≥ 5 packets before playout, > 10 dropped) = 100–200 ms at 20 ms ptime,`);
  out(`           plus audio_buffer 20-160 ms (player aubuf, same defaults) in front of the sound card.`);
}

try {
  out(`media benchmarks: call window ${callSeconds} s, impairment runs ${jitterSeconds} s (MEDIA_BENCH_CALL_SECONDS, MEDIA_BENCH_JITTER_SECONDS)`);
  if (parts.has('cpu')) {
    out();
    await cpuPart();
  }
  if (parts.has('jitter')) {
    out();
    await jitterPart();
  }
} catch (error) {
  failures++;
  process.stderr.write(`media bench failed: ${(error as Error).stack ?? String(error)}\n`);
}
clearTimeout(watchdog);
process.exit(failures > 0 ? 1 : 0);
