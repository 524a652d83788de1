/**
 * Kamailio 5.6 (Debian) on loopback for interop tests: registrar + usrloc in memory, digest auth
 * against a db_text subscriber table (realm lab.test, qop=auth, MD5 or SHA-256), a record-routing
 * proxy between registered users, presence server (presence, presence_xml, presence_mwi), TLS with
 * a self-signed certificate made by openssl at start. Everything lives in a fresh temporary
 * directory and on ports chosen free at run time; stop() kills it and removes the directory,
 * restart() stops and starts it again on the same ports, users and certificate (an outage).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, findBinary, freePort, makeTempDir, removeTempDir, run, sleep } from './process.js';

export const LAB_DOMAIN = 'lab.test';

export type LabUserName = 'alice' | 'bob' | 'carol' | 'dave' | 'eve';

export interface LabUser {
  readonly username: LabUserName;
  readonly password: string;
  /** sip:<user>@lab.test */
  readonly aor: string;
}

export const LAB_USERS: Readonly<Record<LabUserName, LabUser>> = Object.freeze(
  Object.fromEntries(
    (['alice', 'bob', 'carol', 'dave', 'eve'] as const).map((u) => [u, { username: u, password: `${u}pass`, aor: `sip:${u}@${LAB_DOMAIN}` }]),
  ) as Record<LabUserName, LabUser>,
);

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface KamailioOptions {
  /**
   * Digest algorithm of the challenges. 'MD5' (default) challenges without an algorithm
   * parameter, as the reference lab; 'SHA-256' sets the auth module's `algorithm` parameter, so
   * WWW-Authenticate carries algorithm=SHA-256 and responses are checked with SHA-256.
   */
  digestAlgorithm?: DigestAlgorithm;
  /** Wait for readiness at most this long (default 10 s). */
  readyTimeoutMs?: number;
  /** Kamailio `debug` level (default 2; 3 = debug). */
  debugLevel?: number;
}

export interface RegisteredContact {
  readonly address: string;
  readonly expires: number | undefined;
  readonly received: string | undefined;
  readonly socket: string | undefined;
  readonly userAgent: string | undefined;
  readonly callId: string | undefined;
  /** All fields as kamcmd printed them. */
  readonly raw: Readonly<Record<string, string>>;
}

export interface Registration {
  /** usrloc AoR: the user part only (use_domain=0), e.g. "alice". */
  readonly aor: string;
  readonly contacts: readonly RegisteredContact[];
}

