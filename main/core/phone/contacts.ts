/** The user's contacts (contract `contacts.*`) and caller identification from them. */
import { randomBytes } from 'node:crypto';
import { PhoneError } from '../../../shared/errors.js';
import { ContactFields, type Contact, type ContactFieldsInput } from '../../../shared/model.js';
import type { ContactsStore } from '../store/contacts-store.js';

export class Contacts {
  constructor(private readonly store: ContactsStore) {}

  list(query: string | undefined, favourites: boolean | undefined, limit: number): Contact[] {
    return this.store.list({ query, favourites, limit });
  }

  add(fields: ContactFieldsInput): Contact {
    const contact: Contact = { id: `contact-${randomBytes(6).toString('hex')}`, ...ContactFields.parse(fields) };
    this.store.put(contact);
    return contact;
  }

  update(id: string, changes: Partial<ContactFieldsInput>): Contact {
    const { id: _id, ...current } = this.get(id);
    const contact: Contact = { id, ...ContactFields.parse({ ...current, ...changes }) };
    this.store.put(contact);
    return contact;
  }

  remove(id: string): void {
    if (!this.store.remove(id)) throw new PhoneError('not_found', `no contact ${id}`, 'id');
  }

  /** Who a remote party is, when its URI or number is one of a contact's. */
  identify(uri: string): { id: string; name: string } | undefined {
    const contact = this.store.match(uri);
    return contact === undefined ? undefined : { id: contact.id, name: contact.name };
  }

  private get(id: string): Contact {
    const contact = this.store.get(id);
    if (contact === undefined) throw new PhoneError('not_found', `no contact ${id}`, 'id');
    return contact;
  }
}
