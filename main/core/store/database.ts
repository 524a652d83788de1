/**
 * The phone's one SQLite file (better-sqlite3), WAL mode, with numbered schema migrations.
 * Each migration runs in a transaction and bumps `user_version`, so a file is always at a
 * known version.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backfillContactKeys } from './contact-keys.js';

export type Db = Database.Database;

/** Migration N brings the schema from version N to N+1. Append only; never edit a shipped one. */
export const migrations: readonly ((db: Db) => void)[] = [
  (db) => {
    db.exec(`
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        fields TEXT NOT NULL CHECK (json_valid(fields))
      ) STRICT;
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;
    `);
  },
  // Instant messages (RFC 3428), one row per message, read by conversation (account, peer).
  (db) => {
    db.exec(`
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        peer TEXT NOT NULL,
        peer_name TEXT,
        direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
        text TEXT NOT NULL,
        at INTEGER NOT NULL,
        state TEXT NOT NULL,
        code INTEGER,
        reason TEXT
      ) STRICT;
      CREATE INDEX messages_by_peer ON messages (peer, at);
      CREATE INDEX messages_by_time ON messages (at);
    `);
  },
  // Call history and contacts; contacts are searched by trigrams (partial names and numbers).
  (db) => {
    db.exec(`
      CREATE TABLE call_history (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
        remote_uri TEXT NOT NULL,
        remote_name TEXT,
        started_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        code INTEGER,
        reason TEXT,
        codec TEXT,
        mos REAL,
        loss REAL,
        transfer TEXT CHECK (transfer IS NULL OR json_valid(transfer)),
        seen INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE INDEX call_history_by_time ON call_history (started_at);
      CREATE INDEX call_history_unseen ON call_history (seen) WHERE seen = 0;
      CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        fields TEXT NOT NULL CHECK (json_valid(fields)),
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE contact_keys (
        contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        match_key TEXT NOT NULL
      ) STRICT;
      CREATE INDEX contact_keys_by_key ON contact_keys (match_key);
      CREATE VIRTUAL TABLE contacts_search USING fts5 (contact_id UNINDEXED, text, tokenize = 'trigram');
    `);
  },
  // Contacts at scale (bench/store): replacing a contact's keys and search row must not scan
  // every contact's — each contact remembers the rowid of its search row (an FTS5 UNINDEXED
  // column has no index) and the keys get an index by contact (ON DELETE CASCADE uses it too);
  // and a page of contacts is chosen in SQL, by favourite then name (`contactSortKey`), not by
  // parsing and sorting every match in JavaScript.
  (db) => {
    db.function('contact_sort_key', { deterministic: true }, (name) => contactSortKey(typeof name === 'string' ? name : ''));
    db.exec(`
      CREATE INDEX contact_keys_by_contact ON contact_keys (contact_id);
      ALTER TABLE contacts ADD COLUMN search_rowid INTEGER;
      UPDATE contacts SET search_rowid = s.rowid FROM (SELECT contact_id, max(rowid) AS rowid FROM contacts_search GROUP BY contact_id) AS s
        WHERE s.contact_id = contacts.id;
      ALTER TABLE contacts ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE contacts ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
      UPDATE contacts SET favourite = coalesce(json_extract(fields, '$.favourite'), 0), sort_key = contact_sort_key(json_extract(fields, '$.name'));
      CREATE INDEX contacts_by_name ON contacts (favourite DESC, sort_key, id);
    `);
  },
  // Directory sources (issue #9): CardDAV/LDAP settings, and what a CardDAV sync brought in.
  // IF NOT EXISTS: files opened by a build that made these tables on its own still migrate.
  (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS directory_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;
      CREATE TABLE IF NOT EXISTS carddav_items (
        href TEXT PRIMARY KEY,
        contact_id TEXT NOT NULL,
        etag TEXT NOT NULL,
        fields_digest TEXT NOT NULL
      ) STRICT;
    `);
  },
  // Contact photos (issue #9): the image's bytes (at most 256 KB, checked by the contract) apart
  // from the JSON fields, as a BLOB; the data: URL the UI shows is made as a contact is read.
  (db) => {
    db.exec('ALTER TABLE contacts ADD COLUMN photo BLOB');
  },
  // Caller-ID keys for contacts saved before numbers got their E.164 key (issue #9): added once
  // here, not at each contact's next save (contact-keys.ts).
  (db) => {
    backfillContactKeys(db);
  },
  // Contact photos by reference: a page of contacts carries each photo's tag (a hash of its
  // bytes), the UI asks for the bytes it has not got (`contacts.photo`) — not every photo in
  // every page.
  (db) => {
    db.function('photo_tag', { deterministic: true }, (bytes) => (bytes instanceof Uint8Array ? photoTag(bytes) : null));
    db.exec(`
      ALTER TABLE contacts ADD COLUMN photo_tag TEXT;
      UPDATE contacts SET photo_tag = photo_tag(photo) WHERE photo IS NOT NULL;
    `);
  },
  // The SIP messages of each call in the history (issue #11: its ladder diagram once the log in
  // memory has moved on, or after a restart): one row per call, bounded and with credentials
  // redacted (call-sip-log.ts), removed with its entry (history-store.ts).
  (db) => {
    db.exec(`
      CREATE TABLE call_sip_log (
        history_id TEXT PRIMARY KEY,
        dropped INTEGER NOT NULL CHECK (dropped >= 0),
        messages TEXT NOT NULL CHECK (json_valid(messages))
      ) STRICT;
    `);
  },
];

/**
 * What contacts are ordered by in SQL: the name without case or accents ("Émile" with the E's),
 * close to `localeCompare` for Latin names, so the page SQLite picks is the one a user expects.
 */
export function contactSortKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** What names a photo's bytes (64 bits of their SHA-256): the UI keeps the photos it has by it. */
export function photoTag(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

export type StoreErrorCode = 'corrupt' | 'newer_version' | 'no_backup';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    message: string,
    readonly code: StoreErrorCode = 'corrupt',
  ) {
    super(message);
  }
}

/**
 * What to do with a database file that is corrupt or unreadable: nothing (the default — the
 * error says what can be done), put the newest backup in its place, or start with an empty
 * one. Either way the bad file is kept aside, never deleted.
 */
export type DatabaseRecovery = 'none' | 'restore-backup' | 'start-fresh';

export interface OpenDatabaseOptions {
  readonly fileName?: string;
  readonly recovery?: DatabaseRecovery;
  /** Files up to this size get the full check at every start (default 64 MB). */
  readonly alwaysCheckBytes?: number;
}

/**
 * Opens the phone's database: checks its integrity first (a damaged file is refused with a
 * clear StoreError, not silently reset), copies it aside before each migration (`.v<N>.bak`,
 * the version it had), then migrates.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions | string = {}): Db {
  const { fileName = 'softphone.sqlite', recovery = 'none', alwaysCheckBytes = ALWAYS_CHECK_BYTES } = typeof options === 'string' ? { fileName: options } : options;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, fileName);
  let db: Db;
  try {
    db = openChecked(path, alwaysCheckBytes);
  } catch (error) {
    if (!(error instanceof StoreError) || error.code !== 'corrupt' || recovery === 'none') throw error;
    const aside = `${path}.corrupt-${Date.now()}`;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
    if (recovery === 'restore-backup') {
      const backup = newestBackup(dataDir, fileName);
      if (backup === undefined) throw new StoreError(`no backup of ${path} to restore; the damaged file is kept as ${aside}`, 'no_backup');
      copyFileSync(backup, path);
    }
    db = openChecked(path, alwaysCheckBytes);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > 0 && version < migrations.length) {
      // A copy as it was, before the schema changes (SQLite's own consistent copy, WAL included).
      const first = `${path}.v${version}.bak`;
      const backup = existsSync(first) ? `${path}.v${version}-${Date.now()}.bak` : first;
      db.exec(`VACUUM INTO '${backup.replace(/'/g, "''")}'`);
    }
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Files up to this size are checked page by page at every start (a few ms per MB). */
const ALWAYS_CHECK_BYTES = 64 * 2 ** 20;

