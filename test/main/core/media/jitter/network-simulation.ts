import type { JitterBufferOptions, PlayoutFrame, ReceivedPacket } from '../../../../../main/core/media/jitter/index.js';
import { JitterBuffer } from '../../../../../main/core/media/jitter/index.js';
import { SeededRandom } from '../../../../../main/core/media/impairment/seeded-random.js';

/** A sender of 20 ms frames at 8 kHz over a simulated network, played by a simulated sound card. */
export interface Scenario {
  readonly durationMs: number;
  readonly seed?: number;
  /** Extra network delay for a packet sent at `sendMs`, in ms (the jitter). */
  readonly jitter?: (sendMs: number, random: SeededRandom) => number;
  readonly loss?: number;
  readonly duplicate?: number;
  /** Sender clock rate error: +0.005 means the sender produces 0.5 % more frames per second of our time. */
  readonly senderDrift?: number;
  /** Talkspurts with silence suppression (marker bit on each first packet); otherwise one continuous stream. */
  readonly talkspurts?: boolean;
  readonly options?: Partial<JitterBufferOptions>;
}

export interface PlayedFrame {
  readonly atMs: number;
  readonly frame: PlayoutFrame;
  readonly currentDelayMs: number;
  readonly targetDelayMs: number;
}

export interface SimulationResult {
  readonly buffer: JitterBuffer;
  readonly frames: readonly PlayedFrame[];
  /** RTP timestamps the sender produced, grouped by talkspurt. */
  readonly talkspurts: readonly (readonly number[])[];
  readonly sent: number;
}

const FRAME_MS = 20;
const FRAME_SAMPLES = 160;
const BASE_DELAY_MS = 40;
const FIRST_TIMESTAMP = 0xffff_0000;

export function uniformJitter(maxMs: number): (sendMs: number, random: SeededRandom) => number {
  return (_sendMs, random) => random.between(0, maxMs);
}

export function simulate(scenario: Scenario): SimulationResult {
  const random = new SeededRandom(scenario.seed ?? 1);
  const senderFrameMs = FRAME_MS / (1 + (scenario.senderDrift ?? 0));
  const arrivals: ReceivedPacket[] = [];
  const talkspurts: number[][] = [];
  let sequence = 1000;
  let frame = 0;
  let sent = 0;
  let speaking = true;
  let phaseEndsAt = scenario.talkspurts ? Math.round(random.between(50, 150)) : Number.POSITIVE_INFINITY;
  let current: number[] = [];
  let firstOfTalkspurt = true;
  for (; frame * senderFrameMs < scenario.durationMs; frame++) {
    if (frame >= phaseEndsAt) {
      speaking = !speaking;
      phaseEndsAt = frame + Math.round(speaking ? random.between(50, 150) : random.between(20, 50));
      if (speaking) {
        firstOfTalkspurt = true;
        current = [];
      }
    }
    if (!speaking) continue;
    const timestamp = (FIRST_TIMESTAMP + frame * FRAME_SAMPLES) % 0x1_0000_0000;
    if (firstOfTalkspurt) talkspurts.push(current);
    current.push(timestamp);
    const sendMs = frame * senderFrameMs;
    const packet = { sequence, timestamp, marker: firstOfTalkspurt, payloadType: 0, payload: new Uint8Array(160) };
    sequence++;
    sent++;
    firstOfTalkspurt = false;
    if (random.chance(scenario.loss ?? 0)) continue;
    const arrivalMs = sendMs + BASE_DELAY_MS + (scenario.jitter?.(sendMs, random) ?? 0);
    arrivals.push({ ...packet, arrivalMs });
    if (random.chance(scenario.duplicate ?? 0)) arrivals.push({ ...packet, arrivalMs: arrivalMs + random.between(0, 30) });
  }
  arrivals.sort((a, b) => a.arrivalMs - b.arrivalMs);

  let now = 0;
  const buffer = new JitterBuffer({ clockRate: 8000, frameMs: FRAME_MS, ...scenario.options, clock: { now: () => now } });
  const frames: PlayedFrame[] = [];
  let next = 0;
  const lastArrival = arrivals.at(-1)?.arrivalMs ?? 0;
  for (let pull = 1; pull * FRAME_MS <= lastArrival + 500; pull++) {
    const pullMs = pull * FRAME_MS + 7;
    for (let arrival = arrivals[next]; arrival !== undefined && arrival.arrivalMs <= pullMs; arrival = arrivals[++next]) {
      now = arrival.arrivalMs;
      buffer.push(arrival);
    }
    now = pullMs;
    const played = buffer.pull();
    frames.push({ atMs: now, frame: played, currentDelayMs: buffer.currentDelayMs, targetDelayMs: buffer.targetDelayMs });
  }
  return { buffer, frames, talkspurts, sent };
}

/** Mean of the playout delay over the frames that played a packet. */
export function meanCurrentDelay(result: SimulationResult, fromMs = 0): number {
  const delays = result.frames.filter((f) => f.atMs >= fromMs && f.frame.kind === 'packet').map((f) => f.currentDelayMs);
  return delays.reduce((a, b) => a + b, 0) / Math.max(1, delays.length);
}
