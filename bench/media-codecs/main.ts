/**
 * Audio codecs: CPU time to encode and decode one second of audio in 20 ms mono frames, for our
 * G.711 (PCMU, PCMA) and G.722 and for each Opus library we could install (48 kHz, VoIP
 * application, 32 kbit/s, in-band FEC on, the settings of our codec table). Prints the CPU
 * milliseconds per second of audio, the share of one core, and the ratios to PCMU and to the
 * fastest Opus.
 *
 * The Opus candidates are loaded by name; the ones not installed are reported and skipped. To
 * measure ones that are not dependencies of the project, install them in another folder and
 * point MEDIA_CODECS_BENCH_PEERS at its node_modules' parent:
 *   mkdir /tmp/peers && cd /tmp/peers && npm install opusscript @evan/opus @discordjs/opus
 *   MEDIA_CODECS_BENCH_PEERS=/tmp/peers npm run bench -- media-codecs
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { samplesPerFrame, type AudioCodec } from '../../main/core/media/codecs/audio-codec.js';
import { codecs } from '../../main/core/media/codecs/index.js';
import { frames, speechLike } from '../signals.js';

const SECONDS = 10;
const FRAME_MS = 20;
const OPUS_RATE = 48000;
const OPUS_BITRATE = 32000;
// libopus' request codes (opus_defines.h).
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_SET_INBAND_FEC_REQUEST = 4012;
const OPUS_SET_PACKET_LOSS_PERC_REQUEST = 4014;

interface Codec {
  encode(pcm: Int16Array): Uint8Array;
  decode(payload: Uint8Array): Int16Array;
}

/** CPU milliseconds (user + system) to encode and decode every frame once, the best of `runs`. */
function cpuMs(make: () => Codec, input: Int16Array[], runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs + 1; run++) {
    const codec = make();
    let sink = 0;
    const start = process.cpuUsage();
    for (const frame of input) sink += codec.decode(codec.encode(frame)).length;
    const used = process.cpuUsage(start);
    if (sink === 0) throw new Error('a codec produced nothing');
    if (run > 0) best = Math.min(best, (used.user + used.system) / 1000); // run 0 warms up
  }
  return best;
}

function ours(codec: AudioCodec): () => Codec {
  return () => {
    if (codec.createEncoder === undefined || codec.createDecoder === undefined) throw new Error(`${codec.name} does not code audio`);
    const encoder = codec.createEncoder();
    const decoder = codec.createDecoder();
    return { encode: (pcm) => encoder.encode(pcm), decode: (payload) => decoder.decode(payload) };
  };
}

function pcm16(buffer: Uint8Array): Int16Array {
  return new Int16Array(buffer.buffer, buffer.byteOffset, buffer.byteLength >> 1);
}

