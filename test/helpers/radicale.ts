/**
 * A real CardDAV server for tests: Debian's Radicale (RFC 6352 + RFC 6578 sync-collection),
 * started with a throw-away config — htpasswd auth, storage in a temporary folder, 127.0.0.1 on
 * an ephemeral port. A missing `radicale` binary is a failure naming the package, never a skip.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, findBinary, freePort, makeTempDir, removeTempDir, sleep } from '../interop/lab/process.js';

export class Radicale {
  private constructor(
    private readonly process: ManagedProcess,
    private readonly dir: string,
    /** http://127.0.0.1:port/ */
    readonly url: string,
    readonly username: string,
    readonly password: string,
  ) {}

  static async start(options: { username?: string; password?: string } = {}): Promise<Radicale> {
    const binary = findBinary('radicale', 'RADICALE');
    const username = options.username ?? 'alice';
    const password = options.password ?? 'wonderland';
    const dir = makeTempDir('softphone-radicale-');
    writeFileSync(join(dir, 'users'), `${username}:${password}\n`, { mode: 0o600 });
    for (let attempt = 0; ; attempt++) {
      const port = await freePort({ udp: false });
      writeFileSync(
        join(dir, 'config'),
        [
          '[server]',
          `hosts = 127.0.0.1:${port}`,
          'timeout = 10',
          '[auth]',
          'type = htpasswd',
          `htpasswd_filename = ${join(dir, 'users')}`,
          'htpasswd_encryption = plain',
          'delay = 0',
          '[rights]',
          'type = owner_only',
          '[storage]',
          `filesystem_folder = ${join(dir, 'collections')}`,
          '[logging]',
          'level = warning',
          'mask_passwords = True',
          '',
        ].join('\n'),
      );
      const process = new ManagedProcess('radicale', binary, ['--config', join(dir, 'config')]);
      const url = `http://127.0.0.1:${port}/`;
      const server = new Radicale(process, dir, url, username, password);
      if (await server.ready()) return server;
      await process.stop();
      if (attempt >= 2) {
        removeTempDir(dir);
        throw new Error(`radicale did not start on 127.0.0.1:${port}:\n${process.tail()}`);
      }
    }
  }

  private async ready(): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && this.process.running) {
      try {
        await fetch(this.url, { signal: AbortSignal.timeout(1000) });
        return true;
      } catch {
        await sleep(100);
      }
    }
    return false;
  }

  private get authorization(): string {
    return `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
  }

  /** Creates an address book (extended MKCOL, RFC 5689) under the user's home; returns its URL. */
  async createAddressBook(name: string, displayName = name): Promise<string> {
    const url = `${this.url}${this.username}/${name}/`;
    const body =
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><set><prop>' +
      `<resourcetype><collection/><CR:addressbook/></resourcetype><displayname>${displayName}</displayname>` +
      '</prop></set></mkcol>';
    await this.request('MKCOL', url, body, { 'content-type': 'application/xml; charset=utf-8' });
    return url;
  }

  /** PUTs a vCard into an address book; returns its URL and the ETag the server gave it. */
  async putVCard(addressBookUrl: string, name: string, vcard: string): Promise<{ url: string; etag: string }> {
    const url = `${addressBookUrl}${name}.vcf`;
    const response = await this.request('PUT', url, vcard.replace(/\r?\n/g, '\r\n'), { 'content-type': 'text/vcard; charset=utf-8' });
    return { url, etag: response.headers.get('etag') ?? '' };
  }

  /** A card as the server holds it, or undefined when there is none. */
  async getVCard(url: string): Promise<{ text: string; etag: string } | undefined> {
    const response = await fetch(url, { headers: { authorization: this.authorization }, signal: AbortSignal.timeout(5000) });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`radicale: GET ${url}: ${response.status}`);
    return { text: await response.text(), etag: response.headers.get('etag') ?? '' };
  }

  /** The cards' URLs in an address book (PROPFIND depth 1). */
  async listVCards(addressBookUrl: string): Promise<string[]> {
    const response = await this.request('PROPFIND', addressBookUrl, '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>', {
      depth: '1',
      'content-type': 'application/xml; charset=utf-8',
    });
    const hrefs = [...(await response.text()).matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => new URL(m[1]!, addressBookUrl).href);
    return hrefs.filter((href) => href !== addressBookUrl).sort();
  }

  async deleteVCard(url: string): Promise<void> {
    await this.request('DELETE', url);
  }

  async stop(): Promise<void> {
    await this.process.stop();
    removeTempDir(this.dir);
  }

  private async request(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(url, {
      method,
      headers: { authorization: this.authorization, ...headers },
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`radicale: ${method} ${url}: ${response.status} ${await response.text()}`);
    return response;
  }
}
