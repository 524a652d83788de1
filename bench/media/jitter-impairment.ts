/**
 * Part (b): our adaptive jitter buffer under network impairment.
 *
 * Two MediaStreams (alice, bob) on loopback with real UDP sockets and WAV-file drivers, PCMU in
 * 20 ms packets, the impairment proxy on the RTP path: alice's SDP names the proxy, which relays
 * to bob, delaying each datagram by a uniform 0..J ms (so they reorder when J > 20) and dropping
 * a share. Bob answers to where alice's packets come from (symmetric RTP latching, RFC 4961), so
 * his own RTP goes back through the proxy too; RTCP goes directly. We measure bob's receiving
 * side: the jitter buffer's playout delay sampled every 100 ms, and its late, lost and concealed
 * counts at the end.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav, WavFileDriver } from '../../main/core/audio/index.js';
import { codecs, describeCodec } from '../../main/core/media/codecs/index.js';
import { startImpairmentProxy, type ImpairmentReport } from '../../main/core/media/impairment/index.js';
import { allocateRtpPort, type RtpPort } from '../../main/core/media/rtp-port.js';
import type { NegotiatedAudio } from '../../main/core/media/sdp/index.js';
import { MediaStream, type MediaStreamStatistics } from '../../main/core/media/stream/index.js';

export interface JitterScenario {
  readonly jitterMs: number;
  readonly loss: number;
}

export const JITTER_SCENARIOS: readonly JitterScenario[] = [0, 30, 60].flatMap((jitterMs) => [0, 0.05].map((loss) => ({ jitterMs, loss })));

export interface JitterResult extends JitterScenario {
  readonly seconds: number;
  /** Means over the samples taken while playing, in ms. */
  readonly meanDelayMs: number;
  readonly meanTargetMs: number;
  readonly maxDelayMs: number;
  readonly samples: number;
  readonly final: MediaStreamStatistics;
  readonly proxy: ImpairmentReport;
  readonly errors: string[];
}

const RATE = 8000;
const SAMPLE_EVERY_MS = 100;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function negotiation(remotePort: number, rtcpPort: number): NegotiatedAudio {
  const voice = describeCodec(codecs.PCMU);
  return {
    mediaIndex: 0,
    protocol: 'RTP/AVP',
    remoteAddress: '127.0.0.1',
    remotePort,
    rtcpAddress: '127.0.0.1',
    rtcpPort,
    rtcpMux: false,
    codec: voice,
    codecs: [voice, describeCodec(codecs['telephone-event'])],
    telephoneEvent: { payloadType: 101, clockRate: 8000 },
    ptime: 20,
    direction: 'sendrecv',
    remoteHold: false,
    crypto: [],
  };
}

function toneWav(path: string, hz: number): string {
  const samples = Int16Array.from({ length: RATE * 2 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / RATE)));
  writeFileSync(path, encodeWav({ sampleRate: RATE, channels: 1, samples }));
  return path;
}

export async function measureJitterBuffer(scenario: JitterScenario, seconds: number, seed: number, workDir: string): Promise<JitterResult> {
  const dir = mkdtempSync(join(workDir, `jb-${scenario.jitterMs}-${scenario.loss}-`));
  const errors: string[] = [];
  const ports: RtpPort[] = [];
  const streams: MediaStream[] = [];
  let proxy: Awaited<ReturnType<typeof startImpairmentProxy>> | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    const alicePort = await allocateRtpPort('127.0.0.1');
    ports.push(alicePort);
    const bobPort = await allocateRtpPort('127.0.0.1');
    ports.push(bobPort);
    proxy = await startImpairmentProxy({
      forwardTo: { address: '127.0.0.1', port: bobPort.port },
      jitterMs: scenario.jitterMs,
      loss: scenario.loss,
      seed,
      maxDurationMs: (seconds + 15) * 1000,
    });
    const onError = (error: Error) => errors.push(error.message);
    // The app's jitter buffer bounds (MediaStream defaults, as the core uses them).
    const alice = new MediaStream({ port: alicePort, driver: new WavFileDriver({ input: toneWav(join(dir, 'alice.wav'), 600) }), rtpTimeoutMs: 0, statsIntervalMs: 0, closePort: false, delegate: { onError } });
    streams.push(alice);
    const bob = new MediaStream({ port: bobPort, driver: new WavFileDriver({ input: toneWav(join(dir, 'bob.wav'), 1000) }), rtpTimeoutMs: 0, statsIntervalMs: 0, closePort: false, delegate: { onError } });
    streams.push(bob);
    // Bob starts first, so the proxy learns alice as its other peer from her first packet.
    await bob.start(negotiation(proxy.address.port, alicePort.port + 1));
    await alice.start(negotiation(proxy.address.port, bobPort.port + 1));

    const delays: number[] = [];
    const targets: number[] = [];
    sampler = setInterval(() => {
      const jb = bob.statistics().jitterBuffer;
      // 0 exactly: not playing (before the first packet, or between talkspurts after an underrun).
      if (jb.played > 0 && jb.delayMs !== 0) {
        delays.push(jb.delayMs);
        targets.push(jb.targetDelayMs);
      }
    }, SAMPLE_EVERY_MS);
    await sleep(seconds * 1000);
    clearInterval(sampler);
    sampler = undefined;
    const final = bob.statistics();
    const report = await proxy.stop();
    const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
    return {
      ...scenario,
      seconds,
      meanDelayMs: mean(delays),
      meanTargetMs: mean(targets),
      maxDelayMs: delays.length === 0 ? Number.NaN : Math.max(...delays),
      samples: delays.length,
      final,
      proxy: report,
      errors,
    };
  } finally {
    if (sampler !== undefined) clearInterval(sampler);
    await Promise.all(streams.map((stream) => stream.stop().catch(() => undefined)));
    for (const port of ports) {
      try {
        port.close();
      } catch {
        // already closed
      }
    }
    await proxy?.stop();
  }
}
