/** The user's contacts (contract `contacts.*`) and caller identification from them. */
import { randomBytes } from 'node:crypto';
import { PhoneError } from '../../../shared/errors.js';
import { ContactFields, type Contact, type ContactChanges, type ContactFieldsInput } from '../../../shared/model.js';
import type { ContactsStore } from '../store/contacts-store.js';
import { callerNumberVariants, type Numbering } from '../contacts/dial-plan.js';
import { ContactFileError, type ReadResult, type RecordError } from '../contacts/contact-record.js';
import { planImport, type OnDuplicate } from '../contacts/contact-import.js';
import { readCsvContacts, writeCsvContacts, type CsvColumn } from '../contacts/csv-contacts.js';
import { readVCards, writeVCards } from '../contacts/vcard.js';

export type ContactFileFormat = 'vcard' | 'csv';

export interface ImportOptions {
  format: ContactFileFormat;
  text: string;
  /** CSV: column header → what it holds (without it, known headers are recognised). */
  mapping?: Readonly<Record<string, string>> | undefined;
  onDuplicate: OnDuplicate;
  /** Where national numbers in the file are (default: the default account's country). */
  country?: string | undefined;
}

export interface ImportReport {
  added: number;
  merged: number;
  skipped: number;
  errors: RecordError[];
  /** Records taken without something they had (a remote photo not fetched), and why. */
  warnings: RecordError[];
}

/** The report lists at most this many problems (a file of garbage would list every line). */
const MAX_REPORTED_ERRORS = 1000;

export class Contacts {
  constructor(
    private readonly store: ContactsStore,
    /** An account's numbering (country, dial plan); with no id, the default account's. */
    private readonly numberingOf: (accountId: string | undefined) => Numbering = () => ({}),
  ) {}

  list(query: string | undefined, favourites: boolean | undefined, limit: number): Contact[] {
    return this.store.list({ query, favourites, limit });
  }

  /** The contact as stored: with its photo's tag, not the photo. */
  add(fields: ContactFieldsInput): Contact {
    const contact: Contact = { id: newContactId(), ...ContactFields.parse(fields) };
    this.store.put(contact);
    return this.get(contact.id);
  }

  /** Changes some fields; a photo left out is kept, a `photo` of null removed. */
  update(id: string, changes: ContactChanges): Contact {
    const { id: _id, photoTag, ...current } = this.get(id);
    const { photo, ...rest } = changes;
    const contact: Contact = {
      id,
      ...ContactFields.parse({ ...current, ...rest, ...(typeof photo === 'string' ? { photo } : {}) }),
      // The stored photo stays when no other is given (see ContactsStore.put).
      ...(photo === undefined && photoTag !== undefined ? { photoTag } : {}),
    };
    this.store.put(contact);
    return this.get(id);
  }

  /** A contact's photo as a data: URL (contract `contacts.photo`). */
  photo(id: string): { photo?: string } {
    this.get(id);
    const photo = this.store.photo(id);
    return photo === undefined ? {} : { photo };
  }

  remove(id: string): void {
    if (!this.store.remove(id)) throw new PhoneError('not_found', `no contact ${id}`, 'id');
  }

  /**
   * Who a remote party is, when its URI or number is one of a contact's: with the account's
   * numbering, `+4930123…`, `004930123…` and `030123…` are the same number in Germany.
   */
  identify(uri: string, accountId?: string): { id: string; name: string } | undefined {
    const user = /^<?(?:sips?:)?([^@;?>\s]+)@/i.exec(uri.trim())?.[1] ?? uri;
    const contact = this.store.match(uri, callerNumberVariants(user, this.numberingOf(accountId)));
    return contact === undefined ? undefined : { id: contact.id, name: contact.name };
  }

  /**
   * Contacts from a vCard or CSV file. A file that cannot be read at all is refused and nothing
   * is stored; otherwise every readable record is stored in one transaction and the report
   * says what was added, merged and skipped, and which lines were not taken and why.
   */
  import(options: ImportOptions): ImportReport {
    let read: ReadResult;
    try {
      read = options.format === 'vcard' ? readVCards(options.text) : readCsvContacts(options.text, options.mapping as Readonly<Record<string, CsvColumn>> | undefined);
    } catch (error) {
      if (error instanceof ContactFileError) throw new PhoneError('invalid_params', `contacts.import: ${error.message}`, 'text');
      throw error;
    }
    if (read.records.length === 0 && read.errors.length === 0) throw new PhoneError('invalid_params', 'contacts.import: the file holds no contacts', 'text');
    const plan = planImport(this.store.all(), read.records, {
      onDuplicate: options.onDuplicate,
      country: options.country ?? this.numberingOf(undefined).defaultCountry,
      newId: newContactId,
    });
    this.store.putMany(plan.put);
    const errors = [...read.errors, ...plan.errors].sort((a, b) => a.line - b.line);
    return { added: plan.added, merged: plan.merged, skipped: plan.skipped, errors: errors.slice(0, MAX_REPORTED_ERRORS), warnings: (read.warnings ?? []).slice(0, MAX_REPORTED_ERRORS) };
  }

  /** Every contact as vCard 4.0 or CSV (Google-style headers). */
  export(format: ContactFileFormat): { text: string } {
    const contacts = this.store.all().map((contact) => {
      const photo = contact.photoTag === undefined ? undefined : this.store.photo(contact.id);
      return photo === undefined ? contact : { ...contact, photo };
    });
    return { text: format === 'vcard' ? writeVCards(contacts) : writeCsvContacts(contacts) };
  }

  private get(id: string): Contact {
    const contact = this.store.get(id);
    if (contact === undefined) throw new PhoneError('not_found', `no contact ${id}`, 'id');
    return contact;
  }
}

function newContactId(): string {
  return `contact-${randomBytes(6).toString('hex')}`;
}
