/**
 * CardDAV synchronisation against a real Radicale on 127.0.0.1: discovery, a full first sync,
 * incremental syncs by sync-token, our edits, deletions and new contacts written back with
 * If-Match, conflicts (the server wins, ours is kept aside), and the failures a user can meet
 * (wrong password, no server).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload } from '../../../../shared/contract.js';
import type { Contact } from '../../../../shared/model.js';
import { CARDDAV_PASSWORD_KEY, Directory, DirectoryError, DirectoryStore } from '../../../../main/core/directory/index.js';
import type { CardDavScheduleOptions } from '../../../../main/core/directory/carddav-schedule.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import { ContactsStore } from '../../../../main/core/store/contacts-store.js';
import { openDatabase, type Db } from '../../../../main/core/store/database.js';
import { MemorySecretStore } from '../../../../main/core/store/secret-store.js';
import { freePort } from '../../../interop/lab/process.js';
import { Radicale } from '../../../helpers/radicale.js';
import { photoBase64, photoUrl } from '../../../helpers/photos.js';
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
  secrets: MemorySecretStore;
  events: { name: EventName; payload: unknown }[];
}

let bookNumber = 0;
let book: string;
beforeEach(async () => {
  // Each test its own address book, so their cards never meet.
  book = await server.createAddressBook(`book${++bookNumber}`);
});

function phone(schedule: CardDavScheduleOptions = {}): Phone {
  const dataDir = tempDir();
  const db = openDatabase(dataDir);
  const hub = new EventHub(silentLogger);
  const events: Phone['events'] = [];
  hub.subscribe(<E extends EventName>(name: E, payload: EventPayload<E>) => events.push({ name, payload }));
  const contacts = new ContactsStore(db);
  const secrets = new MemorySecretStore();
  return { db, dataDir, contacts, secrets, directory: new Directory(db, contacts, secrets, hub, silentLogger, { carddav: { timeoutMs: 10_000 }, schedule }), events };
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

  it('edited here, changed on the server: the server wins, ours is kept as a separate contact, the conflict names it; the favourite flag stays', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    const local = p.contacts.list({ limit: 10 })[0]!;
    p.contacts.put({ ...local, name: 'Bobby (edited here)', favourite: true });

    await server.putVCard(book, 'bob', BOB.replace('ORG:Acme', 'ORG:Acme Ltd'));
    const result = await p.directory.sync();

    expect(result).toMatchObject({ sent: 0, conflicts: [{ contactId: local.id, name: 'Bobby (edited here)', resolution: 'server-updated', keptAs: expect.any(String) }] });
    expect(p.contacts.get(local.id)).toMatchObject({ name: 'Bob Builder', organisation: 'Acme Ltd', favourite: true, source: { href: bob.url } });
    const kept = p.contacts.get(result.conflicts[0]!.keptAs!);
    expect(kept).toMatchObject({ name: 'Bobby (edited here)', organisation: 'Acme', favourite: true });
    expect(kept?.source).toBeUndefined();
    // The server's copy was not overwritten, and the copy kept here is never sent.
    expect((await server.getVCard(bob.url))?.text).toContain('ORG:Acme Ltd');
    expect(await p.directory.sync()).toMatchObject({ sent: 0, conflicts: [] });
    expect(await server.listVCards(book)).toEqual([bob.url]);
  });

  it('edited here, deleted on the server: ours stays, as a contact of this phone only, and the conflict says so', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    const local = p.contacts.list({ limit: 10 })[0]!;
    p.contacts.put({ ...local, notes: 'met at the fair' });

    await server.deleteVCard(bob.url);
    const result = await p.directory.sync();

    expect(result).toMatchObject({ removed: 0, conflicts: [{ contactId: local.id, resolution: 'server-removed', keptAs: local.id }] });
    const kept = p.contacts.get(local.id);
    expect(kept).toMatchObject({ name: 'Bob Builder', notes: 'met at the fair' });
    expect(kept?.source).toBeUndefined();
    expect(await server.listVCards(book)).toEqual([]);
  });

  it('not edited here, deleted on the server: removed here too', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    await server.deleteVCard(bob.url);
    expect(await p.directory.sync()).toMatchObject({ removed: 1, conflicts: [] });
    expect(p.contacts.list({ limit: 10 })).toEqual([]);
  });

  it('edited here: written back with If-Match into the server\'s card (what we do not model survives); another phone gets it', async () => {
    const bob = await server.putVCard(book, 'bob', BOB.replace('ORG:Acme', 'ORG:Acme\nEMAIL;TYPE=work:bob@example.test\nX-CUSTOM:kept'));
    const p = await configured();
    await p.directory.sync();
    const before = await server.getVCard(bob.url);
    const local = p.contacts.list({ limit: 10 })[0]!;
    p.contacts.put({ ...local, name: 'Robert Builder', addresses: [...local.addresses, { kind: 'phone', label: 'cell', value: '+44 7700 900123' }], notes: 'site foreman' });

    const result = await p.directory.sync();

    expect(result).toMatchObject({ sent: 1, added: 0, updated: 0, conflicts: [] });
    const after = await server.getVCard(bob.url);
    expect(after?.etag).not.toBe(before?.etag);
    expect(after?.text).toMatch(/^FN:Robert Builder\r?$/m);
    expect(after?.text).toMatch(/^N:Builder;Robert;;;\r?$/m);
    expect(after?.text).toMatch(/^TEL;TYPE=cell:\+44 7700 900123\r?$/m);
    expect(after?.text).toMatch(/^NOTE:site foreman\r?$/m);
    expect(after?.text).toMatch(/^EMAIL;TYPE=work:bob@example\.test\r?$/m);
    expect(after?.text).toMatch(/^X-CUSTOM:kept\r?$/m);
    expect(after?.text).toMatch(/^UID:bob\r?$/m);
    // Nothing more to do here; a second phone on the same book sees the change.
    expect(await p.directory.sync()).toMatchObject({ sent: 0, added: 0, updated: 0, removed: 0 });
    const other = await configured();
    await other.directory.sync();
    expect(other.contacts.list({ limit: 10 })).toMatchObject([{ name: 'Robert Builder', notes: 'site foreman', addresses: { length: 3 } }]);
  });

  it('another client writes the card between our read and our PUT: If-Match makes it a 412, and the server wins', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    // Between the phone and Radicale: just before forwarding the phone's PUT, another client changes the card.
    const proxy = await racingProxy(async (request) => {
      if (request.method === 'PUT') await server.putVCard(book, 'bob', BOB.replace('ORG:Acme', 'ORG:Other Client'));
    });
    try {
      const p = phone();
      await p.directory.configureCardDav({ serverUrl: proxy.url, username: server.username, password: server.password, addressBookUrl: book.replace(server.url, proxy.url) });
      await p.directory.sync();
      const local = p.contacts.list({ limit: 10 })[0]!;
      p.contacts.put({ ...local, notes: 'mine' });

      const result = await p.directory.sync();

      expect(proxy.ifMatch).toEqual([expect.stringMatching(/^".+"$/)]);
      expect(result).toMatchObject({ sent: 0, conflicts: [{ contactId: local.id, resolution: 'server-updated', keptAs: expect.any(String) }] });
      expect(p.contacts.get(local.id)).toMatchObject({ organisation: 'Other Client' });
      expect(p.contacts.get(local.id)?.notes).toBeUndefined();
      expect(p.contacts.get(result.conflicts[0]!.keptAs!)).toMatchObject({ organisation: 'Acme', notes: 'mine' });
      const card = await server.getVCard(bob.url);
      expect(card?.text).toContain('ORG:Other Client');
      expect(card?.text).not.toContain('mine');
    } finally {
      await proxy.close();
    }
  });

  it('the server refuses our changes (403, a read-only book): they are reported, kept here, and the cards still come down', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    await server.putVCard(book, 'carol', CAROL);
    const proxy = await racingProxy(async (request) => (request.method === 'PUT' || request.method === 'DELETE' ? 403 : undefined));
    try {
      const p = phone();
      await p.directory.configureCardDav({ serverUrl: proxy.url, username: server.username, password: server.password, addressBookUrl: book.replace(server.url, proxy.url) });
      await p.directory.sync();
      const [bobHere, carolHere] = p.contacts.list({ limit: 10 });
      p.contacts.put({ ...bobHere!, notes: 'mine' });
      p.contacts.remove(carolHere!.id);
      p.contacts.put({ id: 'contact-new', name: 'Dave Lister', addresses: [], favourite: false, presence: false, blf: false, source: { kind: 'carddav' } });
      await server.putVCard(book, 'eve', vcard('eve', ['FN:Eve Moneypenny']));

      const result = await p.directory.sync();

      expect(result).toMatchObject({ sent: 0, added: 1, conflicts: [] });
      expect(result.refused).toEqual([
        { contactId: bobHere!.id, name: 'Bob Builder', status: 403 },
        { contactId: carolHere!.id, name: 'Carol Danvers', status: 403 },
        { contactId: 'contact-new', name: 'Dave Lister', status: 403 },
      ]);
      expect(p.contacts.get(bobHere!.id)?.notes).toBe('mine');
      expect(p.contacts.get('contact-new')?.source).toEqual({ kind: 'carddav' });
      expect((await server.getVCard(bob.url))?.text).not.toContain('mine');
      // Still waiting: tried again at the next sync.
      expect((await p.directory.sync()).refused).toHaveLength(3);
    } finally {
      await proxy.close();
    }
  });

  it('a photo set here stays through server changes, and goes with our copy when a conflict keeps it aside', async () => {
    await server.putVCard(book, 'bob', BOB);
    await server.putVCard(book, 'carol', CAROL);
    const p = await configured();
    await p.directory.sync();
    const [bob, carol] = p.contacts.list({ limit: 10 });
    for (const contact of [bob!, carol!]) {
      const { photoTag: _tag, ...fields } = contact;
      p.contacts.put({ ...fields, photo: photoUrl('png') });
    }
    p.contacts.put({ ...p.contacts.get(carol!.id)!, notes: 'mine' });
    await server.putVCard(book, 'bob', BOB.replace('ORG:Acme', 'ORG:Acme Ltd'));
    await server.putVCard(book, 'carol', CAROL.replace('Carol Danvers', 'Carol D.'));

    const result = await p.directory.sync();

    expect(p.contacts.get(bob!.id)).toMatchObject({ organisation: 'Acme Ltd', photoTag: expect.any(String) });
    expect(p.contacts.photo(bob!.id)).toBe(photoUrl('png'));
    expect(p.contacts.get(carol!.id)).toMatchObject({ name: 'Carol D.', photoTag: expect.any(String) });
    const keptAs = result.conflicts[0]?.keptAs;
    expect(p.contacts.get(keptAs!)).toMatchObject({ name: 'Carol Danvers', notes: 'mine' });
    expect(p.contacts.photo(keptAs!)).toBe(photoUrl('png'));
  });

  it('a card\'s inline photo comes down to a contact that has none; one set here wins; a remote one is not fetched', async () => {
    const withPhoto = (card: string, type: 'png' | 'gif') => card.replace('END:VCARD', `PHOTO;ENCODING=b;TYPE=${type.toUpperCase()}:${photoBase64[type]}\nEND:VCARD`);
    await server.putVCard(book, 'bob', withPhoto(BOB, 'png'));
    await server.putVCard(book, 'carol', CAROL.replace('END:VCARD', 'PHOTO;VALUE=uri:http://127.0.0.1:9/carol.png\nEND:VCARD'));
    const p = await configured();
    await p.directory.sync();
    const bob = p.contacts.list({ limit: 10 }).find((c) => c.name === 'Bob Builder')!;
    const carol = p.contacts.list({ limit: 10 }).find((c) => c.name === 'Carol Danvers')!;
    expect(p.contacts.photo(bob.id)).toBe(photoUrl('png'));
    expect(carol.photoTag).toBeUndefined();

    // Set here, then the server's card changes its photo: ours stays.
    const { photoTag: _tag, ...fields } = p.contacts.get(bob.id)!;
    p.contacts.put({ ...fields, photo: photoUrl('gif') });
    await server.putVCard(book, 'bob', withPhoto(BOB, 'png').replace('ORG:Acme', 'ORG:Acme Ltd'));
    await p.directory.sync();
    expect(p.contacts.get(bob.id)).toMatchObject({ organisation: 'Acme Ltd' });
    expect(p.contacts.photo(bob.id)).toBe(photoUrl('gif'));
  });

  it('only our own flags changed (favourite, presence watch): nothing is sent', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    const before = await server.getVCard(bob.url);
    const local = p.contacts.list({ limit: 10 })[0]!;
    p.contacts.put({ ...local, favourite: true, presence: true });
    expect(await p.directory.sync()).toMatchObject({ sent: 0, conflicts: [] });
    expect((await server.getVCard(bob.url))?.etag).toBe(before?.etag);
    expect(p.contacts.get(local.id)).toMatchObject({ favourite: true, presence: true });
  });

  it('deleted here: deleted on the server (If-Match); deleted here, changed there: the server\'s copy comes back', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    const carol = await server.putVCard(book, 'carol', CAROL);
    const p = await configured();
    await p.directory.sync();
    const [bobHere, carolHere] = p.contacts.list({ limit: 10 });
    p.contacts.remove(bobHere!.id);
    p.contacts.remove(carolHere!.id);
    await server.putVCard(book, 'carol', CAROL.replace('Carol Danvers', 'Carol Danvers-Rambeau'));

    const result = await p.directory.sync();

    expect(result).toMatchObject({ sent: 1, conflicts: [{ contactId: carolHere!.id, name: 'Carol Danvers-Rambeau', resolution: 'server-restored' }] });
    expect(await server.listVCards(book)).toEqual([carol.url]);
    expect(await server.getVCard(bob.url)).toBeUndefined();
    expect(names(p.contacts.list({ limit: 10 }))).toEqual(['Carol Danvers-Rambeau']);
  });

  it('a contact made here for the address book is created on the server (If-None-Match), once', async () => {
    await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    p.contacts.put({ id: 'contact-new1', name: 'Dave Lister', addresses: [{ kind: 'phone', label: 'work', value: '+44 161 496 0000' }, { kind: 'sip', value: 'sip:dave@example.test' }], favourite: false, presence: false, blf: false, source: { kind: 'carddav' } });
    p.contacts.put({ id: 'contact-local', name: 'Only Here', addresses: [], favourite: false, presence: false, blf: false });

    const result = await p.directory.sync();

    expect(result).toMatchObject({ sent: 1, added: 0, conflicts: [] });
    const created = p.contacts.get('contact-new1');
    expect(created?.source?.href).toMatch(new RegExp(`^${book}[0-9a-f-]{36}\\.vcf$`));
    const card = await server.getVCard(created!.source!.href!);
    expect(card?.text).toMatch(/^FN:Dave Lister\r?$/m);
    expect(card?.text).toMatch(/^TEL;(?=[^:]*TYPE=work)(?=[^:]*VALUE=text)[^:]*:\+44 161 496 0000\r?$/m);
    expect(card?.text).toMatch(/^IMPP:sip:dave@example\.test\r?$/m);
    expect(await server.listVCards(book)).toHaveLength(2);
    // Not again, not twice here; the contact made for this phone only never goes up.
    expect(await p.directory.sync()).toMatchObject({ sent: 0, added: 0, updated: 0 });
    expect(names(p.contacts.list({ limit: 10 }))).toEqual(['Bob Builder', 'Dave Lister', 'Only Here']);
    const other = await configured();
    await other.directory.sync();
    expect(names(other.contacts.list({ limit: 10 }))).toEqual(['Bob Builder', 'Dave Lister']);
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

  it('on a schedule: a sync shortly after start, and a change here goes up soon after without asking', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    const p = phone({ startDelayMs: 50, changeDelayMs: 50 });
    await p.directory.configureCardDav({ serverUrl: server.url, username: server.username, password: server.password, addressBookUrl: book, syncIntervalMinutes: 60 });
    p.directory.start();
    const synced = (): number => p.events.filter((e) => e.name === 'directory.sync' && (e.payload as { state: string }).state === 'synced').length;
    await vi.waitFor(() => expect(synced()).toBeGreaterThanOrEqual(1), { timeout: 15_000 });
    await vi.waitFor(() => expect(p.contacts.list({ limit: 10 })).toHaveLength(1));
    const view = (await p.directory.get()).carddav!;
    expect(view).toMatchObject({ syncIntervalMinutes: 60, syncedContacts: 1 });
    expect(view.nextSyncAt! - Date.now()).toBeGreaterThan(59 * 60_000);

    const local = p.contacts.list({ limit: 10 })[0]!;
    const before = synced();
    p.contacts.put({ ...local, notes: 'changed here' });
    p.directory.contactChanged(local.id);
    await vi.waitFor(() => expect(synced()).toBeGreaterThan(before), { timeout: 15_000 });
    expect((await server.getVCard(bob.url))?.text).toMatch(/^NOTE:changed here\r?$/m);
    await p.directory.close();
  });

  it('no interval: changes made here that had not gone up when the phone closed go up after the next start', async () => {
    const bob = await server.putVCard(book, 'bob', BOB);
    const p = await configured();
    await p.directory.sync();
    await p.directory.close();
    const local = p.contacts.list({ limit: 10 })[0]!;
    p.contacts.put({ ...local, notes: 'edited while offline' });

    // The next start, over the same database.
    const hub = new EventHub(silentLogger);
    const again = new Directory(p.db, p.contacts, p.secrets, hub, silentLogger, { carddav: { timeoutMs: 10_000 }, schedule: { startDelayMs: 20, changeDelayMs: 20 } });
    again.start();
    await vi.waitFor(async () => expect((await server.getVCard(bob.url))?.text).toMatch(/^NOTE:edited while offline\r?$/m), { timeout: 15_000, interval: 200 });
    await again.close();

    // Nothing waiting: a start makes no sync.
    const third = new Directory(p.db, p.contacts, p.secrets, hub, silentLogger, { schedule: { startDelayMs: 20, changeDelayMs: 20 } });
    let syncs = 0;
    hub.subscribe((name) => name === 'directory.sync' && syncs++);
    third.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(syncs).toBe(0);
    await third.close();
  });

  it('a scheduled sync that fails is remembered for the settings (when, why) until one succeeds', async () => {
    const p = phone({ startDelayMs: 10 });
    await p.directory.configureCardDav({ serverUrl: server.url, username: server.username, password: 'not-the-password', addressBookUrl: book, syncIntervalMinutes: 5 });
    p.directory.start();
    await vi.waitFor(() => expect(p.events.at(-1)).toMatchObject({ name: 'directory.sync', payload: { state: 'failed' } }), { timeout: 15_000 });
    const failed = (await p.directory.get()).carddav!;
    expect(failed.lastFailure).toMatchObject({ at: expect.any(Number), error: expect.stringMatching(/credentials/) });
    // Retried within a minute, not after the whole interval.
    expect(failed.nextSyncAt! - Date.now()).toBeLessThanOrEqual(60_000);

    await p.directory.configureCardDav({ serverUrl: server.url, username: server.username, password: server.password, addressBookUrl: book, syncIntervalMinutes: 5 });
    await p.directory.sync();
    expect((await p.directory.get()).carddav?.lastFailure).toBeUndefined();
    await p.directory.close();
  });

  it('a sync interval that is not offered is refused, naming the field', async () => {
    const p = phone();
    await expect(p.directory.configureCardDav({ serverUrl: server.url, username: server.username, syncIntervalMinutes: 7 })).rejects.toMatchObject({ code: 'invalid_params', field: 'syncIntervalMinutes' });
  });

  it('closing during a sync stops it and waits for it: nothing is written after', async () => {
    const hung = await silentServer();
    try {
      const p = phone();
      await p.directory.configureCardDav({ serverUrl: `http://127.0.0.1:${hung.port}/`, username: 'alice', password: 'x' });
      const sync = p.directory.sync().catch((e: unknown) => e);
      const started = Date.now();
      await p.directory.close();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await sync).toMatchObject({ message: expect.stringMatching(/stopped/) });
      expect((await p.directory.get()).carddav?.lastFailure).toBeUndefined();
    } finally {
      await hung.close();
    }
  });

  it('removing the address book: its settings, password and contacts go; ones with changes not sent stay here; the server keeps its cards', async () => {
    await server.putVCard(book, 'bob', BOB);
    await server.putVCard(book, 'carol', CAROL);
    await server.putVCard(book, 'dave', DAVE);
    const p = await configured();
    await p.directory.sync();
    p.contacts.put({ id: 'contact-mine', name: 'Mine Only', addresses: [], favourite: false, presence: false, blf: false });
    const carol = p.contacts.list({ query: 'carol', limit: 1 })[0]!;
    p.contacts.put({ ...carol, notes: 'not sent yet' });
    p.contacts.put({ id: 'contact-unsent', name: 'Eve Unsent', addresses: [], favourite: false, presence: false, blf: false, source: { kind: 'carddav' } });
    expect((await p.directory.get()).carddav?.syncedContacts).toBe(3);
    expect(await p.secrets.get(CARDDAV_PASSWORD_KEY)).toBe(server.password);

    expect(await p.directory.removeCardDav()).toEqual({ removedContacts: 2, keptContacts: 2 });

    expect((await p.directory.get()).carddav).toBeUndefined();
    expect(await p.secrets.get(CARDDAV_PASSWORD_KEY)).toBeUndefined();
    const left = p.contacts.list({ limit: 10 });
    expect(names(left)).toEqual(['Carol Danvers', 'Eve Unsent', 'Mine Only']);
    expect(left.every((c) => c.source === undefined)).toBe(true);
    expect(left.find((c) => c.name === 'Carol Danvers')?.notes).toBe('not sent yet');
    expect(new DirectoryStore(p.db).items().size).toBe(0);
    expect(await server.listVCards(book)).toHaveLength(3);
    await expect(p.directory.sync()).rejects.toMatchObject({ failure: 'not_configured' });
    await expect(p.directory.removeCardDav()).rejects.toMatchObject({ failure: 'not_configured' });
    // Set up again: the cards come back; what was kept stays this phone's and is not sent.
    await p.directory.configureCardDav({ serverUrl: server.url, username: server.username, password: server.password, addressBookUrl: book });
    expect(await p.directory.sync()).toMatchObject({ added: 3, sent: 0 });
    expect(await server.listVCards(book)).toHaveLength(3);
  });

  it('removing the address book during a sync stops the sync first', async () => {
    const hung = await silentServer();
    try {
      const p = phone();
      await p.directory.configureCardDav({ serverUrl: `http://127.0.0.1:${hung.port}/`, username: 'alice', password: 'x' });
      const sync = p.directory.sync().catch((e: unknown) => e);
      expect(await p.directory.removeCardDav()).toEqual({ removedContacts: 0, keptContacts: 0 });
      expect(await sync).toMatchObject({ message: expect.stringMatching(/stopped/) });
      expect((await p.directory.get()).carddav).toBeUndefined();
    } finally {
      await hung.close();
    }
  });

  it('not configured: the sync says so', async () => {
    await expect(phone().directory.sync()).rejects.toMatchObject({ failure: 'not_configured', code: 'invalid_state' });
  });
});

/**
 * An HTTP proxy to Radicale that runs `before` ahead of forwarding each request (a status it
 * returns is answered by the proxy itself instead), and notes the If-Match of PUTs.
 */
async function racingProxy(before: (request: IncomingMessage) => Promise<number | void>): Promise<{ url: string; ifMatch: string[]; close: () => Promise<void> }> {
  const target = new URL(server.url);
  const ifMatch: string[] = [];
  const proxy: Server = createServer((request, response) => {
    void (async () => {
      if (request.method === 'PUT') ifMatch.push(String(request.headers['if-match']));
      const status = await before(request);
      if (typeof status === 'number') {
        request.resume();
        response.writeHead(status, { 'content-type': 'text/plain' }).end('refused by the test');
        return;
      }
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    ifMatch,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}
