/**
 * The phone's one SQLite file (better-sqlite3), WAL mode, with numbered schema migrations.
 * Each migration runs in a transaction and bumps `user_version`, so a file is always at a
 * known version.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

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
];

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

export function openDatabase(dataDir: string, fileName = 'softphone.sqlite'): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new StoreError(`database schema version ${version} is newer than this app (${migrations.length})`);
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      migrations[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
