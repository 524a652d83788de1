/**
 * Audio path ("Audio devices", point 10): what our audio processing costs and how much delay our
 * audio path adds.
 *
 * (1) Measured: CPU time per second of mono audio, fed in 20 ms frames, for the polyphase
 *     resampler at quality 4 (48 kHz ↔ 16 kHz and 48 kHz ↔ 8 kHz) and for the voice processor at
 *     16 kHz: noise suppression low/high, automatic gain control, echo cancellation.
 * (2) The end-to-end delay our audio path adds (mouth → network → ear, network transit excluded),
 *     summed from the components' own reported figures and configuration. The jitter-buffer part
 *     is measured: two MediaStreams on 127.0.0.1 (G.722, devices at 48 kHz, WAV-file and null
 *     drivers) for about 3 s, reading the receiver's statistics().jitterBuffer.delayMs. PJSIP's
 *     default sound-device buffers are printed beside it as stated configuration values, not
 *     measured here.
 */
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { encodeWav, NullDriver, WavFileDriver } from '../../main/core/audio/index.js';
import { createVoiceProcessor, type VoiceProcessorOptions } from '../../main/core/audio/processing/index.js';
import { DEFAULT_QUALITY, PolyphaseResampler, polyphaseResamplerFactory } from '../../main/core/audio/resampler/index.js';
import { codecs, describeCodec } from '../../main/core/media/codecs/index.js';
import { allocateRtpPort, type RtpPort } from '../../main/core/media/rtp-port.js';
import type { NegotiatedAudio } from '../../main/core/media/sdp/index.js';
import { MediaStream } from '../../main/core/media/stream/index.js';
import { frames, speechLike } from '../signals.js';