export interface Kamailio {
  readonly host: '127.0.0.1';
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly tlsPort: number;
  readonly domain: 'lab.test';
  readonly digestAlgorithm: DigestAlgorithm;
  /** Self-signed server certificate (also its own CA): trust it to verify the TLS listener. */
  readonly caCertPath: string;
  readonly users: Readonly<Record<LabUserName, LabUser>>;
  /** The lab's temporary directory (removed by stop()). */
  readonly dir: string;
  /** "sip:127.0.0.1:<port>;transport=<t>", e.g. for an outbound proxy setting. */
  proxyUri(transport?: 'udp' | 'tcp' | 'tls'): string;
  /** Who is registered, from `kamcmd ul.dump` on the ctl socket. */
  dumpRegistrations(): Promise<Registration[]>;
  /** Any kamcmd command, e.g. kamcmd('ul.lookup', 'location', 'alice'); returns its raw output. */
  kamcmd(...args: string[]): Promise<string>;
  /** Last lines of Kamailio's log (stderr); "LAB:" lines show REGISTER/INVITE routing. */
  logTail(lines?: number): string;
  /**
   * Stops Kamailio (SIGTERM: it closes its TCP/TLS connections) and starts it again on the same
   * ports, users and certificate, with no registrations (usrloc is in memory). `downMs` is how
   * long it stays down (default 0); resolves once it answers again.
   */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

const MODULE_DIR_CANDIDATES = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/aarch64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/local/lib64/kamailio/modules', '/usr/local/lib/kamailio/modules'];

function modulesDir(): string {
  const fromEnv = process.env['KAMAILIO_MODULES_DIR'];
  const candidates = fromEnv ? [fromEnv] : MODULE_DIR_CANDIDATES;
  for (const dir of candidates) {
    if (existsSync(join(dir, 'tm.so'))) {
      for (const [module, pkg] of [['tls.so', 'kamailio-tls-modules'], ['presence.so', 'kamailio-presence-modules'], ['presence_xml.so', 'kamailio-presence-modules']] as const) {
        if (!existsSync(join(dir, module))) throw new Error(`interop lab: Kamailio module ${module} missing in ${dir}: apt-get install ${pkg}`);
      }
      return dir;
    }
  }
  throw new Error(`interop lab: Kamailio modules not found in ${candidates.join(', ')}: apt-get install kamailio (or set KAMAILIO_MODULES_DIR)`);
}

// db_text tables (schema lines as in Kamailio 5.6's db_text samples); passwords in plain text,
// HA1 computed by auth_db (calculate_ha1=yes) with the configured algorithm.
function dbTables(): Record<string, string> {
  // ha1/ha1b as in the reference lab (MD5 of user:lab.test:password); unused with calculate_ha1.
  const subscribers = [
    '1:alice:lab.test:alicepass:9daff5d587b40a56dd5940b44e51d897:d3f028df0a53ad1772084a83241b1ba7',
    '2:bob:lab.test:bobpass:90fdbf3cfc09805e991fc680d03813c9:0f23eb98a4a2ee99a47d2b8db45d9337',
    '3:carol:lab.test:carolpass:2e57073d253e50258e3c99748b84e6a9:5de30974a2c55c25112f57b6cb515262',
    '4:dave:lab.test:davepass:5aadbcadb8c5cacee3deb5dbfddc1a50:2074df1d2bd7a175a3d7fcb523c1861d',
    '5:eve:lab.test:evepass:2e56a6178bc37e14f2ac8d2508127bdf:ea1ffc4f668f66226ff4a745bac4313b',
  ].join('\n');
  return {
    version: 'id(int,auto) table_name(string) table_version(int) \n0:version:1\n0:subscriber:7\n0:location:9\n0:presentity:5\n0:active_watchers:12\n0:watchers:3\n0:xcap:4\n0:pua:7\n',
    subscriber: `id(int,auto) username(string) domain(string) password(string) ha1(string) ha1b(string) \n${subscribers}\n`,
    location:
      'id(int,auto) ruid(string) username(string) domain(string,null) contact(string) received(string,null) path(string,null) expires(int) q(double) callid(string) cseq(int) last_modified(int) flags(int) cflags(int) user_agent(string) socket(string,null) methods(int,null) instance(string,null) reg_id(int) server_id(int) connection_id(int) keepalive(int) partition(int) \n',
    presentity: 'id(int,auto) username(string) domain(string) event(string) etag(string) expires(int) received_time(int) body(string) sender(string,null) priority(int) ruid(string,null) \n',
    active_watchers:
      'id(int,auto) presentity_uri(string) watcher_username(string) watcher_domain(string) to_user(string) to_domain(string) event(string) event_id(string,null) to_tag(string) from_tag(string) callid(string) local_cseq(int) remote_cseq(int) contact(string) record_route(string,null) expires(int) status(int) reason(string,null) version(int) socket_info(string) local_contact(string) from_user(string) from_domain(string) updated(int) updated_winfo(int) flags(int) user_agent(string,null) \n',
    watchers: 'id(int,auto) presentity_uri(string) watcher_username(string) watcher_domain(string) event(string) status(int) reason(string,null) inserted_time(int) \n',
    xcap: 'id(int,auto) username(string) domain(string) doc(string) doc_type(int) etag(string) source(int) doc_uri(string) port(int) \n',
    pua: 'id(int,auto) pres_uri(string) pres_id(string) event(int) expires(int) desired_expires(int) flag(int) etag(string) tuple_id(string,null) watcher_uri(string) call_id(string) to_tag(string) from_tag(string) cseq(int) record_route(string,null) contact(string) remote_contact(string) version(int) extra_headers(string) \n',
  };
}

export function fillTemplate(name: string, values: Record<string, string | number>): string {
  let text = readFileSync(join(import.meta.dirname, 'templates', name), 'utf8');
  for (const [key, value] of Object.entries(values)) text = text.replaceAll(`@@${key}@@`, String(value));
  const left = /@@[A-Z_]+@@/.exec(text);
  if (left) throw new Error(`interop lab: template ${name}: no value for ${left[0]}`);
  return text;
}

async function makeCertificate(dir: string, openssl: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await run(openssl, [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650',
    '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt'),
    '-subj', '/CN=lab.test/O=siplab',
    '-addext', 'subjectAltName=DNS:lab.test,DNS:localhost,IP:127.0.0.1',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=digitalSignature,keyEncipherment,keyCertSign',
    '-addext', 'extendedKeyUsage=serverAuth,clientAuth',
  ]);
}

