import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ImpairmentOptionsError, SeededRandom, startImpairmentProxy } from '../../../../../main/core/media/impairment/index.js';

const sockets: Socket[] = [];

async function peer(): Promise<{ socket: Socket; port: number; received: number[] }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const received: number[] = [];
  socket.on('message', (datagram) => received.push(datagram.readUInt32BE(0)));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, received };
}

function datagram(index: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeUInt32BE(index, 0);
  return buffer;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

describe('startImpairmentProxy', () => {
  it('loss and duplication measured at the far peer match the settings (seed 42)', async () => {
    const alice = await peer();
    const bob = await peer();
    const proxy = await startImpairmentProxy({ forwardTo: { address: '127.0.0.1', port: bob.port }, loss: 0.1, duplicate: 0.05, seed: 42, maxDurationMs: 10_000 });
    const count = 2000;
    for (let i = 0; i < count; i++) {
      alice.socket.send(datagram(i), proxy.address.port, '127.0.0.1');
      if (i % 10 === 9) await settle(1);
    }
    await settle(100);
    const report = await proxy.stop();
    const distinct = new Set(bob.received).size;
    expect(report.received).toBe(count);
    expect(1 - distinct / count).toBeGreaterThan(0.08);
    expect(1 - distinct / count).toBeLessThan(0.12);
    expect((bob.received.length - distinct) / distinct).toBeGreaterThan(0.035);
    expect((bob.received.length - distinct) / distinct).toBeLessThan(0.065);
    expect(bob.received.length).toBe(report.forwarded);
  });

  it('is symmetric and deterministic: the same seed gives the same counts', async () => {
    const runOnce = async () => {
      const alice = await peer();
      const bob = await peer();
      const proxy = await startImpairmentProxy({ loss: 0.2, reorder: 0.1, seed: 7 });
      alice.socket.send(datagram(0), proxy.address.port, '127.0.0.1');
      await settle(20);
      bob.socket.send(datagram(1000), proxy.address.port, '127.0.0.1');
      await settle(20);
      for (let i = 1; i <= 200; i++) {
        alice.socket.send(datagram(i), proxy.address.port, '127.0.0.1');
        bob.socket.send(datagram(1000 + i), proxy.address.port, '127.0.0.1');
        await settle(1);
      }
      await settle(150);
      const report = await proxy.stop();
      return { report, alice: alice.received, bob: bob.received };
    };
    const first = await runOnce();
    const second = await runOnce();
    expect(first.report).toEqual(second.report);
    expect(first.report.unroutable).toBe(1);
    expect(first.bob.length).toBeGreaterThan(100);
    expect(first.alice.every((i) => i > 1000)).toBe(true);
    expect(first.bob.every((i) => i < 1000)).toBe(true);
    expect(first.report.reordered).toBeGreaterThan(10);
  });

  it('jitter reorders datagrams', async () => {
    const alice = await peer();
    const bob = await peer();
    const proxy = await startImpairmentProxy({ forwardTo: { address: '127.0.0.1', port: bob.port }, jitterMs: 40, seed: 3 });
    for (let i = 0; i < 50; i++) {
      alice.socket.send(datagram(i), proxy.address.port, '127.0.0.1');
      await settle(5);
    }
    await settle(100);
    await proxy.stop();
    expect(bob.received).toHaveLength(50);
    expect(bob.received).not.toEqual([...bob.received].sort((a, b) => a - b));
  });

  it('stops by itself at maxPackets and at maxDurationMs', async () => {
    const alice = await peer();
    const bob = await peer();
    const byPackets = await startImpairmentProxy({ forwardTo: { address: '127.0.0.1', port: bob.port }, maxPackets: 10 });
    for (let i = 0; i < 30; i++) alice.socket.send(datagram(i), byPackets.address.port, '127.0.0.1');
    const report = await byPackets.done;
    expect(report).toMatchObject({ stoppedBy: 'max-packets', received: 10, forwarded: 10 });

    const started = Date.now();
    const byTime = await startImpairmentProxy({ maxDurationMs: 150 });
    expect(await byTime.done).toMatchObject({ stoppedBy: 'max-duration', received: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('refuses settings out of range', async () => {
    await expect(startImpairmentProxy({ loss: 1.5 })).rejects.toThrow(ImpairmentOptionsError);
  });

  it('SeededRandom repeats for a seed and is roughly uniform', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    const values = Array.from({ length: 10_000 }, () => a.next());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});
