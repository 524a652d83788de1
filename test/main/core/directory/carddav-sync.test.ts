/**
 * CardDAV synchronisation against a real Radicale on 127.0.0.1: discovery, a full first sync,
 * incremental syncs by sync-token, the server winning over edits made here, and the failures
 * a user can meet (wrong password, no server).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../../shared/contract.js';
import type { Contact } from '../../../../shared/model.js';
import { Directory, DirectoryError, DirectoryStore } from '../../../../main/core/directory/index.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import { ContactsStore } from '../../../../main/core/store/contacts-store.js';
import { openDatabase, type Db } from '../../../../main/core/store/database.js';
import { MemorySecretStore } from '../../../../main/core/store/secret-store.js';
import { freePort } from '../../../interop/lab/process.js';
import { Radicale } from '../../../helpers/radicale.js';
import { silentServer } from '../../../helpers/silent-server.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const vcard = (uid: string, lines: string[]): string => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, ...lines, 'END:VCARD', ''].join('\n');
const BOB = vcard('bob', ['FN:Bob Builder', 'N:Builder;Bob;;;', 'ORG:Acme', 'TEL;TYPE=work,voice:+44 20 7946 0000', 'IMPP:sip:bob@example.test']);
const CAROL = vcard('carol', ['FN:Carol Danvers', 'TEL;TYPE=cell:+1 555 010 2000']);
const DAVE = vcard('dave', ['FN:Dave Lister', 'TEL:+44 161 496 0000']);

let server: Radicale;
beforeAll(async () => {
  server = await Radicale.start();
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

interface Phone {
  db: Db;
  dataDir: string;
  contacts: ContactsStore;
  directory: Directory;
  events: { name: EventName; payload: unknown }[];
}

let bookNumber = 0;
let book: string;
beforeEach(async () => {
  // Each test its own address book, so their cards never meet.
  book = await server.createAddressBook(`book${++bookNumber}`);
});

function phone(): Phone {
  const dataDir = tempDir();
  const db = openDatabase(dataDir);
  const hub = new EventHub(silentLogger);
  const events: Phone['events'] = [];
  hub.subscribe(<E extends EventName>(name: E, payload: EventPayload<E>) => events.push({ name, payload }));
  const contacts = new ContactsStore(db);
  return { db, dataDir, contacts, directory: new Directory(db, contacts, new MemorySecretStore(), hub, silentLogger, { carddav: { timeoutMs: 10_000 } }), events };
}

async function configured(options: { password?: string; addressBookUrl?: string } = {}): Promise<Phone> {
  const p = phone();
  await p.directory.configureCardDav({
    serverUrl: server.url,
    username: server.username,
    password: options.password ?? server.password,
    addressBookUrl: options.addressBookUrl ?? book,
  });
  return p;
}

const names = (contacts: Contact[]): string[] => contacts.map((c) => c.name).sort();

describe('CardDAV address book synchronised into the contacts (Radicale)', () => {
  it('first sync: every card becomes a contact marked with its source, and calls are identified by it', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    await server.putVCard(book, 'carol', CAROL);
    const p = await configured();

    const result = await p.directory.sync();

    expect(result).toMatchObject({ mode: 'full', added: 2, updated: 0, removed: 0, skipped: 0, conflicts: [] });
    expect(names(p.contacts.list({ limit: 100 }))).toEqual(['Bob Builder', 'Carol Danvers']);
    const identified = p.contacts.match('sip:+442079460000@pbx.example');
    expect(identified).toMatchObject({
      name: 'Bob Builder',
      organisation: 'Acme',
      addresses: [
        { kind: 'phone', label: 'work', value: '+44 20 7946 0000' },
        { kind: 'sip', value: 'sip:bob@example.test' },
      ],
      source: { kind: 'carddav', href: bob.url },
    });
    expect(p.events.map((e) => e.name === 'directory.sync' && (e.payload as { state: string }).state)).toEqual(['syncing', 'synced']);
    expect((await p.directory.get()).carddav).toMatchObject({ hasPassword: true, syncedAddressBookUrl: book, lastSync: { added: 2 } });
  });

  it('the password goes to the secret store, never into the database files', async () => {
    await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    p.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(p.dataDir)) {
      if (file.startsWith('softphone.sqlite')) expect(readFileSync(join(p.dataDir, file)).includes(server.password)).toBe(false);
    }
  });

  it('discovery from the server root finds the address book when none is named', async () => {
    const p = phone();
    await p.directory.configureCardDav({ serverUrl: server.url, username: server.username, password: server.password });
    const result = await p.directory.sync();
    expect(result.mode).toBe('full');
    expect((await p.directory.get()).carddav?.syncedAddressBookUrl).toMatch(new RegExp(`^${server.url}${server.username}/`));
  });

  it('incremental sync by sync-token: a changed, an added and a deleted card; then nothing to do', async () => {
    await server.putVCard(book, 'bob', BOB);
    const dave = await server.putVCard(book, 'dave', DAVE);
    const p = await configured();
    await p.directory.sync();

    await server.putVCard(book, 'bob', BOB.replace('FN:Bob Builder', 'FN:Robert Builder'));
    await server.putVCard(book, 'carol', CAROL);
    await server.deleteVCard(dave.url);
    const second = await p.directory.sync();

    expect(second).toMatchObject({ mode: 'incremental', added: 1, updated: 1, removed: 1, conflicts: [] });
    expect(names(p.contacts.list({ limit: 100 }))).toEqual(['Carol Danvers', 'Robert Builder']);
    expect(await p.directory.sync()).toMatchObject({ mode: 'incremental', added: 0, updated: 0, removed: 0 });
  });

  it('a full sync again (sync state lost) finds the cards it holds: no duplicates', async () => {
    await server.putVCard(book, 'bob', BOB);
    await server.putVCard(book, 'carol', CAROL);
    const p = await configured();
    await p.directory.sync();
    new DirectoryStore(p.db).set('carddav.state', undefined);

    expect(await p.directory.sync()).toMatchObject({ mode: 'full', added: 0, updated: 0, removed: 0 });
    expect(p.contacts.list({ limit: 100 })).toHaveLength(2);
  });

  it('a sync-token the server no longer knows falls back to a full sync', async () => {
    await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    const store = new DirectoryStore(p.db);
    store.set('carddav.state', { ...store.get('carddav.state')!, syncToken: 'http://radicale.org/ns/sync/0000' });
    await server.putVCard(book, 'carol', CAROL);

    expect(await p.directory.sync()).toMatchObject({ mode: 'full', added: 1, updated: 0, removed: 0 });
  });

  it('edited here, changed on the server: the server wins and the conflict is reported; the favourite flag stays', async () => {
    await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    const local = p.contacts.list({ limit: 10 })[0]!;
    p.contacts.put({ ...local, name: 'Bobby (edited here)', favourite: true });

    await server.putVCard(book, 'bob', BOB.replace('ORG:Acme', 'ORG:Acme Ltd'));
    const result = await p.directory.sync();

    expect(result.conflicts).toEqual([{ contactId: local.id, name: 'Bobby (edited here)', resolution: 'server-updated' }]);
    expect(p.contacts.get(local.id)).toMatchObject({ name: 'Bob Builder', organisation: 'Acme Ltd', favourite: true });
  });

  it('edited here, deleted on the server: removed here too, and reported', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    const local = p.contacts.list({ limit: 10 })[0]!;
    p.contacts.put({ ...local, notes: 'met at the fair' });

    await server.deleteVCard(bob.url);
    const result = await p.directory.sync();

    expect(result).toMatchObject({ removed: 1, conflicts: [{ contactId: local.id, resolution: 'server-removed' }] });
    expect(p.contacts.get(local.id)).toBeUndefined();
  });

  it('a card without a name is skipped, the others come in', async () => {
    await server.putVCard(book, 'nameless', vcard('nameless', ['FN:', 'TEL:+44 20 7946 0999']));
    await server.putVCard(book, 'carol', CAROL);
    const p = await configured();
    expect(await p.directory.sync()).toMatchObject({ added: 1, skipped: 1 });
  });

  it('a wrong password is an authentication error, announced as a failed sync', async () => {
    const p = await configured({ password: 'not-the-password' });
    const error = await p.directory.sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error).toMatchObject({ failure: 'authentication', code: 'unavailable' });
    expect(p.events.at(-1)).toMatchObject({ name: 'directory.sync', payload: { state: 'failed' } });
  });

  it('an address book URL that does not exist is named as such', async () => {
    const p = await configured({ addressBookUrl: `${server.url}${server.username}/no-such-book/` });
    await expect(p.directory.sync()).rejects.toMatchObject({ failure: 'no_address_book', code: 'not_found' });
  });

  it('no server listening is unreachable', async () => {
    const port = await freePort({ udp: false });
    const p = phone();
    await p.directory.configureCardDav({ serverUrl: `http://127.0.0.1:${port}/`, username: 'alice', password: 'x' });
    await expect(p.directory.sync()).rejects.toMatchObject({ failure: 'unreachable' });
  });

  it('a server that accepts and never answers: the sync gives up at its bound with a timeout', async () => {
    const hung = await silentServer();
    try {
      const dataDir = tempDir();
      const db = openDatabase(dataDir);
      const contacts = new ContactsStore(db);
      const d = new Directory(db, contacts, new MemorySecretStore(), new EventHub(silentLogger), silentLogger, { carddav: { timeoutMs: 500 } });
      await d.configureCardDav({ serverUrl: `http://127.0.0.1:${hung.port}/`, username: 'alice', password: 'x' });
      const started = Date.now();
      await expect(d.sync()).rejects.toMatchObject({ failure: 'timeout' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await hung.close();
    }
  });

  it('not configured: the sync says so', async () => {
    await expect(phone().directory.sync()).rejects.toMatchObject({ failure: 'not_configured', code: 'invalid_state' });
  });
});
