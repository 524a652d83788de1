import { createSocket } from 'node:dgram';
import type { RemoteInfo } from 'node:dgram';
import { SeededRandom } from './seeded-random.js';

export interface UdpEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface ImpairmentOptions {
  /** Where to listen. Default 127.0.0.1 on an ephemeral port. */
  readonly listen?: UdpEndpoint;
  /** One peer, if known; else the first two distinct sources are the two peers. */
  readonly forwardTo?: UdpEndpoint;
  /** Probability a datagram is dropped. */
  readonly loss?: number;
  /** Each datagram is delayed by a uniform 0..jitterMs (so they reorder when jitter exceeds their spacing). */
  readonly jitterMs?: number;
  /** Probability a datagram is held back and sent after the next one in its direction. */
  readonly reorder?: number;
  /** Probability a datagram is sent twice. */
  readonly duplicate?: number;
  readonly seed?: number;
  /** Stop after relaying decisions on this many datagrams. Default 100 000. */
  readonly maxPackets?: number;
  /** Stop after this long. Default 60 000. */
  readonly maxDurationMs?: number;
}

export interface ImpairmentReport {
  readonly received: number;
  readonly forwarded: number;
  readonly dropped: number;
  readonly duplicated: number;
  readonly reordered: number;
  /** From a source that is neither peer, or before the other peer was known. */
  readonly unroutable: number;
  /** Held or delayed when the proxy stopped, never sent. */
  readonly discardedAtStop: number;
  readonly stoppedBy: 'stop' | 'max-packets' | 'max-duration';
}

export interface ImpairmentProxy {
  readonly address: UdpEndpoint;
  /** Resolves with the report once the proxy has stopped, whatever stopped it. */
  readonly done: Promise<ImpairmentReport>;
  stop(): Promise<ImpairmentReport>;
}

/** An impairment setting outside its range: a caller's mistake. */
export class ImpairmentOptionsError extends Error {
  override readonly name: string = 'ImpairmentOptionsError';
}

interface Direction {
  readonly to: UdpEndpoint;
  held: Buffer | undefined;
  heldTimer: NodeJS.Timeout | undefined;
}

const REORDER_HOLD_LIMIT_MS = 100;

function sameEndpoint(a: UdpEndpoint | undefined, b: RemoteInfo | UdpEndpoint): boolean {
  return a !== undefined && a.address === b.address && a.port === b.port;
}

/**
 * A UDP relay between two peers that loses, delays, reorders and duplicates datagrams, for tests
 * and benchmarks of the media path (RTP, RTCP, SIP over UDP alike). Deterministic for a seed,
 * bounded in datagrams and time, and it stops by itself.
 */
export async function startImpairmentProxy(options: ImpairmentOptions = {}): Promise<ImpairmentProxy> {
  for (const [name, value] of Object.entries({ loss: options.loss, reorder: options.reorder, duplicate: options.duplicate })) {
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new ImpairmentOptionsError(`${name} ${value} is not a probability`);
  }
  const jitterMs = options.jitterMs ?? 0;
  if (!(jitterMs >= 0)) throw new ImpairmentOptionsError(`jitter ${jitterMs} ms is negative`);
  const random = new SeededRandom(options.seed ?? 1);
  const maxPackets = options.maxPackets ?? 100_000;
  const listen = options.listen ?? { address: '127.0.0.1', port: 0 };
  const socket = createSocket(listen.address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(listen.port, listen.address, () => {
      socket.off('error', reject);
      resolve();
    });
  });

  let peerA: UdpEndpoint | undefined;
  let peerB: UdpEndpoint | undefined = options.forwardTo;
  const directions = new Map<string, Direction>();
  const timers = new Set<NodeJS.Timeout>();
  const counts = { received: 0, forwarded: 0, dropped: 0, duplicated: 0, reordered: 0, unroutable: 0, discardedAtStop: 0 };
  let stopped: ImpairmentReport | undefined;
  let resolveDone: (report: ImpairmentReport) => void = () => undefined;
  const done = new Promise<ImpairmentReport>((resolve) => (resolveDone = resolve));

  const send = (datagram: Buffer, to: UdpEndpoint): void => {
    if (stopped !== undefined) return;
    counts.forwarded++;
    socket.send(datagram, to.port, to.address);
  };
  const later = (delayMs: number, run: () => void): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, delayMs);
    timers.add(timer);
    return timer;
  };
  const deliver = (datagram: Buffer, to: UdpEndpoint): void => {
    const copies = random.chance(options.duplicate ?? 0) ? 2 : 1;
    if (copies === 2) counts.duplicated++;
    for (let copy = 0; copy < copies; copy++) {
      const delayMs = jitterMs > 0 ? random.between(0, jitterMs) : 0;
      if (delayMs === 0) send(datagram, to);
      else later(delayMs, () => send(datagram, to));
    }
  };

  const stop = (stoppedBy: ImpairmentReport['stoppedBy']): ImpairmentReport => {
    if (stopped !== undefined) return stopped;
    counts.discardedAtStop = timers.size;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    clearTimeout(durationTimer);
    stopped = { ...counts, stoppedBy };
    socket.close();
    resolveDone(stopped);
    return stopped;
  };
  const durationTimer = setTimeout(() => stop('max-duration'), options.maxDurationMs ?? 60_000);

  socket.on('message', (datagram, from) => {
    if (stopped !== undefined) return;
    counts.received++;
    if (peerA === undefined && !sameEndpoint(peerB, from)) peerA = { address: from.address, port: from.port };
    else if (peerB === undefined && !sameEndpoint(peerA, from)) peerB = { address: from.address, port: from.port };
    const to = sameEndpoint(peerA, from) ? peerB : sameEndpoint(peerB, from) ? peerA : undefined;
    if (to === undefined) counts.unroutable++;
    else if (random.chance(options.loss ?? 0)) counts.dropped++;
    else {
      const key = `${to.address}:${to.port}`;
      let direction = directions.get(key);
      if (direction === undefined) {
        direction = { to, held: undefined, heldTimer: undefined };
        directions.set(key, direction);
      }
      const held = direction.held;
      if (held === undefined && random.chance(options.reorder ?? 0)) {
        // Hold it back; it goes out right after the next datagram in this direction (or after a limit).
        counts.reordered++;
        direction.held = datagram;
        const holder = direction;
        direction.heldTimer = later(REORDER_HOLD_LIMIT_MS, () => {
          holder.held = undefined;
          deliver(datagram, to);
        });
      } else {
        deliver(datagram, to);
        if (held !== undefined && direction.heldTimer !== undefined) {
          clearTimeout(direction.heldTimer);
          timers.delete(direction.heldTimer);
          direction.held = undefined;
          deliver(held, to);
        }
      }
    }
    if (counts.received >= maxPackets) stop('max-packets');
  });

  const bound = socket.address();
  return {
    address: { address: bound.address, port: bound.port },
    done,
    stop: async () => stop('stop'),
  };
}