const SECONDS = 10;
const FRAME_MS = 20;
const RUNS = 3;
const QUALITY = 4;
const DEVICE_RATE = 48000;
const CALL_RATE = 16000;
/** NaudiodonDriver's default `queueFrames`. */
const QUEUE_FRAMES = 2;
const LOOPBACK_SECONDS = 3;
/** PJSIP's pjmedia/config.h defaults: stated configuration values, not measured here. */
const PJMEDIA_SND_DEFAULT_REC_LATENCY = 100;
const PJMEDIA_SND_DEFAULT_PLAY_LATENCY = 140;

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The best of `RUNS` CPU times (user + system, ms) of `work`, after one warm-up run. */
function cpuMs(work: () => number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run <= RUNS; run++) {
    const start = process.cpuUsage();
    const sink = work();
    const used = process.cpuUsage(start);
    if (sink === 0) throw new Error('the work produced nothing');
    if (run > 0) best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const printCpu = (label: string, ms: number): void => {
  const perSecond = ms / SECONDS;
  out(`  ${label.padEnd(28)} ${perSecond.toFixed(3).padStart(8)} ms CPU per s of audio  (${(perSecond / 10).toFixed(3)} % of a core)`);
};

// ---- (1) CPU ----------------------------------------------------------------------------------

out(`(1) CPU per second of mono audio, ${FRAME_MS} ms frames, best of ${RUNS} (measured)`);
out(`  resampler: PolyphaseResampler quality ${QUALITY} (default ${DEFAULT_QUALITY})`);
for (const [from, to] of [
  [48000, 16000],
  [16000, 48000],
  [48000, 8000],
  [8000, 48000],
] as const) {
  const input = frames(speechLike(from, SECONDS), (from * FRAME_MS) / 1000);
  const ms = cpuMs(() => {
    const resampler = new PolyphaseResampler(from, to, { quality: QUALITY });
    let produced = 0;
    for (const block of input) produced += resampler.process(block).length;
    return produced;
  });
  printCpu(`${from} → ${to} Hz`, ms);
}

out(`  voice processing at ${CALL_RATE} Hz (createVoiceProcessor)`);
const near = frames(speechLike(CALL_RATE, SECONDS), (CALL_RATE * FRAME_MS) / 1000);
// A different far-end signal: the same speech, reversed and quieter.
const far = frames(Int16Array.from(speechLike(CALL_RATE, SECONDS).reverse(), (s) => s >> 1), (CALL_RATE * FRAME_MS) / 1000);
const processing: [string, Omit<VoiceProcessorOptions, 'sampleRate'>][] = [
  ['noise suppression low', { noiseSuppression: 'low' }],
  ['noise suppression high', { noiseSuppression: 'high' }],
  ['automatic gain control', { autoGain: true }],
  ['echo canceller', { echoCancellation: true }],
];
for (const [label, options] of processing) {
  const ms = cpuMs(() => {
    const processor = createVoiceProcessor({ sampleRate: CALL_RATE, ...options });
    let produced = 0;
    for (let i = 0; i < near.length; i++) produced += processor.process(near[i]!, far[i]).length;
    return produced;
  });
  printCpu(label, ms);
}

// ---- (2) latency --------------------------------------------------------------------------------

function negotiation(remotePort: number): NegotiatedAudio {
  const voice = describeCodec(codecs.G722);
  return {
    mediaIndex: 0,
    protocol: 'RTP/AVP',
    remoteAddress: '127.0.0.1',
    remotePort,
    rtcpAddress: '127.0.0.1',
    rtcpPort: remotePort + 1,
    rtcpMux: false,
    codec: voice,
    codecs: [voice, describeCodec(codecs['telephone-event'])],
    telephoneEvent: { payloadType: 101, clockRate: 8000 },
    ptime: FRAME_MS,
    direction: 'sendrecv',
    remoteHold: false,
    crypto: [],
  };
}

/** Bob's jitter-buffer delay on loopback: the mean and last of the samples taken while playing. */
async function loopbackJitterDelay(): Promise<{ mean: number; last: number; samples: number; errors: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-audio-'));
  const ports: RtpPort[] = [];
  const streams: MediaStream[] = [];
  const errors: string[] = [];
  const onError = (error: Error): void => void errors.push(error.message);
  try {
    const input = join(dir, 'alice.wav');
    writeFileSync(input, encodeWav({ sampleRate: DEVICE_RATE, channels: 1, samples: speechLike(DEVICE_RATE, 2) }));
    const alicePort = await allocateRtpPort('127.0.0.1');
    ports.push(alicePort);
    const bobPort = await allocateRtpPort('127.0.0.1');
    ports.push(bobPort);
    const common = { deviceSampleRate: DEVICE_RATE, resampler: polyphaseResamplerFactory({ quality: QUALITY }), rtpTimeoutMs: 0, statsIntervalMs: 0, closePort: false, delegate: { onError } };
    const alice = new MediaStream({ port: alicePort, driver: new WavFileDriver({ input }), ...common });
    streams.push(alice);
    const bob = new MediaStream({ port: bobPort, driver: new NullDriver(), ...common });
    streams.push(bob);
    await bob.start(negotiation(alicePort.port));
    await alice.start(negotiation(bobPort.port));
    const delays: number[] = [];
    const sampler = setInterval(() => {
      const jb = bob.statistics().jitterBuffer;
      if (jb.played > 0 && jb.delayMs !== 0) delays.push(jb.delayMs);
    }, 100);
    await sleep(LOOPBACK_SECONDS * 1000);
    clearInterval(sampler);
    const last = bob.statistics().jitterBuffer.delayMs;
    const mean = delays.length === 0 ? Number.NaN : delays.reduce((a, b) => a + b, 0) / delays.length;
    return { mean, last, samples: delays.length, errors };
  } finally {
    await Promise.all(streams.map((stream) => stream.stop().catch(() => undefined)));
    for (const port of ports) {
      try {
        port.close();
      } catch {
        // already closed
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const down = new PolyphaseResampler(DEVICE_RATE, CALL_RATE, { quality: QUALITY });
const up = new PolyphaseResampler(CALL_RATE, DEVICE_RATE, { quality: QUALITY });
const downMs = (down.delay / CALL_RATE) * 1000;
const upMs = (up.delay / DEVICE_RATE) * 1000;
const vpFull = createVoiceProcessor({ sampleRate: CALL_RATE, echoCancellation: true, noiseSuppression: 'high', autoGain: true });
const vpMs = (vpFull.latencySamples / CALL_RATE) * 1000;
const jitter = await loopbackJitterDelay();

out();
out(`(2) End-to-end delay added by our audio path, G.722 (${CALL_RATE} Hz) with devices at ${DEVICE_RATE} Hz, network transit excluded`);
const rows: [string, number, string][] = [
  ['capture: device frame', FRAME_MS, `configured: PortAudio framesPerBuffer = one ${FRAME_MS} ms frame`],
  ['capture: naudiodon read granularity', 0, `configured: highwaterMark = one frame, equal to the device frame, so a read completes with each callback`],
  [`resampler ${DEVICE_RATE} → ${CALL_RATE} Hz`, downMs, `reported: PolyphaseResampler.delay = ${down.delay} samples at ${CALL_RATE} Hz (quality ${QUALITY})`],
  ['voice processing (AEC+NS+AGC)', vpMs, `reported: latencySamples = ${vpFull.latencySamples} at ${CALL_RATE} Hz`],
  ['packetisation', FRAME_MS, `configured: ptime ${FRAME_MS} ms`],
  ['jitter buffer (loopback)', jitter.mean, `measured: mean statistics().jitterBuffer.delayMs over ${jitter.samples} samples in ${LOOPBACK_SECONDS} s (last ${jitter.last.toFixed(2)} ms)`],
  [`resampler ${CALL_RATE} → ${DEVICE_RATE} Hz`, upMs, `reported: PolyphaseResampler.delay = ${up.delay} samples at ${DEVICE_RATE} Hz (quality ${QUALITY})`],
  ['playout queue', QUEUE_FRAMES * FRAME_MS, `configured: NaudiodonDriver queueFrames ${QUEUE_FRAMES} (default) × ${FRAME_MS} ms`],
];
for (const [label, ms, source] of rows) out(`  ${label.padEnd(36)} ${ms.toFixed(2).padStart(7)} ms  ${source}`);
const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
out(`  ${'total'.padEnd(36)} ${total.toFixed(2).padStart(7)} ms`);
out(`  (voice processing off: ${(total - vpMs).toFixed(2)} ms; the playout queue can hold one more frame while a write is outstanding: +${FRAME_MS} ms at worst)`);
const ourDevices = FRAME_MS + QUEUE_FRAMES * FRAME_MS;
out();
out('  Comparison, PJSIP default sound-device buffers (pjmedia/config.h; configuration defaults, NOT measured here):');
out(`  ${'PJMEDIA_SND_DEFAULT_REC_LATENCY'.padEnd(36)} ${PJMEDIA_SND_DEFAULT_REC_LATENCY.toFixed(2).padStart(7)} ms  (ours, capture: ${FRAME_MS.toFixed(2)} ms)`);
out(`  ${'PJMEDIA_SND_DEFAULT_PLAY_LATENCY'.padEnd(36)} ${PJMEDIA_SND_DEFAULT_PLAY_LATENCY.toFixed(2).padStart(7)} ms  (ours, playout queue: ${(QUEUE_FRAMES * FRAME_MS).toFixed(2)} ms)`);
out(`  ${'sum'.padEnd(36)} ${(PJMEDIA_SND_DEFAULT_REC_LATENCY + PJMEDIA_SND_DEFAULT_PLAY_LATENCY).toFixed(2).padStart(7)} ms  (ours, device buffers: ${ourDevices.toFixed(2)} ms)`);
if (jitter.errors.length > 0) out(`\n  loopback stream errors: ${jitter.errors.join('; ')}`);
