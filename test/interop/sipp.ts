/**
 * Runs Debian's sipp (package sip-tester) against our stack on loopback: a scenario from
 * test/interop/scenarios, one call, bounded by a timeout. A missing sipp is a failure, never
 * a skip.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';

export const sippPath = process.env['SIPP_PATH'] ?? '/usr/bin/sipp';
const scenarios = join(import.meta.dirname, 'scenarios');

export interface SippRun {
  readonly port: number;
  /** Resolves when sipp exits: its code (0 = every call succeeded) and what it printed. */
  readonly done: Promise<{ code: number | null; output: string }>;
}

/** A port free for both UDP and TCP on 127.0.0.1 (sipp wants a fixed one). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

export async function runSipp(options: {
  scenario: string;
  transport: 'udp' | 'tcp';
  /** For a UAC scenario: where to send. */
  target?: string;
  timeoutSeconds?: number;
  /** The [service] of the scenario: the user part it calls (`-s`). */
  service?: string;
  /** Calls to make (`-m`, default 1) and the rate in calls per second (`-r`). */
  calls?: number;
  rate?: number;
  /** Simultaneous calls at most (`-l`). */
  limit?: number;
}): Promise<SippRun> {
  if (!existsSync(sippPath)) throw new Error(`sipp not found at ${sippPath}: apt-get install sip-tester (or set SIPP_PATH)`);
  const port = await freePort();
  const args = [
    ...(options.target === undefined ? [] : [options.target]),
    '-sf', join(scenarios, options.scenario),
    '-i', '127.0.0.1',
    '-p', String(port),
    '-t', options.transport === 'udp' ? 'u1' : 't1',
    '-m', String(options.calls ?? 1),
    ...(options.rate === undefined ? [] : ['-r', String(options.rate)]),
    ...(options.limit === undefined ? [] : ['-l', String(options.limit)]),
    '-timeout', `${options.timeoutSeconds ?? 15}s`,
    '-timeout_error',
    '-nostdin',
    ...(options.service === undefined ? [] : ['-s', options.service]),
  ];
  const child = spawn(sippPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('error', (error) => resolve({ code: -1, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
  // sipp binds its port before it starts the scenario; give a UAS a moment to be listening.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { port, done };
}
