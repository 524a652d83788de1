/**
 * The address book: every contact (for caller names, presence and the list without a search),
 * searches, and changes — which also start or stop watching the contact's presence and busy
 * lamp at its first SIP address.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { Contact, ContactChanges, ContactFieldsInput } from '../../../shared/model.js';
import type { PhoneApi } from '../../../shared/phone-api.js';
import { addressOfRecord, sameAddress, sortContacts, watchedEntityOf, watchTarget } from './contacts.js';
import { errorInfo } from './error-info.js';
import type { PresenceState } from './presence.svelte.js';

/** The most contacts kept here; a search reaches the rest. */
export const CONTACTS_LIMIT = 1000;

export class ContactsState {
  all = $state.raw<Contact[]>([]);

  readonly #api: PhoneApi;
  /** Photos fetched, by tag (a hash of the bytes): a changed photo has another tag. */
  readonly #photos = new SvelteMap<string, string>();
  /** Tags being fetched: not state, since it changes while a photo is asked for as the page is drawn. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #fetching = new Set<string>();
  readonly #presence: PresenceState;
  readonly #domain: () => string | undefined;

  /** `domain`: where a bare user or number is (the default account's domain). */
  constructor(api: PhoneApi, presence: PresenceState, domain: () => string | undefined) {
    this.#api = api;
    this.#presence = presence;
    this.#domain = domain;
  }

  async refresh(): Promise<void> {
    this.all = sortContacts(await this.#api.contacts.list({ limit: CONTACTS_LIMIT }));
  }

  /** Substring search over names, organisations and addresses, favourites first. */
  async search(query: string): Promise<Contact[]> {
    const text = query.trim();
    if (text === '') return this.all;
    return sortContacts(await this.#api.contacts.list({ query: text.slice(0, 128), limit: 200 }));
  }

  /** Returns the contact and, if watching failed, why (the contact is saved all the same). */
  async add(fields: ContactFieldsInput): Promise<{ contact: Contact; watchProblem?: string }> {
    const contact = await this.#api.contacts.add(fields);
    const watchProblem = await this.#syncWatch(undefined, contact);
    await this.refresh();
    return watchProblem === undefined ? { contact } : { contact, watchProblem };
  }

  /**
   * A contact's photo as a data: URL, once fetched: the first ask fetches it (`contacts.photo`),
   * and the photo appears when it arrives. A contact without a photo has none.
   */
  photoOf(contact: Pick<Contact, 'id' | 'photoTag'> | undefined): string | undefined {
    const tag = contact?.photoTag;
    if (contact === undefined || tag === undefined) return undefined;
    const photo = this.#photos.get(tag);
    if (photo === undefined && !this.#fetching.has(tag)) {
      this.#fetching.add(tag);
      this.#api.contacts
        .photo({ id: contact.id })
        .then((result) => {
          if (result.photo !== undefined) this.#photos.set(tag, result.photo);
        })
        .catch(() => undefined)
        .finally(() => this.#fetching.delete(tag));
    }
    return photo;
  }

  /** The photo of a contact here by its id (a call names its contact by id). */
  photoOfId(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.photoOf(this.all.find((c) => c.id === id));
  }

  async update(before: Contact, changes: ContactChanges): Promise<{ contact: Contact; watchProblem?: string }> {
    const contact = await this.#api.contacts.update({ id: before.id, changes });
    const watchProblem = await this.#syncWatch(before, contact);
    await this.refresh();
    return watchProblem === undefined ? { contact } : { contact, watchProblem };
  }

  /** A vCard or CSV file's contacts (duplicates skipped); the report says what came in. */
  async import(
    format: 'vcard' | 'csv',
    text: string,
  ): Promise<{ added: number; merged: number; skipped: number; errors: readonly { line: number; reason: string }[]; warnings: readonly { line: number; reason: string }[] }> {
    const report = await this.#api.contacts.import({ format, text, onDuplicate: 'skip' });
    await this.refresh();
    await this.reconcileWatches();
    return report;
  }

  async export(format: 'vcard' | 'csv'): Promise<string> {
    return (await this.#api.contacts.export({ format })).text;
  }

  async remove(contact: Contact): Promise<void> {
    await this.#api.contacts.remove({ id: contact.id });
    await this.#syncWatch(contact, undefined);
    this.all = this.all.filter((c) => c.id !== contact.id);
  }

  /**
   * Watches every contact that asks for it but is not watched yet: one saved while watching was
   * not possible (no account then), or a watch list the core lost. Failures wait for next time.
   */
  async reconcileWatches(): Promise<void> {
    const domain = this.#domain();
    for (const contact of this.all) {
      const target = watchTarget(contact);
      if (target === undefined || watchedEntityOf(contact, this.#presence.watched.values(), domain) !== undefined) continue;
      await this.#presence.watch(target, contact.name, contact.presence, contact.blf).catch(() => undefined);
    }
  }

  /**
   * Makes the watch list follow a contact's change: watch its address (again, with its flags),
   * and stop watching an address no other contact wants.
   */
  async #syncWatch(before: Contact | undefined, after: Contact | undefined): Promise<string | undefined> {
    const domain = this.#domain();
    const old = before === undefined ? undefined : watchTarget(before);
    const next = after === undefined ? undefined : watchTarget(after);
    let problem: string | undefined;
    if (after !== undefined && next !== undefined) {
      try {
        await this.#presence.watch(next, after.name, after.presence, after.blf);
      } catch (e) {
        problem = errorInfo(e).message;
      }
    }
    if (old !== undefined && (next === undefined || !sameAddress(old, next, domain))) {
      const stillWanted = this.all.some((c) => c.id !== before?.id && c.id !== after?.id && watchTarget(c) !== undefined && sameAddress(watchTarget(c) ?? '', old, domain));
      const uri = [...this.#presence.watched.keys()].find((u) => sameAddress(u, old, domain)) ?? addressOfRecord(old, domain) ?? old;
      if (!stillWanted) await this.#presence.unwatch(uri).catch(() => undefined);
    }
    return problem;
  }
}