/** Present while the database is open: found at start, the last session did not close cleanly. */
const openMarker = (path: string) => `${path}.open`;

function openChecked(path: string, alwaysCheckBytes: number): Db {
  const existed = existsSync(path);
  let db: Db | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    if (existed) {
      // The full check (quick_check reads every page: ~0.7 s for 240 MB) after an unclean end or
      // on a small file; after a clean close of a big one, reading the schema proves the header.
      if (existsSync(openMarker(path)) || statSync(path).size <= alwaysCheckBytes) {
        const result = db.pragma('quick_check', { simple: true });
        if (result !== 'ok') throw new Error(String(result));
      } else {
        db.prepare('SELECT count(*) FROM sqlite_master').get();
      }
    }
    writeFileSync(openMarker(path), String(process.pid), { mode: 0o600 });
    return db;
  } catch (error) {
    db?.close();
    throw new StoreError(
      `the phone's database ${path} is damaged or unreadable (${error instanceof Error ? error.message : String(error)}): ` +
        'restore the last backup or start with an empty one (the damaged file is kept aside either way)',
      'corrupt',
    );
  }
}

/** The newest `<file>.v<N>.bak` in the folder. */
function newestBackup(dataDir: string, fileName: string): string | undefined {
  const backups = readdirSync(dataDir)
    .filter((name) => name.startsWith(`${fileName}.v`) && name.endsWith('.bak'))
    .map((name) => join(dataDir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return backups[0];
}

/** Closes the database and notes the clean end (the next start may skip the full check). */
export function closeDatabase(db: Db): void {
  const path = db.name;
  db.close();
  rmSync(openMarker(path), { force: true });
}

export function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new StoreError(`database schema version ${version} is newer than this app (${migrations.length})`, 'newer_version');
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      migrations[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
