import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, migrations, openDatabase, StoreError } from '../../../../main/core/store/database.js';
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

  it('refuses rows that are not JSON', () => {
    const db = openDatabase(tempDir());
    expect(() => db.prepare('INSERT INTO accounts (id, position, fields) VALUES (?, 0, ?)').run('a', '{broken')).toThrowError(/CHECK/);
    db.close();
  });
});
