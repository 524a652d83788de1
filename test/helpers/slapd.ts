/**
 * A real LDAP server for tests: Debian's OpenLDAP `slapd`, with a throw-away slapd.conf (mdb
 * database in a temporary folder, the core/cosine/inetorgperson schemas), seeded with `slapadd`
 * before it starts, listening on ldap://127.0.0.1 on an ephemeral port — with a certificate,
 * also on ldaps:// on another, and offering StartTLS on the first. A missing binary is a
 * failure naming the package, never a skip.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, findBinary, freePort, makeTempDir, removeTempDir, run, sleep } from '../interop/lab/process.js';
import { createConnection } from 'node:net';

export const SLAPD_SUFFIX = 'dc=example,dc=test';
export const SLAPD_ADMIN_DN = `cn=admin,${SLAPD_SUFFIX}`;

export class Slapd {
  private constructor(
    private readonly process: ManagedProcess,
    private readonly dir: string,
    /** ldap://127.0.0.1:port */
    readonly url: string,
    readonly adminPassword: string,
    /** ldaps://127.0.0.1:port, when started with a certificate. */
    readonly ldapsUrl: string | undefined,
  ) {}

  /** Starts slapd with the entries of `ldif` (without the suffix entry, which is added here). */
  /** `tls.required`: every operation but StartTLS itself needs TLS (slapd's `security tls=1`), so a clear bind fails. */
  static async start(ldif: string, options: { adminPassword?: string; tls?: { certFile: string; keyFile: string; required?: boolean } } = {}): Promise<Slapd> {
    const slapd = findBinary('slapd', 'SLAPD');
    const adminPassword = options.adminPassword ?? 'admin-secret';
    const dir = makeTempDir('softphone-slapd-');
    mkdirSync(join(dir, 'db'));
    const conf = join(dir, 'slapd.conf');
    writeFileSync(
      conf,
      [
        'include /etc/ldap/schema/core.schema',
        'include /etc/ldap/schema/cosine.schema',
        'include /etc/ldap/schema/inetorgperson.schema',
        `pidfile ${join(dir, 'slapd.pid')}`,
        ...(options.tls === undefined ? [] : [`TLSCertificateFile ${options.tls.certFile}`, `TLSCertificateKeyFile ${options.tls.keyFile}`]),
        ...(options.tls?.required === true ? ['security tls=1'] : []),
        'modulepath /usr/lib/ldap',
        'moduleload back_mdb',
        // Anonymous users may bind but read nothing: the phone must bind as a user.
        'access to attrs=userPassword by self auth by anonymous auth by * none',
        'access to * by users read by * none',
        'database mdb',
        'maxsize 10485760',
        `suffix "${SLAPD_SUFFIX}"`,
        `rootdn "${SLAPD_ADMIN_DN}"`,
        `rootpw ${adminPassword}`,
        `directory ${join(dir, 'db')}`,
        'index objectClass eq',
        '',
      ].join('\n'),
    );
    const seed = join(dir, 'seed.ldif');
    writeFileSync(seed, `dn: ${SLAPD_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n${ldif}`);
    await run(findBinary('slapadd', 'SLAPADD'), ['-f', conf, '-l', seed], 10_000);
    for (let attempt = 0; ; attempt++) {
      const port = await freePort({ udp: false });
      const url = `ldap://127.0.0.1:${port}`;
      const tlsPort = options.tls === undefined ? undefined : await freePort({ udp: false });
      const ldapsUrl = tlsPort === undefined ? undefined : `ldaps://127.0.0.1:${tlsPort}`;
      // -d 0: stay in the foreground (our process group), quiet.
      const process = new ManagedProcess('slapd', slapd, ['-f', conf, '-h', [url, ldapsUrl].filter((u) => u !== undefined).map((u) => `${u}/`).join(' '), '-d', '0']);
      const server = new Slapd(process, dir, url, adminPassword, ldapsUrl);
      if ((await server.ready(port)) && (tlsPort === undefined || (await server.ready(tlsPort)))) return server;
      await process.stop();
      if (attempt >= 2) {
        removeTempDir(dir);
        throw new Error(`slapd did not start on 127.0.0.1:${port}:\n${process.tail()}`);
      }
    }
  }

  private async ready(port: number): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && this.process.running) {
      const open = await new Promise<boolean>((resolve) => {
        const socket = createConnection({ host: '127.0.0.1', port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (open) return true;
      await sleep(100);
    }
    return false;
  }

  async stop(): Promise<void> {
    await this.process.stop();
    removeTempDir(this.dir);
  }
}