/**
 * Parses kamcmd's structured text output ("{", "key: value", "name: {", "}") into nested
 * objects; repeated keys become arrays.
 */
export function parseKamcmdTree(text: string): unknown {
  type Node = Record<string, unknown>;
  const root: Node = {};
  const stack: Node[] = [root];
  const repeated = new WeakSet<unknown[]>();
  const put = (node: Node, key: string, value: unknown): void => {
    const prev = node[key];
    if (prev === undefined) node[key] = value;
    else if (Array.isArray(prev) && repeated.has(prev)) prev.push(value);
    else {
      const list = [prev, value];
      repeated.add(list);
      node[key] = list;
    }
  };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    const top = stack[stack.length - 1] ?? root;
    if (line === '{') {
      const child: Node = {};
      put(top, '_', child);
      stack.push(child);
    } else if (line === '}') {
      if (stack.length > 1) stack.pop();
    } else {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (value === '{') {
        const child: Node = {};
        put(top, key, child);
        stack.push(child);
      } else put(top, key, value);
    }
  }
  return root;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function collect(node: unknown, key: string, out: unknown[] = []): unknown[] {
  if (node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const item of node) collect(item, key, out);
    return out;
  }
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === key) out.push(...asArray(v));
    else collect(v, key, out);
  }
  return out;
}

