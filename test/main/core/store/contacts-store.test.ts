/** Contacts in SQLite: trigram search over names and numbers, caller identification keys. */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../../shared/model.js';
import { migrate } from '../../../../main/core/store/database.js';
import { addressKeys, ContactsStore } from '../../../../main/core/store/contacts-store.js';
import { photoBytes, photoUrl } from '../../../helpers/photos.js';

function store(db = new Database(':memory:')): ContactsStore {
  migrate(db);
  return new ContactsStore(db);
}

const contact = (id: string, name: string, addresses: Contact['addresses'], extra: Partial<Contact> = {}): Contact => ({
  id,
  name,
  addresses,
  favourite: false,
  presence: false,
  blf: false,
  ...extra,
});

describe('address keys', () => {
  it.each([
    ['sip:Bob@Example.com;transport=tcp', ['bob@example.com']],
    ['<sips:alice@pbx.example:5061>', ['alice@pbx.example']],
    ['sip:15550102000@pbx', ['15550102000@pbx', '#15550102000']],
    ['+1 (555) 010-2000', ['#15550102000']],
    ['tel:+1-555-010-2000;phone-context=example.com', ['#15550102000']],
    ['12', []],
  ])('%s → %j', (value, keys) => {
    expect(addressKeys(value)).toEqual(keys);
  });
});

describe('ContactsStore', () => {
  it('finds contacts by any three characters of a name, organisation, address or number', () => {
    const s = store();
    s.put(contact('c1', 'Zoë Müller', [{ kind: 'phone', label: 'work', value: '+49 30 1234567' }], { organisation: 'Acme GmbH' }));
    s.put(contact('c2', 'Bob Smith', [{ kind: 'sip', value: 'sip:bob@example.com' }], { favourite: true }));
    s.put(contact('c3', 'Carol', [{ kind: 'phone', value: '555-0100' }]));
    expect(s.list({ query: 'müll', limit: 10 }).map((c) => c.id)).toEqual(['c1']);
    expect(s.list({ query: 'ACME', limit: 10 }).map((c) => c.id)).toEqual(['c1']);
    expect(s.list({ query: '4567', limit: 10 }).map((c) => c.id)).toEqual(['c1']);
    expect(s.list({ query: '301234', limit: 10 }).map((c) => c.id)).toEqual(['c1']);
    expect(s.list({ query: 'bob@ex', limit: 10 }).map((c) => c.id)).toEqual(['c2']);
    expect(s.list({ query: 'ro', limit: 10 }).map((c) => c.id)).toEqual(['c3']);
    expect(s.list({ query: '"; DROP TABLE contacts; --', limit: 10 })).toEqual([]);
    // Favourites first, then by name.
    expect(s.list({ limit: 10 }).map((c) => c.id)).toEqual(['c2', 'c3', 'c1']);
    expect(s.list({ favourites: true, limit: 10 }).map((c) => c.id)).toEqual(['c2']);
  });

  it('identifies callers by URI or number whatever the prefix; updates and removals follow', () => {
    const s = store();
    s.put(contact('c1', 'Zoë', [{ kind: 'phone', value: '+49 30 1234567' }]));
    s.put(contact('c2', 'Bob', [{ kind: 'sip', value: 'sip:bob@example.com' }]));
    expect(s.match('sip:bob@example.com;transport=udp')?.id).toBe('c2');
    expect(s.match('sip:+49301234567@pbx.example')?.id).toBe('c1');
    expect(s.match('sip:0301234567@pbx.example')?.id).toBe('c1');
    expect(s.match('tel:004930-1234567')?.id).toBe('c1');
    expect(s.match('sip:carol@example.com')).toBeUndefined();
    s.put(contact('c2', 'Bob', [{ kind: 'sip', value: 'sip:robert@example.com' }]));
    expect(s.match('sip:bob@example.com')).toBeUndefined();
    expect(s.match('sip:robert@example.com')?.name).toBe('Bob');
    expect(s.remove('c1')).toBe(true);
    expect(s.match('tel:+49301234567')).toBeUndefined();
    expect(s.list({ query: '1234', limit: 10 })).toEqual([]);
    expect(s.remove('c1')).toBe(false);
  });

  it('keeps a photo as the image bytes beside the fields; a contact read carries its tag, the photo is read on its own', () => {
    const db = new Database(':memory:');
    const contacts = store(db);
    contacts.put(contact('c1', 'Pat Photo', [{ kind: 'sip', value: 'sip:pat@example.com' }], { photo: photoUrl('png') }));
    contacts.put(contact('c2', 'Sam Plain', []));
    const row = db.prepare("SELECT fields, photo, photo_tag FROM contacts WHERE id = 'c1'").get() as { fields: string; photo: Buffer; photo_tag: string };
    expect(new Uint8Array(row.photo)).toEqual(photoBytes('png'));
    expect(JSON.parse(row.fields)).not.toHaveProperty('photo');
    const tag = createHash('sha256').update(photoBytes('png')).digest('hex').slice(0, 16);
    expect(row.photo_tag).toBe(tag);
    expect(contacts.get('c1')).toMatchObject({ name: 'Pat Photo', photoTag: tag });
    expect(contacts.get('c1')).not.toHaveProperty('photo');
    expect(contacts.photo('c1')).toBe(photoUrl('png'));
    expect(contacts.photo('c2')).toBeUndefined();
    expect(contacts.photo('nobody')).toBeUndefined();
    expect(contacts.list({ limit: 10 }).map((c) => [c.name, c.photoTag])).toEqual([
      ['Pat Photo', tag],
      ['Sam Plain', undefined],
    ]);
    expect(contacts.list({ query: 'pho', limit: 10 })[0]?.photoTag).toBe(tag);
    expect(contacts.match('sip:pat@example.com')?.photoTag).toBe(tag);

    // Put back as read (tag, no bytes): the photo stays. Another photo replaces it; none removes it.
    contacts.put({ ...contacts.get('c1')!, favourite: true });
    expect(contacts.photo('c1')).toBe(photoUrl('png'));
    contacts.put({ ...contacts.get('c1')!, photo: photoUrl('gif') });
    expect(contacts.photo('c1')).toBe(photoUrl('gif'));
    expect(contacts.get('c1')?.photoTag).not.toBe(tag);
    const { photoTag: _tag, ...without } = contacts.get('c1')!;
    contacts.put(without);
    expect(contacts.get('c1')).not.toHaveProperty('photoTag');
    expect(db.prepare("SELECT photo FROM contacts WHERE id = 'c1'").pluck().get()).toBeNull();
  });

  it('gives no photo for bytes that are no image (a damaged row), and the contact still', () => {
    const db = new Database(':memory:');
    const contacts = store(db);
    contacts.put(contact('c1', 'Pat', []));
    db.prepare("UPDATE contacts SET photo = ?, photo_tag = '0123456789abcdef' WHERE id = 'c1'").run(Buffer.from('<svg onload="alert(1)"/>'));
    expect(contacts.photo('c1')).toBeUndefined();
    expect(contacts.get('c1')).toEqual({ ...contact('c1', 'Pat', []), photoTag: '0123456789abcdef' });
  });
});
