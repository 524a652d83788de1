/**
 * Process plumbing shared by the lab helpers: locating binaries (a missing one is a failure with
 * the Debian package to install, never a skip), free loopback ports, child processes started in
 * their own process group with a bounded output tail, and stop = SIGTERM, then SIGKILL.
 *
 * Safety net: every live child and temporary folder is registered; if the test process exits
 * without stopping them (crash, forgotten close), they are killed / removed on 'exit'.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Debian package that provides each binary the lab runs (for error messages and the README). */
export const debianPackageOf: Record<string, string> = {
  kamailio: 'kamailio kamailio-tls-modules kamailio-presence-modules',
  kamcmd: 'kamailio',
  baresip: 'baresip-core',
  sox: 'sox',
  openssl: 'openssl',
  sipp: 'sip-tester',
  'espeak-ng': 'espeak-ng',
};

const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) killGroup(child, 'SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * Absolute path of an executable: `$ENV_VAR` if set, else the first hit on PATH plus /usr/sbin
 * and /sbin (kamailio lives there and /usr/sbin is often not on a user's PATH).
 */
export function findBinary(name: string, envVar?: string): string {
  const fromEnv = envVar === undefined ? undefined : process.env[envVar];
  const candidates = fromEnv
    ? [fromEnv]
    : [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  const pkg = debianPackageOf[name] ?? name;
  throw new Error(
    `interop lab: '${name}' not found (${fromEnv ? `${envVar}=${fromEnv} is not executable` : 'not on PATH, /usr/sbin, /sbin'}): ` +
      `apt-get install ${pkg}${envVar ? ` (or set ${envVar})` : ''}`,
  );
}

/** A fresh temporary folder, registered for removal at process exit if nobody removes it first. */
export function makeTempDir(prefix: string): string {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  liveDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

function ephemeralTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A port on 127.0.0.1 that the kernel just handed out for TCP and that is also free for UDP;
 * with `alsoNextTcp`, port+1 must be free for TCP too (baresip puts TLS on sip_listen port + 1).
 * There is an unavoidable window between this check and the real bind: callers retry on a bind
 * failure.
 */
export async function freePort(options: { udp?: boolean; alsoNextTcp?: boolean } = {}): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await ephemeralTcpPort();
    if (options.alsoNextTcp && (port >= 65535 || !(await tcpFree(port + 1)))) continue;
    if (options.udp !== false && !(await udpFree(port))) continue;
    return port;
  }
  throw new Error('interop lab: no free port on 127.0.0.1 after 50 attempts');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A child process in its own process group, with the tail of what it printed. */
export class ManagedProcess {
  readonly child: ChildProcess;
  private lines: string[] = [];
  private partial = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv; maxLines?: number } = {},
  ) {
    installExitHook();
    const maxLines = options.maxLines ?? 400;
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: stop() reaches forked children (kamailio workers)
    });
    liveChildren.add(this.child);
    const onData = (data: Buffer): void => {
      const text = this.partial + data.toString('utf8');
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      if (this.lines.length > maxLines) this.lines.splice(0, this.lines.length - maxLines);
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.lines.push(`spawn error: ${error.message}`);
        liveChildren.delete(this.child);
        this.exitInfo = { code: -1, signal: null };
        resolve(this.exitInfo);
      });
      this.child.once('exit', (code, signal) => {
        liveChildren.delete(this.child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last `n` lines of its stdout+stderr, for error messages. */
  tail(n = 30): string {
    const all = this.partial === '' ? this.lines : [...this.lines, this.partial];
    return all.slice(-n).join('\n');
  }

  /** SIGKILL to the whole group at once: a crash, the peer vanishing without a word. */
  async kill(): Promise<void> {
    killGroup(this.child, 'SIGKILL');
    await Promise.race([this.exited, sleep(2000)]);
  }

  /** SIGTERM to the whole group; SIGKILL if it is still alive after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.running) {
      killGroup(this.child, 'SIGKILL'); // stray grandchildren, if any
      return;
    }
    killGroup(this.child, 'SIGTERM');
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      killGroup(this.child, 'SIGKILL');
      await Promise.race([this.exited, sleep(2000)]);
    }
    killGroup(this.child, 'SIGKILL'); // leftovers of the group after the leader exited
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // group already gone
  }
}

/** Runs a short command to completion; rejects with its output if it fails or takes too long. */
export function run(command: string, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${timeoutMs / 1000} s: ${out.slice(-2000)}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}
