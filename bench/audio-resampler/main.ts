/**
 * Audio resampling: CPU time to convert one second of mono Int16 audio, fed in 20 ms blocks, for
 * the rate pairs of the call path (48 kHz device ↔ 8 kHz G.711 and 16 kHz G.722), comparing our
 * polyphase windowed-sinc resampler (main/core/audio/resampler) at the call qualities 3–5 with
 * the linear interpolator it replaces (main/core/media/stream/resampler.ts, no anti-aliasing).
 * Prints CPU milliseconds per second of audio, the share of one core, and the ratio to linear.
 *
 * Optionally also the Speex resampler compiled to WebAssembly (@echogarden/speex-resampler-wasm,
 * not a dependency of the project), at the same qualities, for reference. Install it elsewhere and
 * point AUDIO_RESAMPLER_BENCH_PEERS at that folder:
 *   mkdir /tmp/peers && cd /tmp/peers && npm init -y && npm install @echogarden/speex-resampler-wasm
 *   AUDIO_RESAMPLER_BENCH_PEERS=/tmp/peers npm run bench -- audio-resampler
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PolyphaseResampler } from '../../main/core/audio/resampler/index.js';
import { LinearResampler, type Resampler } from '../../main/core/media/stream/resampler.js';
import { frames, speechLike } from '../signals.js';

const SECONDS = 10;
const BLOCK_MS = 20;
const RUNS = 5;
const PAIRS: readonly [number, number][] = [
  [48000, 8000],
  [8000, 48000],
  [48000, 16000],
  [16000, 48000],
];
const QUALITIES = [3, 4, 5] as const;

/** CPU milliseconds (user + system) to resample every block once, the best of `RUNS` after a warm-up run. */
function cpuMs(make: () => Resampler, input: Int16Array[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS + 1; run++) {
    const resampler = make();
    let sink = 0;
    const start = process.cpuUsage();
    for (const block of input) sink += resampler.process(block).length;
    const used = process.cpuUsage(start);
    if (sink === 0) throw new Error('a resampler produced nothing');
    if (run > 0) best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

// The part of the Emscripten module of @echogarden/speex-resampler-wasm that this benchmark uses.
interface SpeexModule {
  HEAP16: Int16Array;
  HEAP32: Int32Array;
  _malloc(size: number): number;
  _speex_resampler_init(channels: number, inRate: number, outRate: number, quality: number, errorPointer: number): number;
  _speex_resampler_process_int(state: number, channel: number, input: number, inputLength: number, output: number, outputLength: number): number;
}

/** Loads the optional Speex peer, or says why it could not. */
async function loadSpeex(): Promise<SpeexModule | string> {
  const peers = process.env.AUDIO_RESAMPLER_BENCH_PEERS;
  if (peers === undefined) return 'set AUDIO_RESAMPLER_BENCH_PEERS to compare';
  try {
    const path = createRequire(join(peers, 'bench.cjs')).resolve('@echogarden/speex-resampler-wasm');
    const loaded = (await import(pathToFileURL(path).href)) as { default: () => Promise<SpeexModule> };
    return await loaded.default();
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
}

/** A `Resampler` over one Speex state, with input and output buffers in the WebAssembly heap (never freed: a benchmark). */
function speexResampler(speex: SpeexModule, inputRate: number, outputRate: number, quality: number): Resampler {
  const errorPointer = speex._malloc(4);
  const state = speex._speex_resampler_init(1, inputRate, outputRate, quality, errorPointer);
  const capacity = 4096;
  const input = speex._malloc(2 * capacity);
  const output = speex._malloc(2 * capacity);
  const lengths = speex._malloc(8);
  return {
    inputRate,
    outputRate,
    process(block: Int16Array): Int16Array {
      speex.HEAP16.set(block, input >> 1);
      speex.HEAP32[lengths >> 2] = block.length;
      speex.HEAP32[(lengths >> 2) + 1] = capacity;
      speex._speex_resampler_process_int(state, 0, input, lengths, output, lengths + 4);
      const written = speex.HEAP32[(lengths >> 2) + 1]!;
      return speex.HEAP16.slice(output >> 1, (output >> 1) + written);
    },
  };
}

const print = (label: string, ms: number, linear: number): void => {
  const perSecond = ms / SECONDS;
  process.stdout.write(
    `  ${label.padEnd(34)} ${perSecond.toFixed(3).padStart(8)} ms CPU per s of audio  (${((perSecond / 1000) * 100).toFixed(3)} % of a core)  ${(ms / linear).toFixed(1).padStart(5)} × linear\n`,
  );
};

const speex = await loadSpeex();
for (const [from, to] of PAIRS) {
  process.stdout.write(`${from} → ${to} Hz (${BLOCK_MS} ms blocks):\n`);
  const input = frames(speechLike(from, SECONDS), (from * BLOCK_MS) / 1000);
  const linear = cpuMs(() => new LinearResampler(from, to), input);
  print('linear (current default)', linear, linear);
  for (const quality of QUALITIES) {
    print(`polyphase quality ${quality} (ours)`, cpuMs(() => new PolyphaseResampler(from, to, { quality }), input), linear);
  }
  if (typeof speex === 'string') continue;
  for (const quality of QUALITIES) {
    print(`speex WASM quality ${quality} (reference)`, cpuMs(() => speexResampler(speex, from, to, quality), input), linear);
  }
}
if (typeof speex === 'string') process.stdout.write(`\nspeex WASM reference not measured: ${speex}\n`);
