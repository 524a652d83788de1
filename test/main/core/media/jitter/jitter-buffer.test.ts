import { describe, expect, it } from 'vitest';
import type { PlayoutFrame, ReceivedPacket } from '../../../../../main/core/media/jitter/index.js';
import { JitterBuffer, JitterBufferError } from '../../../../../main/core/media/jitter/index.js';
import type { SimulationResult } from './network-simulation.js';
import { meanCurrentDelay, simulate, uniformJitter } from './network-simulation.js';

function packet(sequence: number, arrivalMs: number, marker = false): ReceivedPacket {
  return { sequence, timestamp: sequence * 160, marker, payloadType: 0, payload: new Uint8Array(160), arrivalMs };
}

/** A buffer on a hand-driven clock: 20 ms frames at 8 kHz. */
function handDriven() {
  const clock = { ms: 0, now: () => clock.ms };
  const buffer = new JitterBuffer({ clock, clockRate: 8000, minDelayMs: 40 });
  const pullAt = (ms: number): PlayoutFrame => {
    clock.ms = ms;
    return buffer.pull();
  };
  return { clock, buffer, pullAt };
}

function describeFrame(frame: PlayoutFrame): string {
  if (frame.kind === 'packet') return `play ${frame.packet.sequence}`;
  if (frame.kind === 'conceal') return `conceal ${frame.reason} ${frame.timestamp / 160}`;
  return 'silence';
}

function lateRate(result: SimulationResult): number {
  const stats = result.buffer.statistics();
  return stats.late / stats.received;
}

describe('JitterBuffer: ordering, duplicates, late packets', () => {
  it('plays reordered packets in sequence order and drops the duplicate', () => {
    const { buffer, pullAt } = handDriven();
    for (const [sequence, at] of [[1, 0], [3, 5], [2, 8], [2, 9], [4, 30]] as const) buffer.push(packet(sequence, at, sequence === 1));
    const played = [40, 60, 80, 100].map((ms) => describeFrame(pullAt(ms)));
    expect(played).toEqual(['play 1', 'play 2', 'play 3', 'play 4']);
    expect(buffer.statistics()).toMatchObject({ received: 4, duplicates: 1, late: 0, lost: 0, played: 4 });
  });

  it('conceals a lost packet, offering the next one for FEC, and counts it lost', () => {
    const { buffer, pullAt } = handDriven();
    buffer.push(packet(1, 0, true));
    buffer.push(packet(3, 40));
    buffer.push(packet(4, 60));
    expect(describeFrame(pullAt(40))).toBe('play 1');
    const concealed = pullAt(60);
    expect(concealed).toMatchObject({ kind: 'conceal', reason: 'loss', timestamp: 320 });
    expect(concealed.kind === 'conceal' && concealed.next?.sequence).toBe(3);
    expect(describeFrame(pullAt(80))).toBe('play 3');
    expect(buffer.statistics()).toMatchObject({ lost: 1, concealedFrames: 1 });
  });

  it('discards a packet that arrives after its playout time and counts it late', () => {
    const { buffer, pullAt } = handDriven();
    buffer.push(packet(1, 0, true));
    buffer.push(packet(2, 20));
    buffer.push(packet(4, 60));
    expect(describeFrame(pullAt(40))).toBe('play 1');
    expect(describeFrame(pullAt(60))).toBe('play 2');
    expect(describeFrame(pullAt(80))).toBe('conceal loss 3');
    buffer.push(packet(3, 85));
    // The late packet is evidence of more jitter: the delay grows by a frame before 4 plays.
    expect(describeFrame(pullAt(100))).toBe('conceal stretch 4');
    expect(describeFrame(pullAt(120))).toBe('play 4');
    expect(buffer.statistics()).toMatchObject({ late: 1, lost: 0, played: 3, insertedFrames: 1 });
  });

  it('holds playout on an empty buffer (the delay grows) and resumes without losing the delayed packet', () => {
    const { buffer, pullAt } = handDriven();
    buffer.push(packet(1, 0, true));
    expect(describeFrame(pullAt(40))).toBe('play 1');
    expect(describeFrame(pullAt(60))).toBe('conceal underrun 2');
    buffer.push(packet(2, 70));
    buffer.push(packet(3, 75));
    expect(describeFrame(pullAt(80))).toBe('play 2');
    expect(describeFrame(pullAt(100))).toBe('play 3');
    expect(buffer.statistics()).toMatchObject({ late: 0, lost: 0, concealedFrames: 1 });
  });

  it('refuses settings it cannot work with', () => {
    const clock = { now: () => 0 };
    expect(() => new JitterBuffer({ clock, clockRate: 8000, frameMs: 0.1 })).toThrow(JitterBufferError);
    expect(() => new JitterBuffer({ clock, clockRate: 8000, minDelayMs: 400, maxDelayMs: 300 })).toThrow(JitterBufferError);
  });
});

