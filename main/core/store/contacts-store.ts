/**
 * Contacts as rows (their fields as JSON), with two indexes of our own: `contact_keys` for
 * caller identification (an address's normalised key → contact) and `contacts_search`, an
 * FTS5 trigram index over names, organisations and addresses so any 3+ characters of a name or
 * a number find the contact. A photo's bytes are kept beside the fields and read on their own
 * (`photo`): a contact read carries only its `photoTag`, so a page of contacts stays small.
 */
import type { Contact} from '../../../shared/model.js';
import { ContactFields } from '../../../shared/model.js';
import { sniffImageType } from '../../../shared/photo.js';
import { addressKeys } from './contact-keys.js';
import { contactSortKey, photoTag, type Db } from './database.js';

interface Row {
  id: string;
  fields: string;
  photo_tag: string | null;
}


export { addressKeys } from './contact-keys.js';

/** Numbers long enough that their last digits identify them across prefixes (00/+/0 and country codes). */
const SUFFIX_DIGITS = 8;

export class ContactsStore {
  constructor(private readonly db: Db) {}

  /** Several contacts in one transaction: all are stored, or none (an import). */
  putMany(contacts: readonly Contact[]): void {
    this.db.transaction(() => {
      for (const contact of contacts) this.put(contact);
    })();
  }

  /** Every contact, by name (export, duplicate detection). */
  all(): Contact[] {
    return this.list({ limit: Number.MAX_SAFE_INTEGER });
  }

