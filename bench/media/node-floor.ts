/**
 * The floor under part (a): what a bare Node process pays for the wake-ups that a call's media
 * cannot do without, doing nothing else — a 20 ms timer that sends one 172-byte datagram (a
 * G.711 RTP packet) and one such datagram received every 20 ms. It runs in a child process of
 * plain Node (no TypeScript loader) against a second one that sends and receives, and we read
 * its CPU from /proc as we read baresip's. Our call's figure less this floor is what our media
 * code itself costs; baresip, in C, pays about a tenth of it for the same wake-ups.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { processCpuNs } from './process-cpu.js';

/** One side: binds, says its port on stdout, then on a line "go <port>" sends to it every 20 ms and counts what it receives. */
const SIDE = `
import { createSocket } from 'node:dgram';
const socket = createSocket({ type: 'udp4', lookup: (host, options, callback) => callback(null, host, 4) });
let received = 0;
socket.on('message', () => received++);
socket.bind(0, '127.0.0.1', () => process.stdout.write(socket.address().port + '\\n'));
const packet = new Uint8Array(172);
let timer;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line) => {
  const [command, port] = line.trim().split(' ');
  if (command === 'go') {
    // Re-armed with the same delay, as our frame clock does while on time.
    timer = setTimeout(function tick() { socket.send(packet, Number(port), '127.0.0.1'); timer.refresh(); }, 20);
  } else if (command === 'count') {
    process.stdout.write(received + '\\n');
  }
});
`;

export interface NodeFloor {
  /** CPU ms per second of the bare loop. */
  readonly msPerSecond: number;
  readonly wallMs: number;
  /** Datagrams the measured process received over the window. */
  readonly received: number;
}

async function line(child: ChildProcess): Promise<string> {
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return chunk.toString('utf8').trim();
}

/** Runs the bare loop for `seconds` (after 2 s to settle) and returns its CPU per second. */
export async function measureNodeFloor(seconds: number): Promise<NodeFloor> {
  const start = () => spawn(process.execPath, ['--input-type=module', '-e', SIDE], { stdio: ['pipe', 'pipe', 'inherit'] });
  const floor = start();
  const peer = start();
  try {
    const [floorPort, peerPort] = await Promise.all([line(floor), line(peer)]);
    floor.stdin!.write(`go ${peerPort}\n`);
    peer.stdin!.write(`go ${floorPort}\n`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    floor.stdin!.write('count\n');
    const received0 = Number(await line(floor));
    const cpu0 = processCpuNs(floor.pid!);
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const cpu1 = processCpuNs(floor.pid!);
    const wallMs = performance.now() - started;
    floor.stdin!.write('count\n');
    const received = Number(await line(floor)) - received0;
    return { msPerSecond: (cpu1 - cpu0) / 1e6 / (wallMs / 1000), wallMs, received };
  } finally {
    floor.kill();
    peer.kill();
  }
}