describe('JitterBuffer under synthetic networks (60 s, 20 ms frames, seeded)', () => {
  it.each([
    { jitterMs: 0, loss: 0, maxDelayMs: 30 },
    { jitterMs: 0, loss: 0.05, maxDelayMs: 35 },
    { jitterMs: 30, loss: 0, maxDelayMs: 60 },
    { jitterMs: 30, loss: 0.05, maxDelayMs: 60 },
    { jitterMs: 60, loss: 0, maxDelayMs: 90 },
    { jitterMs: 60, loss: 0.05, maxDelayMs: 90 },
  ])('jitter $jitterMs ms, loss $loss: late loss ≤ 1 %, delay ≤ $maxDelayMs ms', ({ jitterMs, loss, maxDelayMs }) => {
    const result = simulate({ durationMs: 60_000, jitter: uniformJitter(jitterMs), loss, seed: 11 });
    const stats = result.buffer.statistics();
    expect(lateRate(result)).toBeLessThanOrEqual(0.01);
    expect(meanCurrentDelay(result)).toBeLessThanOrEqual(maxDelayMs);
    expect(stats.targetDelayMs).toBeGreaterThanOrEqual(Math.max(20, jitterMs * 0.9));
    expect(stats.lost / result.sent).toBeCloseTo(loss, 1);
    expect(stats.played + stats.late).toBe(stats.received);
  });

  it('reordering from 60 ms jitter and 5 % duplicates: every duplicate is caught', () => {
    const result = simulate({ durationMs: 20_000, jitter: uniformJitter(60), duplicate: 0.05, seed: 3 });
    const stats = result.buffer.statistics();
    expect(stats.duplicates / result.sent).toBeCloseTo(0.05, 1);
    expect(stats.received).toBe(result.sent);
    const played = result.frames.flatMap((f) => (f.frame.kind === 'packet' ? [f.frame.packet.sequence] : []));
    expect(new Set(played).size).toBe(played.length);
    expect(played).toEqual([...played].sort((a, b) => a - b));
  });

  it('a jitter spike: the target grows within a second, then shrinks slowly once calm', () => {
    const spike = (sendMs: number, random: { between(low: number, high: number): number }) =>
      sendMs >= 20_000 && sendMs < 23_000 ? random.between(0, 150) : random.between(0, 10);
    const result = simulate({ durationMs: 80_000, jitter: spike, talkspurts: true, seed: 5 });
    const targetAt = (ms: number) => result.frames.find((f) => f.atMs >= ms)?.targetDelayMs ?? Number.NaN;
    expect(targetAt(19_000)).toBeLessThanOrEqual(25);
    expect(targetAt(21_000)).toBeGreaterThanOrEqual(100);
    // Slow: still well up seconds after the spike, down after about half a minute.
    expect(targetAt(27_000)).toBeGreaterThanOrEqual(60);
    expect(targetAt(75_000)).toBeLessThanOrEqual(25);
    expect(meanCurrentDelay(result, 70_000)).toBeLessThanOrEqual(50);
    expect(lateRate(result)).toBeLessThanOrEqual(0.01);
  });

  it('no skips mid-talkspurt: every frame of a talkspurt is played or concealed, none dropped', () => {
    const spiky = (sendMs: number, random: { between(low: number, high: number): number }) =>
      sendMs % 10_000 < 2_000 ? random.between(0, 100) : random.between(0, 30);
    const result = simulate({ durationMs: 60_000, jitter: spiky, talkspurts: true, loss: 0.02, seed: 9 });
    expect(result.buffer.statistics().droppedFrames).toBe(0);
    const outputs = result.frames.map((f) => f.frame);
    for (const talkspurt of result.talkspurts) {
      const first = talkspurt[0] ?? 0;
      const last = talkspurt.at(-1) ?? 0;
      const start = outputs.findIndex((f) => f.kind === 'packet' && f.timestamp === first);
      const end = outputs.findIndex((f) => f.kind === 'packet' && f.timestamp === last);
      if (start < 0 || end < 0) continue;
      const between = outputs.slice(start, end + 1);
      expect(between.every((f) => f.kind !== 'silence')).toBe(true);
      expect(between.length).toBeGreaterThanOrEqual(talkspurt.length);
    }
    expect(result.buffer.statistics().talkspurtAdjustments).toBeGreaterThan(0);
  });

  it.each([
    { drift: 0.005, talkspurts: true },
    { drift: -0.005, talkspurts: true },
    { drift: 0.005, talkspurts: false },
    { drift: -0.005, talkspurts: false },
  ])('clock drift $drift (talkspurts: $talkspurts) over a minute: delay stays at target', ({ drift, talkspurts }) => {
    const result = simulate({ durationMs: 60_000, jitter: uniformJitter(20), senderDrift: drift, talkspurts, seed: 13 });
    const stats = result.buffer.statistics();
    expect(lateRate(result)).toBeLessThanOrEqual(0.01);
    // Uncorrected, 0.5 % over 60 s is 300 ms of drift.
    expect(meanCurrentDelay(result, 50_000)).toBeLessThanOrEqual(stats.targetDelayMs + 30);
    expect(meanCurrentDelay(result, 50_000)).toBeGreaterThanOrEqual(stats.targetDelayMs - 5);
    expect(stats.driftCorrections + stats.talkspurtAdjustments + stats.insertedFrames).toBeGreaterThan(0);
    // 0.5 % of a minute is 15 frames: without silence they are dropped or inserted one by one.
    if (!talkspurts) expect(drift > 0 ? stats.droppedFrames : stats.insertedFrames).toBeGreaterThanOrEqual(10);
  });

  it('keeps the target within its bounds', () => {
    const result = simulate({ durationMs: 10_000, jitter: uniformJitter(500), seed: 2, options: { maxDelayMs: 300 } });
    expect(result.frames.every((f) => f.targetDelayMs <= 300 && f.targetDelayMs >= 20)).toBe(true);
    expect(result.frames.every((f) => f.currentDelayMs <= 300 + 40)).toBe(true);
  });

  it('drops comfort noise (RFC 3389) to shrink the delay between talkspurts', () => {
    const clock = { ms: 0, now: () => clock.ms };
    const buffer = new JitterBuffer({ clock, clockRate: 8000 });
    // A spike makes the buffer hold 100 ms; then comfort noise arrives on time.
    buffer.push(packet(1, 0, true));
    clock.ms = 20;
    buffer.pull();
    for (let sequence = 2; sequence <= 300; sequence++) {
      const arrivalMs = sequence === 2 ? 150 : sequence * 20 - 20;
      const p = { ...packet(sequence, Math.max(arrivalMs, 150)), payloadType: sequence > 20 ? 13 : 0 };
      for (; clock.ms < p.arrivalMs; clock.ms += 20) buffer.pull();
      buffer.push(p);
    }
    for (let i = 0; i < 50; i++, clock.ms += 20) buffer.pull();
    const stats = buffer.statistics();
    expect(stats.droppedFrames).toBeGreaterThan(0);
    expect(stats.currentDelayMs).toBeLessThanOrEqual(stats.targetDelayMs + 20);
  });
});