  /**
   * Stores a contact. Its photo: the one given; the one stored, when the contact comes with the
   * `photoTag` it was read with and no photo (read without the bytes, changed, put back); else none.
   */
  put(contact: Contact): void {
    const { id, photo, photoTag: tag, ...fields } = contact;
    const bytes = photoBytes(photo);
    const keep = photo === undefined && tag !== undefined ? 1 : 0;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO contacts (id, fields, updated_at, favourite, sort_key, photo, photo_tag) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at, favourite = excluded.favourite, sort_key = excluded.sort_key,
             photo = CASE WHEN ? THEN contacts.photo ELSE excluded.photo END, photo_tag = CASE WHEN ? THEN contacts.photo_tag ELSE excluded.photo_tag END`,
        )
        .run(id, JSON.stringify(fields), Date.now(), contact.favourite ? 1 : 0, contactSortKey(contact.name), bytes, bytes === null ? null : photoTag(bytes), keep, keep);
      this.db.prepare('DELETE FROM contact_keys WHERE contact_id = ?').run(id);
      this.db.prepare('DELETE FROM contacts_search WHERE rowid = (SELECT search_rowid FROM contacts WHERE id = ?)').run(id);
      const keys = new Set(contact.addresses.flatMap((a) => addressKeys(a.value)));
      const insertKey = this.db.prepare('INSERT INTO contact_keys (contact_id, match_key) VALUES (?, ?)');
      for (const key of keys) insertKey.run(id, key);
      const digits = contact.addresses.filter((a) => a.kind === 'phone').map((a) => a.value.replace(/\D/g, ''));
      const text = [contact.name, contact.organisation ?? '', ...contact.addresses.map((a) => a.value), ...digits].join('\n').toLowerCase();
      const search = this.db.prepare('INSERT INTO contacts_search (contact_id, text) VALUES (?, ?)').run(id, text);
      this.db.prepare('UPDATE contacts SET search_rowid = ? WHERE id = ?').run(search.lastInsertRowid, id);
    })();
  }

  /** A contact's photo as a data: URL, typed by its bytes (bytes that are no image: none). */
  photo(id: string): string | undefined {
    const bytes = this.db.prepare('SELECT photo FROM contacts WHERE id = ?').pluck().get(id) as Buffer | null | undefined;
    const type = bytes === null || bytes === undefined ? undefined : sniffImageType(bytes);
    return type === undefined ? undefined : `data:${type};base64,${bytes!.toString('base64')}`;
  }

  get(id: string): Contact | undefined {
    const row = this.db.prepare('SELECT id, fields, photo_tag FROM contacts WHERE id = ?').get(id) as Row | undefined;
    return row === undefined ? undefined : contactOf(row);
  }

  remove(id: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM contacts_search WHERE rowid = (SELECT search_rowid FROM contacts WHERE id = ?)').run(id);
      return this.db.prepare('DELETE FROM contacts WHERE id = ?').run(id).changes > 0;
    })();
  }

  /**
   * By name, favourites first; with a query, contacts whose indexed text contains it (trigrams
   * from 3 characters). SQLite picks the page (index `contacts_by_name` without a query), so
   * only the contacts returned are parsed, however many match.
   */
  list(options: { query?: string | undefined; favourites?: boolean | undefined; limit: number }): Contact[] {
    const query = options.query?.trim().toLowerCase() ?? '';
    const favourites = options.favourites === true ? 'AND c.favourite = 1' : '';
    const page = `ORDER BY c.favourite DESC, c.sort_key, c.id LIMIT ?`;
    let rows: Row[];
    if (query === '') {
      rows = this.db.prepare(`SELECT c.id, c.fields, c.photo_tag FROM contacts c WHERE 1 = 1 ${favourites} ${page}`).all(options.limit) as Row[];
    } else if (query.length >= 3) {
      // An FTS5 string literal: the whole query as one phrase, quotes doubled.
      const phrase = `"${query.replace(/"/g, '""')}"`;
      rows = this.db
        .prepare(`SELECT c.id, c.fields, c.photo_tag FROM contacts_search s JOIN contacts c ON c.id = s.contact_id WHERE contacts_search MATCH ? ${favourites} ${page}`)
        .all(phrase, options.limit) as Row[];
    } else {
      // Under three characters trigrams cannot match: a substring scan of the index text.
      rows = this.db
        .prepare(`SELECT c.id, c.fields, c.photo_tag FROM contacts_search s JOIN contacts c ON c.id = s.contact_id WHERE instr(s.text, ?) > 0 ${favourites} ${page}`)
        .all(query, options.limit) as Row[];
    }
    // The page in the user's locale order (the sort key is close to it, not equal).
    return rows
      .flatMap((row) => {
        const contact = contactOf(row);
        return contact === undefined ? [] : [contact];
      })
      .sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name));
  }

  /**
   * The contact a remote party is, by its URI or number (caller identification); `variants`
   * are more digit strings the number may be stored as (its national or E.164 form).
   */
  match(uri: string, variants: readonly string[] = []): Contact | undefined {
    const keys = [...new Set([...addressKeys(uri), ...variants.map((digits) => `#${digits}`)])];
    if (keys.length === 0) return undefined;
    const placeholders = keys.map(() => '?').join(', ');
    let row = this.db.prepare(`SELECT c.id, c.fields, c.photo_tag FROM contact_keys k JOIN contacts c ON c.id = k.contact_id WHERE k.match_key IN (${placeholders}) LIMIT 1`).get(...keys) as Row | undefined;
    const digits = keys.find((k) => k.startsWith('#'))?.slice(1);
    if (row === undefined && digits !== undefined && digits.length >= SUFFIX_DIGITS) {
      row = this.db
        .prepare("SELECT c.id, c.fields, c.photo_tag FROM contact_keys k JOIN contacts c ON c.id = k.contact_id WHERE k.match_key LIKE '#%' AND substr(k.match_key, -?) = ? LIMIT 1")
        .get(SUFFIX_DIGITS, digits.slice(-SUFFIX_DIGITS)) as Row | undefined;
    }
    return row === undefined ? undefined : contactOf(row);
  }
}

/** The image bytes of a photo's data: URL (checked by the contract: base64 of an image). */
function photoBytes(photo: string | undefined): Buffer | null {
  return photo === undefined ? null : Buffer.from(photo.slice(photo.indexOf(',') + 1), 'base64');
}

function contactOf(row: Row): Contact | undefined {
  const parsed = ContactFields.safeParse(JSON.parse(row.fields));
  if (!parsed.success) return undefined;
  return { id: row.id, ...parsed.data, ...(row.photo_tag === null ? {} : { photoTag: row.photo_tag }) };
}