export function registrationsFromUlDump(text: string): Registration[] {
  const tree = parseKamcmdTree(text);
  const registrations: Registration[] = [];
  for (const info of collect(tree, 'Info')) {
    if (info === null || typeof info !== 'object') continue;
    const record = info as Record<string, unknown>;
    const aor = typeof record['AoR'] === 'string' ? record['AoR'] : '';
    const contacts = collect(record['Contacts'], 'Contact').flatMap((c): RegisteredContact[] => {
      if (c === null || typeof c !== 'object') return [];
      const raw = Object.fromEntries(Object.entries(c as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const expires = raw['Expires'] === undefined ? undefined : Number(raw['Expires']);
      const opt = (k: string): string | undefined => (raw[k] === undefined || raw[k] === '[not set]' ? undefined : raw[k]);
      return [{ address: raw['Address'] ?? '', expires: Number.isFinite(expires) ? expires : undefined, received: opt('Received'), socket: opt('Socket'), userAgent: opt('User-Agent'), callId: opt('Call-ID'), raw }];
    });
    registrations.push({ aor, contacts });
  }
  return registrations;
}

export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const kamailioBin = findBinary('kamailio', 'KAMAILIO_PATH');
  const kamcmdBin = findBinary('kamcmd', 'KAMCMD_PATH');
  const openssl = findBinary('openssl', 'OPENSSL_PATH');
  const moduleDir = modulesDir();
  const digestAlgorithm = options.digestAlgorithm ?? 'MD5';
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;

  const dir = makeTempDir('siplab-kamailio-');
  try {
    mkdirSync(join(dir, 'db'));
    for (const [table, content] of Object.entries(dbTables())) writeFileSync(join(dir, 'db', table), content);
    await makeCertificate(join(dir, 'tls'), openssl);
    writeFileSync(join(dir, 'tls.cfg'), fillTemplate('tls.cfg.tmpl', { RUNDIR: dir }));

    const ctlSocket = join(dir, 'kamailio_ctl');
    const kamcmd = (...args: string[]): Promise<string> => run(kamcmdBin, ['-s', `unix:${ctlSocket}`, ...args], 5000);

    const launch = async (cfgPath: string): Promise<{ proc: ManagedProcess; ready: boolean }> => {
      const proc = new ManagedProcess('kamailio', kamailioBin, ['-f', cfgPath, '-Y', dir, '-P', join(dir, 'kamailio.pid'), '-DD', '-E', '-m', '64', '-M', '8'], { cwd: dir });
      const deadline = Date.now() + readyTimeoutMs;
      while (Date.now() < deadline && proc.running) {
        if (existsSync(ctlSocket)) {
          try {
            await kamcmd('core.uptime');
            return { proc, ready: true };
          } catch {
            // not yet
          }
        }
        await sleep(100);
      }
      return { proc, ready: false };
    };
    const removeRunFiles = (): void => {
      for (const f of readdirSync(dir)) if (f === 'kamailio_ctl' || f === 'kamailio.pid') removeTempDir(join(dir, f));
    };
    const notReady = (proc: ManagedProcess): string =>
      proc.running ? `did not become ready in ${readyTimeoutMs / 1000} s` : `exited (${proc.exitInfo?.code ?? proc.exitInfo?.signal}) during start`;

    // A port can be taken between the free-port check and Kamailio's bind: retry a few times.
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const sipPort = await freePort({ udp: true });
      const tlsPort = await freePort({ udp: false });
      const cfgPath = join(dir, 'kamailio.cfg');
      writeFileSync(
        cfgPath,
        fillTemplate('kamailio.cfg.tmpl', {
          RUNDIR: dir,
          UDP_PORT: sipPort,
          TCP_PORT: sipPort,
          TLS_PORT: tlsPort,
          MODULES_DIR: moduleDir,
          CHILDREN: 2,
          AUTH_ALGORITHM: digestAlgorithm,
          AUTH_ALGORITHM_PARAM: digestAlgorithm === 'SHA-256' ? 'SHA-256' : '',
        }).replace(/^debug=2$/m, `debug=${options.debugLevel ?? 2}`),
      );
      const launched = await launch(cfgPath);
      let proc = launched.proc;
      if (launched.ready) {
        const kam: Kamailio = {
          host: '127.0.0.1',
          udpPort: sipPort,
          tcpPort: sipPort,
          tlsPort,
          domain: 'lab.test',
          digestAlgorithm,
          caCertPath: join(dir, 'tls', 'server.crt'),
          users: LAB_USERS,
          dir,
          proxyUri: (transport = 'udp') => `sip:127.0.0.1:${transport === 'tls' ? tlsPort : sipPort};transport=${transport}`,
          dumpRegistrations: async () => registrationsFromUlDump(await kamcmd('ul.dump')),
          kamcmd,
          logTail: (lines = 60) => proc.tail(lines),
          restart: async ({ downMs = 0 } = {}) => {
            await proc.stop();
            removeRunFiles();
            await sleep(downMs);
            // The ports were ours a moment ago; a TIME_WAIT or a slow exit can still hold one.
            const deadline = Date.now() + 5000;
            for (;;) {
              const again = await launch(cfgPath);
              proc = again.proc;
              if (again.ready) return;
              await proc.stop();
              const bindRace = /bind|address already in use/i.test(proc.tail(60));
              if (!bindRace || Date.now() > deadline) throw new Error(`kamailio ${notReady(proc)} on restart: ${proc.tail(25)}`);
              removeRunFiles();
              await sleep(200);
            }
          },
          stop: async () => {
            await proc.stop();
            removeTempDir(dir);
          },
        };
        return kam;
      }
      const why = notReady(proc);
      await proc.stop();
      lastError = new Error(`kamailio ${why}: ${proc.tail(25)}`);
      // Only a bind race is worth another try.
      if (!/bind|address already in use/i.test(proc.tail(60))) break;
      removeRunFiles();
    }
    throw lastError ?? new Error('kamailio did not start');
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
}
