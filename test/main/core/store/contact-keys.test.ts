/** Caller-ID keys of contacts saved by an older build, brought up to what this one writes (migration 7). */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addressKeys, backfillContactKeys } from '../../../../main/core/store/contact-keys.js';
import { migrations } from '../../../../main/core/store/database.js';

/** A database at `version` with contacts whose keys were made the old way: digits only, no E.164 key. */
function oldBook(version: number, contacts: { id: string; addresses: string[] }[]): Database.Database {
  const db = new Database(':memory:');
  for (let v = 0; v < version; v++) migrations[v]!(db);
  const insert = db.prepare("INSERT INTO contacts (id, fields, updated_at, sort_key) VALUES (?, ?, 1, '')");
  const key = db.prepare('INSERT INTO contact_keys (contact_id, match_key) VALUES (?, ?)');
  for (const contact of contacts) {
    insert.run(contact.id, JSON.stringify({ name: contact.id, addresses: contact.addresses.map((value) => ({ kind: 'phone', value })), favourite: false, presence: false, blf: false }));
    for (const value of contact.addresses) key.run(contact.id, `#${value.replace(/\D/g, '')}`);
  }
  return db;
}

const keysOf = (db: Database.Database, id: string) => db.prepare('SELECT match_key FROM contact_keys WHERE contact_id = ? ORDER BY match_key').pluck().all(id);

describe('contact key backfill', () => {
  it('adds the E.164 key a number written internationally lacks, and nothing else', () => {
    const db = oldBook(6, [
      { id: 'berlin', addresses: ['+49 (0)30 1234567', '+44 20 7946 0000'] },
      { id: 'national', addresses: ['030 7654321'] },
    ]);
    expect(keysOf(db, 'berlin')).toEqual(['#442079460000', '#490301234567']);
    expect(backfillContactKeys(db)).toBe(1);
    expect(keysOf(db, 'berlin')).toEqual(['#442079460000', '#490301234567', '#49301234567']);
    expect(keysOf(db, 'berlin')).toEqual([...addressKeys('+49 (0)30 1234567'), ...addressKeys('+44 20 7946 0000')].sort());
    expect(keysOf(db, 'national')).toEqual(['#0307654321']);
    // Once is enough: a second run finds nothing to add.
    expect(backfillContactKeys(db)).toBe(0);
  });

  it('goes through a big book a page at a time, every contact with a + reached', () => {
    const contacts = Array.from({ length: 2500 }, (_, i) => ({ id: `c${String(i).padStart(5, '0')}`, addresses: [`+49 (0)30 ${1_000_000 + i}`] }));
    const db = oldBook(6, contacts);
    expect(backfillContactKeys(db)).toBe(2500);
    expect(keysOf(db, 'c02499')).toEqual(['#490301002499', '#49301002499']);
  });

  it('reads stored fields defensively: no addresses, or not an object, adds nothing', () => {
    const db = oldBook(6, []);
    db.prepare("INSERT INTO contacts (id, fields, updated_at, sort_key) VALUES ('a', '[\"+49 30 1\"]', 1, ''), ('b', '{\"name\":\"+\",\"addresses\":\"+4930\"}', 1, '')").run();
    expect(backfillContactKeys(db)).toBe(0);
  });
});