function bytes(pcm: Int16Array): Buffer {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

// The shapes of the candidates' APIs that this benchmark uses.
interface DiscordOpusModule {
  OpusEncoder: new (rate: number, channels: number) => {
    encode(pcm: Buffer): Buffer;
    decode(payload: Buffer): Buffer;
    applyEncoderCTL(request: number, value: number): void;
    setBitrate(bitrate: number): void;
  };
}
interface OpusScriptClass {
  new (
    rate: number,
    channels: number,
    application: number,
    options?: { wasm?: boolean },
  ): {
    encode(pcm: Buffer, frameSize: number): Buffer;
    decode(payload: Buffer): Buffer;
    encoderCTL(request: number, value: number): void;
    setBitrate(bitrate: number): void;
    delete(): void;
  };
}
interface EvanOpusModule {
  Encoder: new (options: { channels: 1; sample_rate: number; application: 'voip' }) => {
    encode(pcm: ArrayBufferView): Uint8Array;
    bitrate: number | 'auto' | 'max';
    inband_fec: boolean;
    packet_loss: number;
  };
  Decoder: new (options: { channels: 1; sample_rate: number }) => { decode(payload: ArrayBufferView): Uint8Array };
}

const peersDir = process.env.MEDIA_CODECS_BENCH_PEERS;
const requirePeer = createRequire(peersDir === undefined ? import.meta.url : join(peersDir, 'bench.cjs'));

function load<T>(specifier: string): T | string {
  try {
    return requirePeer(specifier) as T;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
}

const opusFrame = (OPUS_RATE * FRAME_MS) / 1000;
const opusCandidates: Record<string, () => (() => Codec) | string> = {
  '@discordjs/opus (native libopus, node-gyp)': () => {
    const lib = load<DiscordOpusModule>('@discordjs/opus');
    if (typeof lib === 'string') return lib;
    return () => {
      const codec = new lib.OpusEncoder(OPUS_RATE, 1);
      codec.setBitrate(OPUS_BITRATE);
      codec.applyEncoderCTL(OPUS_SET_INBAND_FEC_REQUEST, 1);
      codec.applyEncoderCTL(OPUS_SET_PACKET_LOSS_PERC_REQUEST, 5);
      return { encode: (pcm) => codec.encode(bytes(pcm)), decode: (payload) => pcm16(codec.decode(Buffer.from(payload))) };
    };
  },
  'opusscript (libopus in WebAssembly)': () => {
    const OpusScript = load<OpusScriptClass>('opusscript');
    if (typeof OpusScript === 'string') return OpusScript;
    return () => {
      const codec = new OpusScript(OPUS_RATE, 1, OPUS_APPLICATION_VOIP, { wasm: true });
      codec.setBitrate(OPUS_BITRATE);
      codec.encoderCTL(OPUS_SET_INBAND_FEC_REQUEST, 1);
      codec.encoderCTL(OPUS_SET_PACKET_LOSS_PERC_REQUEST, 5);
      return { encode: (pcm) => codec.encode(bytes(pcm), opusFrame), decode: (payload) => pcm16(codec.decode(Buffer.from(payload))) };
    };
  },
  '@evan/opus (prebuilt native)': () => evanOpus('@evan/opus/node/index.js'),
  '@evan/opus (WebAssembly SIMD)': () => evanOpus('@evan/opus/wasm/index.js'),
};

function evanOpus(specifier: string): (() => Codec) | string {
  const lib = load<EvanOpusModule>(specifier);
  if (typeof lib === 'string') return lib;
  return () => {
    const encoder = new lib.Encoder({ channels: 1, sample_rate: OPUS_RATE, application: 'voip' });
    encoder.bitrate = OPUS_BITRATE;
    encoder.inband_fec = true;
    encoder.packet_loss = 5;
    const decoder = new lib.Decoder({ channels: 1, sample_rate: OPUS_RATE });
    return { encode: (pcm) => encoder.encode(pcm), decode: (payload) => pcm16(decoder.decode(payload)) };
  };
}

interface Row {
  label: string;
  ms: number;
}
const rows: Row[] = [];
const print = (label: string, ms: number): void => {
  const perSecond = ms / SECONDS;
  process.stdout.write(`${label.padEnd(48)} ${perSecond.toFixed(3).padStart(8)} ms CPU per s of audio  (${((perSecond / 1000) * 100).toFixed(3)} % of a core)\n`);
  rows.push({ label, ms });
};

for (const codec of [codecs.PCMU, codecs.PCMA, codecs.G722]) {
  const input = frames(speechLike(codec.sampleRate, SECONDS), samplesPerFrame(codec));
  print(`${codec.name} (ours)`, cpuMs(ours(codec), input, 5));
}
const opusInput = frames(speechLike(OPUS_RATE, SECONDS), opusFrame);
const opusRows: Row[] = [];
for (const [label, candidate] of Object.entries(opusCandidates)) {
  const make = candidate();
  if (typeof make === 'string') {
    process.stdout.write(`${label.padEnd(48)} not installed here (${make})\n`);
    continue;
  }
  print(label, cpuMs(make, opusInput, 3));
  opusRows.push(rows.at(-1)!);
}
try {
  print(`opus (ours, through the codec table)`, cpuMs(ours(codecs.opus), opusInput, 3));
  opusRows.push(rows.at(-1)!);
} catch (error) {
  process.stdout.write(`opus (ours): unavailable (${error instanceof Error ? error.message : String(error)})\n`);
}

const pcmu = rows[0]!.ms;
process.stdout.write('\nratios (CPU time, lower is cheaper):\n');
for (const row of rows) process.stdout.write(`${row.label.padEnd(48)} ${(row.ms / pcmu).toFixed(1).padStart(8)} × PCMU\n`);
if (opusRows.length > 1) {
  const fastest = opusRows.reduce((a, b) => (a.ms <= b.ms ? a : b));
  process.stdout.write(`\nOpus, relative to the fastest (${fastest.label}):\n`);
  for (const row of opusRows) process.stdout.write(`${row.label.padEnd(48)} ${(row.ms / fastest.ms).toFixed(2).padStart(8)} ×\n`);
}
