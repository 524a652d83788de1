/**
 * A headless baresip 1.0 (Debian baresip-core) registered through the lab Kamailio: plays a
 * generated sine WAV as its microphone (aufile), records what it hears (sndfile module), and is
 * driven over ctrl_tcp (BaresipControl). Fresh temporary directory and free ports per instance;
 * stop() kills it (SIGTERM, then SIGKILL) and removes the directory, recordings included.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BaresipControl } from './baresip-control.js';
import { fillTemplate, type Kamailio, type LabUserName } from './kamailio.js';
import { ManagedProcess, findBinary, freePort, makeTempDir, removeTempDir, run, sleep } from './process.js';

export { BaresipControl, type BaresipEvent, type BaresipResponse } from './baresip-control.js';

export type SipTransport = 'udp' | 'tcp' | 'tls';

export interface BaresipOptions {
  user: LabUserName;
  kamailio: Pick<Kamailio, 'host' | 'udpPort' | 'tcpPort' | 'tlsPort' | 'users' | 'domain'>;
  /** Transport to Kamailio (outbound proxy); default 'udp'. */
  transport?: SipTransport;
  /** Frequency of the sine it sends as microphone; default 440 Hz. */
  toneHz?: number;
  /** Length of the source WAV: baresip ends a call when its source ends. Default 120 s. */
  toneSeconds?: number;
  /** 'auto' (default): answers every incoming call at once; 'manual': ctrl.command('accept'). */
  answerMode?: 'auto' | 'manual';
  /** Contacts file lines, e.g. '"Bob" <sip:bob@lab.test>;presence=p2p' (presence watching). */
  contacts?: string[];
  /** Extra ";key=value" account parameters appended to the account line. */
  accountParams?: string;
  /** PUBLISH presence interval in seconds (0 = never); default 60 as the reference lab. */
  publishInterval?: number;
  /** Bound for "registered" (REGISTER_OK); default 10 s. */
  readyTimeoutMs?: number;
}

