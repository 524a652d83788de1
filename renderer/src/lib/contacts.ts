/**
 * The address book as the UI needs it: ordering, the form's fields, and which watched entity
 * (presence, busy lamp) belongs to a contact. Pure functions: tests need no Svelte.
 */
import type { Contact, ContactAddress, ContactChanges, ContactFieldsInput, WatchedEntity } from '../../../shared/model.js';
import { photoDataUrl, photoProblem, PhotoError } from '../../../shared/photo.js';

/** Favourites first, then by name as people read it (case and accents ignored). */
export function sortContacts(contacts: readonly Contact[]): Contact[] {
  return contacts.toSorted((a, b) => Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id));
}

/** The address presence and busy lamps are watched at: the contact's first SIP address. */
export function firstSipAddress(contact: Pick<Contact, 'addresses'>): string | undefined {
  return contact.addresses.find((a) => a.kind === 'sip')?.value;
}

/** The URI to watch for a contact, when it asks for presence or a busy lamp and has a SIP address. */
export function watchTarget(contact: Pick<Contact, 'addresses' | 'presence' | 'blf'>): string | undefined {
  return contact.presence || contact.blf ? firstSipAddress(contact) : undefined;
}

/** Visual separators people type in numbers (RFC 3966 §5.1.1 visual-separator). */
const separators = /[\s().\-/]/g;

/**
 * An address reduced to what identifies it, for matching — `sip:user@host`, scheme and host in
 * lower case, without parameters or headers (RFC 3261 §19.1.4 compares hosts case-insensitively;
 * the user part is compared as is). A bare user or number is taken at `domain`, as the core
 * dials it. `undefined` when it cannot be made a SIP address.
 */
export function addressOfRecord(value: string, domain?: string): string | undefined {
  let text = value.trim();
  if (/^tel:/i.test(text)) text = text.slice(4).split(';')[0] ?? '';
  if (/^\+?[0-9*#\s().\-/]+$/.test(text)) text = text.replace(separators, '');
  const scheme = /^(sips?):/i.exec(text);
  let rest = scheme === null ? text : text.slice(scheme[0].length);
  if (rest === '') return undefined;
  if (!rest.includes('@')) {
    if (domain === undefined || scheme !== null) return undefined;
    rest = `${rest}@${domain}`;
  }
  const at = rest.lastIndexOf('@');
  const user = rest.slice(0, at);
  const host = (rest.slice(at + 1).split(/[;?]/)[0] ?? '').toLowerCase();
  if (user === '' || host === '') return undefined;
  return `${scheme?.[1]?.toLowerCase() ?? 'sip'}:${user}@${host}`;
}

/** Whether two addresses name the same party (see `addressOfRecord`). */
export function sameAddress(a: string, b: string, domain?: string): boolean {
  const left = addressOfRecord(a, domain);
  return left !== undefined && left === addressOfRecord(b, domain);
}

/** The watched entity that shows this contact's presence or line, if any. */
export function watchedEntityOf(contact: Pick<Contact, 'addresses' | 'presence' | 'blf'>, watched: Iterable<WatchedEntity>, domain?: string): WatchedEntity | undefined {
  const target = watchTarget(contact);
  if (target === undefined) return undefined;
  for (const entity of watched) if (sameAddress(entity.uri, target, domain)) return entity;
  return undefined;
}

/** The contact an address belongs to (any of its SIP addresses or numbers). */
export function contactFor(address: string, contacts: readonly Contact[], domain?: string): Contact | undefined {
  const wanted = addressOfRecord(address, domain);
  if (wanted === undefined) return undefined;
  return contacts.find((c) => c.addresses.some((a) => addressOfRecord(a.value, domain) === wanted));
}

/** What the contact form edits: every field a string or flag, addresses as rows. */
export interface ContactForm {
  name: string;
  organisation: string;
  addresses: { kind: ContactAddress['kind']; label: string; value: string }[];
  favourite: boolean;
  presence: boolean;
  blf: boolean;
  notes: string;
  /** A photo chosen ('' removed) — only when `photoChanged`: the stored one is not in the form. */
  photo: string;
  photoChanged: boolean;
}

export function emptyContactForm(): ContactForm {
  return { name: '', organisation: '', addresses: [{ kind: 'sip', label: '', value: '' }], favourite: false, presence: false, blf: false, notes: '', photo: '', photoChanged: false };
}

export function contactForm(contact: Contact): ContactForm {
  return {
    name: contact.name,
    organisation: contact.organisation ?? '',
    addresses: contact.addresses.map((a) => ({ kind: a.kind, label: a.label ?? '', value: a.value })),
    favourite: contact.favourite,
    presence: contact.presence,
    blf: contact.blf,
    notes: contact.notes ?? '',
    photo: '',
    photoChanged: false,
  };
}

/**
 * The fields to send. Rows without a value are dropped. `contacts.update` keeps a field that is
 * left out, so for an update an emptied organisation or note is sent as '' to clear it.
 */
export function contactFields(form: ContactForm, forUpdate = false): ContactFieldsInput {
  const fields: ContactFieldsInput = {
    name: form.name.trim(),
    addresses: form.addresses
      .filter((a) => a.value.trim() !== '')
      .map((a) => (a.label.trim() === '' ? { kind: a.kind, value: a.value.trim() } : { kind: a.kind, label: a.label.trim(), value: a.value.trim() })),
    favourite: form.favourite,
    presence: form.presence,
    blf: form.blf,
  };
  const organisation = form.organisation.trim();
  const notes = form.notes.trim();
  if (organisation !== '' || forUpdate) fields.organisation = organisation;
  if (notes !== '' || forUpdate) fields.notes = notes;
  if (form.photo !== '') fields.photo = form.photo;
  return fields;
}

/** The changes for `contacts.update`: every field; the photo only when changed (removed: null). */
export function contactChanges(form: ContactForm): ContactChanges {
  const { photo: _photo, ...fields } = contactFields(form, true);
  return { ...fields, ...(form.photoChanged ? { photo: form.photo === '' ? null : form.photo } : {}) };
}

/**
 * A chosen image file as the photo's data: URL, typed by its first bytes; PhotoError (with the
 * reason to show) for a file too big — refused before it is read — or one that is no PNG, JPEG,
 * GIF or WebP. The core checks the same again.
 */
export async function readPhotoFile(file: Blob): Promise<string> {
  const early = photoProblem(new Uint8Array(await file.slice(0, 16).arrayBuffer()), file.size);
  if (early !== undefined) throw new PhotoError(early);
  return photoDataUrl(new Uint8Array(await file.arrayBuffer()));
}

/** How an address is shown: without the `sip:` scheme people do not type. */
export function addressText(value: string): string {
  return value.replace(/^sip:/i, '');
}
