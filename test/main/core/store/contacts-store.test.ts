/** Contacts in SQLite: trigram search over names and numbers, caller identification keys. */
import Database from 'better-sqlite3';
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

  it('keeps a photo as the image bytes beside the fields, and gives it back as a data: URL', () => {
    const db = new Database(':memory:');
    const contacts = store(db);
    contacts.put(contact('c1', 'Pat Photo', [{ kind: 'sip', value: 'sip:pat@example.com' }], { photo: photoUrl('png') }));
    contacts.put(contact('c2', 'Sam Plain', []));
    const row = db.prepare("SELECT fields, photo FROM contacts WHERE id = 'c1'").get() as { fields: string; photo: Buffer };
    expect(new Uint8Array(row.photo)).toEqual(photoBytes('png'));
    expect(JSON.parse(row.fields)).not.toHaveProperty('photo');
    expect(contacts.get('c1')?.photo).toBe(photoUrl('png'));
    expect(contacts.list({ limit: 10 }).map((c) => [c.name, c.photo])).toEqual([
      ['Pat Photo', photoUrl('png')],
      ['Sam Plain', undefined],
    ]);
    expect(contacts.list({ query: 'pho', limit: 10 })[0]?.photo).toBe(photoUrl('png'));
    expect(contacts.match('sip:pat@example.com')?.photo).toBe(photoUrl('png'));
    // Another photo replaces it; a contact put without one has none.
    contacts.put({ ...contacts.get('c1')!, photo: photoUrl('gif') });
    expect(contacts.get('c1')?.photo).toBe(photoUrl('gif'));
    const { photo: _photo, ...without } = contacts.get('c1')!;
    contacts.put(without);
    expect(contacts.get('c1')).not.toHaveProperty('photo');
    expect(db.prepare("SELECT photo FROM contacts WHERE id = 'c1'").pluck().get()).toBeNull();
  });

  it('shows no photo for bytes that are no image (a damaged row), and the contact still', () => {
    const db = new Database(':memory:');
    const contacts = store(db);
    contacts.put(contact('c1', 'Pat', []));
    db.prepare("UPDATE contacts SET photo = ? WHERE id = 'c1'").run(Buffer.from('<svg onload="alert(1)"/>'));
    expect(contacts.get('c1')).toEqual(contact('c1', 'Pat', []));
  });
});
