/**
 * What the directory module keeps: its settings (CardDAV, LDAP; never a password) and the
 * CardDAV sync state — the address book's sync-token and CTag, the last failure, and for each
 * card its href, ETag, the contact it became and a digest of the card's fields as the server
 * and we last agreed on them (a different digest later means the user edited the contact here,
 * to be written back).
 *
 * Its tables are created here with IF NOT EXISTS rather than by a numbered migration: they are
 * a cache of the server plus three settings, rebuilt by the next full sync, and the contacts
 * schema they sit beside is not theirs to version.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CardDavSettings, CardDavSyncResult, LdapSettings, type ContactFields } from '../../../shared/model.js';
import type { Db } from '../store/database.js';

export const CardDavState = z
  .object({
    addressBookUrl: z.string(),
    syncToken: z.string().optional(),
    ctag: z.string().optional(),
    lastSync: CardDavSyncResult.optional(),
  })
  .strict();
export type CardDavState = z.infer<typeof CardDavState>;

export interface CardDavItem {
  href: string;
  contactId: string;
  etag: string;
  fieldsDigest: string;
}

export const CardDavFailure = z.object({ at: z.number().int().nonnegative(), error: z.string().max(500) }).strict();

const schemas = { carddav: CardDavSettings, 'carddav.state': CardDavState, 'carddav.failure': CardDavFailure, ldap: LdapSettings } as const;
type Key = keyof typeof schemas;
type Value<K extends Key> = z.output<(typeof schemas)[K]>;

export class DirectoryStore {
  /** Its tables come with the schema (migration 5 in store/database.ts). */
  constructor(private readonly db: Db) {}

  /** A stored value that no longer fits its schema (another version wrote it) reads as absent. */
  get<K extends Key>(key: K): Value<K> | undefined {
    const row = this.db.prepare('SELECT value FROM directory_settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (row === undefined) return undefined;
    const parsed = schemas[key].safeParse(JSON.parse(row.value));
    return parsed.success ? (parsed.data as Value<K>) : undefined;
  }

  set<K extends Key>(key: K, value: Value<K> | undefined): void {
    if (value === undefined) this.db.prepare('DELETE FROM directory_settings WHERE key = ?').run(key);
    else
      this.db
        .prepare('INSERT INTO directory_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(key, JSON.stringify(schemas[key].parse(value)));
  }

  items(): Map<string, CardDavItem> {
    const rows = this.db.prepare('SELECT href, contact_id, etag, fields_digest FROM carddav_items').all() as {
      href: string;
      contact_id: string;
      etag: string;
      fields_digest: string;
    }[];
    return new Map(rows.map((r) => [r.href, { href: r.href, contactId: r.contact_id, etag: r.etag, fieldsDigest: r.fields_digest }]));
  }

  putItem(item: CardDavItem): void {
    this.db
      .prepare(
        'INSERT INTO carddav_items (href, contact_id, etag, fields_digest) VALUES (?, ?, ?, ?) ON CONFLICT (href) DO UPDATE SET contact_id = excluded.contact_id, etag = excluded.etag, fields_digest = excluded.fields_digest',
      )
      .run(item.href, item.contactId, item.etag, item.fieldsDigest);
  }

  removeItem(href: string): void {
    this.db.prepare('DELETE FROM carddav_items WHERE href = ?').run(href);
  }

  removeAllItems(): void {
    this.db.prepare('DELETE FROM carddav_items').run();
  }

  hasItemFor(contactId: string): boolean {
    return this.db.prepare('SELECT 1 FROM carddav_items WHERE contact_id = ? LIMIT 1').get(contactId) !== undefined;
  }

  itemCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM carddav_items').get() as { n: number }).n;
  }

  /** Contacts made here for the address book, not yet created on the server (a source without href). */
  pendingContactIds(): string[] {
    const rows = this.db
      .prepare("SELECT id FROM contacts WHERE json_extract(fields, '$.source.kind') = 'carddav' AND json_extract(fields, '$.source.href') IS NULL")
      .all() as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Runs `work` in one transaction: a sync's contacts and its new token land together or not at all. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}

/**
 * A digest of the fields a card holds (name, organisation, addresses, notes), to notice edits
 * made here between two syncs; the user's own flags (favourite, watch) are not the server's.
 */
export function fieldsDigest(fields: Pick<ContactFields, 'name' | 'organisation' | 'addresses' | 'notes'>): string {
  const card = { name: fields.name, organisation: fields.organisation, addresses: fields.addresses, notes: fields.notes };
  return createHash('sha256').update(JSON.stringify(card)).digest('hex');
}
