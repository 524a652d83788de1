import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, migrate, migrations, openDatabase, photoTag, StoreError } from '../../../../main/core/store/database.js';
import { HistoryStore } from '../../../../main/core/store/history-store.js';
import { ContactsStore } from '../../../../main/core/store/contacts-store.js';
import { photoBytes, photoUrl } from '../../../helpers/photos.js';
import { tempDir } from '../../../helpers/temp-dir.js';

describe('database', () => {
  it('creates the schema at the latest version, in WAL mode', () => {
    const db = openDatabase(tempDir());
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['accounts', 'settings']));
    db.close();
  });

  it('is idempotent on reopen', () => {
    const dir = tempDir();
    openDatabase(dir).close();
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
  });

  it('refuses a file from a newer version rather than damaging it', () => {
    const dir = tempDir();
    const raw = new Database(join(dir, 'softphone.sqlite'));
    raw.pragma(`user_version = ${migrations.length + 5}`);
    expect(() => migrate(raw)).toThrowError(StoreError);
    raw.close();
  });

  it('copies the file aside before migrating it, and the copy opens at its old version', () => {
    const dir = tempDir();
    const old = new Database(join(dir, 'softphone.sqlite'));
    migrations[0]!(old);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO settings (key, value) VALUES ('audio.speakerVolume', '80')").run();
    old.close();
    openDatabase(dir).close();
    const backup = new Database(join(dir, 'softphone.sqlite.v1.bak'), { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare('SELECT value FROM settings').pluck().get()).toBe('80');
    backup.close();
  });

  it('refuses a damaged file with a clear error and keeps it; restore puts the backup back, fresh starts empty', () => {
    const dir = tempDir();
    const path = join(dir, 'softphone.sqlite');
    const old = new Database(path);
    migrations[0]!(old);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO settings (key, value) VALUES ('audio.speakerVolume', '80')").run();
    old.close();
    openDatabase(dir).close();
    // Damage: garbage over the header and the first pages.
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 0, Math.min(bytes.length, 8192));
    writeFileSync(path, bytes);
    expect(() => openDatabase(dir)).toThrowError(expect.objectContaining({ name: 'StoreError', code: 'corrupt', message: expect.stringMatching(/damaged or unreadable.*restore the last backup or start with an empty one/) }));
    expect(readFileSync(path)).toEqual(bytes);

    const restored = openDatabase(dir, { recovery: 'restore-backup' });
    expect(restored.prepare('SELECT value FROM settings').pluck().get()).toBe('80');
    expect(restored.pragma('user_version', { simple: true })).toBe(migrations.length);
    restored.close();
    expect(readdirSync(dir).some((name) => name.startsWith('softphone.sqlite.corrupt-'))).toBe(true);

    writeFileSync(path, bytes);
    const fresh = openDatabase(dir, { recovery: 'start-fresh' });
    expect(fresh.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(0);
    fresh.close();
    expect(readdirSync(dir).filter((name) => name.startsWith('softphone.sqlite.corrupt-') && !name.includes('-wal') && !name.includes('-shm')).length).toBeGreaterThanOrEqual(1);
  });

  it('after a clean close a big file skips the page-by-page check; after an unclean end it is checked', () => {
    const dir = tempDir();
    const path = join(dir, 'softphone.sqlite');
    const db = openDatabase(dir);
    db.exec('CREATE TABLE filler (x BLOB)');
    const insert = db.prepare('INSERT INTO filler (x) VALUES (randomblob(4000))');
    for (let i = 0; i < 200; i++) insert.run();
    db.pragma('wal_checkpoint(TRUNCATE)');
    closeDatabase(db);
    expect(existsSync(`${path}.open`)).toBe(false);
    // Damage a page well past the header: only a full check sees it.
    const bytes = readFileSync(path);
    bytes.fill(0x5a, bytes.length - 20_000, bytes.length - 12_000);
    writeFileSync(path, bytes);
    const unchecked = openDatabase(dir, { alwaysCheckBytes: 0 });
    expect(existsSync(`${path}.open`)).toBe(true);
    unchecked.close();
    // Not closed cleanly (the marker stayed): the full check runs and refuses the file.
    expect(() => openDatabase(dir, { alwaysCheckBytes: 0 })).toThrowError(expect.objectContaining({ code: 'corrupt' }));
  });

  it('says so when there is no backup to restore', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'softphone.sqlite'), Buffer.alloc(4096, 0x41));
    expect(() => openDatabase(dir, { recovery: 'restore-backup' })).toThrowError(expect.objectContaining({ code: 'no_backup' }));
    expect(existsSync(join(dir, 'softphone.sqlite'))).toBe(false);
  });

  it.each(Array.from({ length: migrations.length - 1 }, (_, i) => i + 1))('migrates a file at version %i to the latest, keeping its data and a copy', (version) => {
    const dir = tempDir();
    const old = new Database(join(dir, 'softphone.sqlite'));
    for (let v = 0; v < version; v++) migrations[v]!(old);
    old.pragma(`user_version = ${version}`);
    old.prepare("INSERT INTO settings (key, value) VALUES ('audio.speakerVolume', '70')").run();
    old.prepare("INSERT INTO accounts (id, position, fields) VALUES ('acc-1', 0, ?)").run(JSON.stringify({ user: 'eve', domain: 'example.com' }));
    old.close();
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT value FROM settings').pluck().get()).toBe('70');
    expect(db.prepare('SELECT id FROM accounts').pluck().all()).toEqual(['acc-1']);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    closeDatabase(db);
    expect(existsSync(join(dir, `softphone.sqlite.v${version}.bak`))).toBe(true);
  });

  it('migration 6: contacts from version 5 keep their fields and have a photo column, empty until set', () => {
    const dir = tempDir();
    const old = new Database(join(dir, 'softphone.sqlite'));
    for (let v = 0; v < 5; v++) migrations[v]!(old);
    old.pragma('user_version = 5');
    const fields = { name: 'Old Friend', addresses: [{ kind: 'sip', value: 'sip:old@example.com' }], favourite: true, presence: false, blf: false };
    old.prepare("INSERT INTO contacts (id, fields, updated_at, favourite, sort_key) VALUES ('c-old', ?, 1, 1, 'old friend')").run(JSON.stringify(fields));
    old.close();
    const db = openDatabase(dir);
    const contacts = new ContactsStore(db);
    expect(contacts.get('c-old')).toEqual({ id: 'c-old', ...fields });
    contacts.put({ ...contacts.get('c-old')!, photo: photoUrl('jpeg') });
    expect(contacts.photo('c-old')).toBe(photoUrl('jpeg'));
    closeDatabase(db);
  });

  it('migration 9: calls in the history at version 8 stay, with no SIP messages; a new call keeps its messages', () => {
    const dir = tempDir();
    const old = new Database(join(dir, 'softphone.sqlite'));
    for (let v = 0; v < 8; v++) migrations[v]!(old);
    old.pragma('user_version = 8');
    old.prepare("INSERT INTO call_history (id, account_id, direction, remote_uri, started_at, ended_at, outcome) VALUES ('call-old', 'a', 'incoming', 'sip:x@y', 1, 2, 'missed')").run();
    old.close();
    const db = openDatabase(dir);
    const history = new HistoryStore(db);
    expect(history.list('all', 10).map((e) => e.id)).toEqual(['call-old']);
    expect(history.sipLog('call-old')).toEqual({ messages: [], dropped: 0 });
    const message = { seq: 0, at: 3, direction: 'out' as const, transport: 'udp' as const, local: '127.0.0.1:1', remote: '127.0.0.1:2', callId: 'c', firstLine: 'BYE sip:x@y SIP/2.0', text: 'BYE sip:x@y SIP/2.0\r\nCall-ID: c\r\n\r\n' };
    expect(history.putSipLog('call-old', { messages: [message], dropped: 0 })).toBe(true);
    expect(history.sipLog('call-old').messages).toEqual([message]);
    closeDatabase(db);
  });

  it('migration 8: photos stored at version 7 get their tag', () => {
    const dir = tempDir();
    const old = new Database(join(dir, 'softphone.sqlite'));
    for (let v = 0; v < 7; v++) migrations[v]!(old);
    old.pragma('user_version = 7');
    const fields = JSON.stringify({ name: 'Pat', addresses: [], favourite: false, presence: false, blf: false });
    old.prepare("INSERT INTO contacts (id, fields, updated_at, sort_key, photo) VALUES ('c-pat', ?, 1, 'pat', ?), ('c-sam', ?, 1, 'sam', NULL)").run(fields, Buffer.from(photoBytes('gif')), fields.replace('Pat', 'Sam'));
    old.close();
    const db = openDatabase(dir);
    const contacts = new ContactsStore(db);
    expect(contacts.get('c-pat')?.photoTag).toBe(photoTag(photoBytes('gif')));
    expect(contacts.get('c-sam')).not.toHaveProperty('photoTag');
    expect(contacts.photo('c-pat')).toBe(photoUrl('gif'));
    closeDatabase(db);
  });

  it('migration 7: contacts saved before numbers had E.164 keys are found by them (an exact match, not a guess by the last digits)', () => {
    const dir = tempDir();
    const old = new Database(join(dir, 'softphone.sqlite'));
    for (let v = 0; v < 6; v++) migrations[v]!(old);
    old.pragma('user_version = 6');
    // Two numbers ending in the same 8 digits; the Berlin one saved with its digits key only.
    const put = old.prepare("INSERT INTO contacts (id, fields, updated_at, sort_key) VALUES (?, ?, 1, ?)");
    const key = old.prepare('INSERT INTO contact_keys (contact_id, match_key) VALUES (?, ?)');
    const fields = (name: string, value: string) => JSON.stringify({ name, addresses: [{ kind: 'phone', value }], favourite: false, presence: false, blf: false });
    put.run('c-vienna', fields('Vienna', '+43 1 12345678'), 'vienna');
    key.run('c-vienna', '#43112345678');
    put.run('c-berlin', fields('Berlin', '+49 (0)30 12345678'), 'berlin');
    key.run('c-berlin', '#4903012345678');
    old.close();
    const db = openDatabase(dir);
    const contacts = new ContactsStore(db);
    expect(db.prepare("SELECT match_key FROM contact_keys WHERE contact_id = 'c-berlin' ORDER BY match_key").pluck().all()).toEqual(['#4903012345678', '#493012345678']);
    expect(contacts.match('sip:+493012345678@pbx.example')?.name).toBe('Berlin');
    expect(contacts.match('tel:+4930-12345678')?.name).toBe('Berlin');
    closeDatabase(db);
    expect(existsSync(join(dir, 'softphone.sqlite.v6.bak'))).toBe(true);
  });

  it('refuses rows that are not JSON', () => {
    const db = openDatabase(tempDir());
    expect(() => db.prepare('INSERT INTO accounts (id, position, fields) VALUES (?, 0, ?)').run('a', '{broken')).toThrowError(/CHECK/);
    db.close();
  });
});