export interface Baresip {
  readonly user: LabUserName;
  /** sip:<user>@lab.test */
  readonly uri: string;
  readonly transport: SipTransport;
  readonly toneHz: number;
  /** Its own SIP port (UDP and TCP; TLS on sipPort + 1). */
  readonly sipPort: number;
  readonly ctrlPort: number;
  readonly ctrl: BaresipControl;
  readonly dir: string;
  /** WAV files of what it heard (sndfile "-dec.wav"), oldest first; complete once the call closed. */
  recordings(): string[];
  /** WAV files of what it sent (sndfile "-enc.wav"), oldest first. */
  sentRecordings(): string[];
  /** Last lines of baresip's output. */
  logTail(lines?: number): string;
  stop(options?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
}

const MODULE_PATHS = ['/usr/lib/baresip/modules', '/usr/lib/x86_64-linux-gnu/baresip/modules', '/usr/local/lib/baresip/modules'];

function baresipModulePath(): string {
  const fromEnv = process.env['BARESIP_MODULE_PATH'];
  const candidates = fromEnv ? [fromEnv] : MODULE_PATHS;
  const dir = candidates.find((d) => existsSync(join(d, 'ctrl_tcp.so')));
  if (!dir) throw new Error(`interop lab: baresip modules (ctrl_tcp.so) not found in ${candidates.join(', ')}: apt-get install baresip-core (or set BARESIP_MODULE_PATH)`);
  for (const module of ['sndfile.so', 'aufile.so', 'g711.so', 'presence.so']) {
    if (!existsSync(join(dir, module))) throw new Error(`interop lab: baresip module ${module} missing in ${dir}: apt-get install baresip-core`);
  }
  return dir;
}

/** Makes a mono 48 kHz PCM16 sine WAV at -6 dBFS with sox. */
export async function makeToneWav(path: string, hz: number, seconds: number): Promise<void> {
  const sox = findBinary('sox', 'SOX_PATH');
  await run(sox, ['-n', '-r', '48000', '-c', '1', '-b', '16', path, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5'], 20_000);
}

function listWavs(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

export async function startBaresip(options: BaresipOptions): Promise<Baresip> {
  const baresipBin = findBinary('baresip', 'BARESIP_PATH');
  const modulePath = baresipModulePath();
  const { user, kamailio } = options;
  const account = kamailio.users[user];
  const transport = options.transport ?? 'udp';
  const toneHz = options.toneHz ?? 440;
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;

  const dir = makeTempDir(`siplab-baresip-${user}-`);
  let proc: ManagedProcess | undefined;
  let ctrl: BaresipControl | undefined;
  try {
    const recDir = join(dir, 'rec');
    mkdirSync(recDir);
    const audioSource = join(dir, `${user}-tx-${toneHz}hz.wav`);
    await makeToneWav(audioSource, toneHz, options.toneSeconds ?? 120);

    const proxyPort = transport === 'tls' ? kamailio.tlsPort : transport === 'tcp' ? kamailio.tcpPort : kamailio.udpPort;
    const outbound = `sip:${kamailio.host}:${proxyPort}${transport === 'udp' ? '' : `;transport=${transport}`}`;
    const accountLine =
      `<${account.aor}>;auth_user=${account.username};auth_pass=${account.password};outbound="${outbound}"` +
      `;answermode=${options.answerMode ?? 'auto'};regint=300;pubint=${options.publishInterval ?? 60};mwi=no;ptime=20${options.accountParams ?? ''}`;
    writeFileSync(join(dir, 'accounts'), `# lab account for ${user}\n${accountLine}\n`);
    writeFileSync(join(dir, 'contacts'), `# lab contacts\n${(options.contacts ?? []).join('\n')}\n`);

    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const sipPort = await freePort({ udp: true, alsoNextTcp: true });
      const ctrlPort = await freePort({ udp: false });
      writeFileSync(
        join(dir, 'config'),
        fillTemplate('baresip.config.tmpl', { SIP_PORT: sipPort, CTRL_PORT: ctrlPort, AUDIO_SOURCE: audioSource, REC_DIR: recDir, MODULE_PATH: modulePath, RTP_PORTS: '10000-29999' }),
      );
      proc = new ManagedProcess(`baresip-${user}`, baresipBin, ['-f', dir], { cwd: dir });
      try {
        ctrl = await BaresipControl.connect(ctrlPort, { timeoutMs: Math.min(readyTimeoutMs, 5000), label: user });
      } catch (error) {
        await sleep(100);
        const out = proc.tail(40);
        await proc.stop();
        lastError = new Error(`baresip ${user} did not open its control port: ${(error as Error).message}\n${out}`);
        if (/in use|bind|listen/i.test(out)) continue; // port race: try other ports
        throw lastError;
      }
      await waitRegistered(ctrl, proc, user, readyTimeoutMs);
      const started = proc;
      const startedCtrl = ctrl;
      return {
        user,
        uri: account.aor,
        transport,
        toneHz,
        sipPort,
        ctrlPort,
        ctrl: startedCtrl,
        dir,
        recordings: () => listWavs(recDir, '-dec.wav'),
        sentRecordings: () => listWavs(recDir, '-enc.wav'),
        logTail: (lines = 40) => started.tail(lines),
        stop: async ({ signal = 'SIGTERM' } = {}) => {
          startedCtrl.close();
          // SIGKILL: the phone vanishes without a BYE; SIGTERM lets baresip end its calls.
          if (signal === 'SIGKILL') await started.kill();
          await started.stop();
          removeTempDir(dir);
        },
      };
    }
    throw lastError ?? new Error(`baresip ${user} did not start`);
  } catch (error) {
    ctrl?.close();
    await proc?.stop();
    removeTempDir(dir);
    throw error;
  }
}

/**
 * REGISTER_OK may come before the control connection is up, so besides waiting for the event,
 * poll `reginfo` (its text lists each UA with "OK" once registered).
 */
async function waitRegistered(ctrl: BaresipControl, proc: ManagedProcess, user: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ctrl.takeEvent('REGISTER_OK')) return;
    const failed = ctrl.takeEvent('REGISTER_FAIL');
    if (failed) throw new Error(`baresip ${user} registration failed: ${failed.param ?? ''}\n${proc.tail(20)}`);
    if (!proc.running) throw new Error(`baresip ${user} exited (${proc.exitInfo?.code ?? proc.exitInfo?.signal}) before registering:\n${proc.tail(30)}`);
    const info = await ctrl.command('reginfo', undefined, { allowFailure: true, timeoutMs: 2000 }).catch(() => undefined);
    // eslint-disable-next-line no-control-regex
    if (info && /\bOK\b/.test(info.data.replace(/\x1b\[[0-9;]*m/g, ''))) return;
    await sleep(150);
  }
  throw new Error(`baresip ${user} did not register (REGISTER_OK) in ${timeoutMs / 1000} s:\n${proc.tail(30)}`);
}
