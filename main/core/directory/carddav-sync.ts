/**
 * One CardDAV address book (RFC 6352) kept in step with the contacts store, both ways.
 *
 * Each sync finds the address book (the configured URL, or RFC 6764 discovery), then sends our
 * changes up and brings the server's down.
 *
 * Up (RFC 4918 §9.7, RFC 7232 §3): a synced contact whose card fields (name, organisation,
 * addresses, notes) changed here since the last sync is PUT with If-Match on the ETag we hold,
 * merged into the server's card so properties we do not model survive; one deleted here is
 * DELETEd with If-Match; one made here for the address book (a source without href) is PUT as a
 * new card with If-None-Match: *. A card the server changed meanwhile answers 412 (or shows a
 * newer ETag before we try): it is left to the way down, where the server wins. A change the
 * server refuses outright (4xx: a read-only book, a card too big) is reported and stays here, to
 * be tried again; a server error (5xx) fails the sync.
 *
 * Down:
 * - its sync-token (RFC 6578) is the one we stored: nothing changed;
 * - we hold an older sync-token: a sync-collection REPORT lists what changed and what went,
 *   and an addressbook-multiget fetches the changed cards; a token the server no longer
 *   accepts falls back to a full sync;
 * - no sync-token support: an unchanged CTag (getctag) means nothing changed, else full;
 * - full: every card with its ETag; cards whose ETag we already hold are not rewritten, and
 *   cards we hold that the server no longer has are removed.
 * Conflicts (changed on both sides) are resolved for the server without losing ours: see
 * `CardDavSyncResult`. A synced contact's id is derived from its href, so a card is never added
 * twice.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DAVClient, type DAVAddressBook, type DAVObject } from 'tsdav';
import type { CardDavSettings, CardDavSyncResult, Contact, ContactFields } from '../../../shared/model.js';
import type { ContactsStore } from '../store/contacts-store.js';
import type { SecretStore } from '../store/secret-store.js';
import { DirectoryError } from './directory-error.js';
import { fieldsDigest, type CardDavItem, type DirectoryStore } from './directory-store.js';
import { contactFromVCard, vCardWith } from './vcard.js';
import { ContactFields as ContactFieldsSchema } from '../../../shared/model.js';

export const CARDDAV_PASSWORD_KEY = 'directory:carddav:password';

export interface CardDavSyncOptions {
  /** Bound on a whole sync (discovery, REPORTs, fetches, writes); default 60 s. */
  timeoutMs?: number;
}

type Conflict = CardDavSyncResult['conflicts'][number];
type Refusal = NonNullable<CardDavSyncResult['refused']>[number];

export class CardDavSync {
  constructor(
    private readonly store: DirectoryStore,
    private readonly contacts: ContactsStore,
    private readonly secrets: SecretStore,
    private readonly options: CardDavSyncOptions = {},
  ) {}

  /** Whether changes made here wait to go up: an edited or deleted synced contact, or one made for the address book. */
  hasLocalChanges(): boolean {
    if (this.store.pendingContactIds().length > 0) return true;
    for (const item of this.store.items().values()) {
      const local = this.contacts.get(item.contactId);
      if (local === undefined || fieldsDigest(local) !== item.fieldsDigest) return true;
    }
    return false;
  }

  /** `stop` ends the sync early (the phone is closing, the address book is being removed). */
  async sync(now = Date.now(), stop?: AbortSignal): Promise<CardDavSyncResult> {
    const settings = this.store.get('carddav');
    if (settings === undefined) throw new DirectoryError('not_configured', 'no CardDAV address book is set up');
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    const signal = stop === undefined ? timeout : AbortSignal.any([timeout, stop]);
    const client = new DAVClient({
      serverUrl: settings.serverUrl,
      credentials: { username: settings.username, password: (await this.secrets.get(CARDDAV_PASSWORD_KEY)) ?? '' },
      authMethod: 'Basic',
      defaultAccountType: 'carddav',
      fetchOptions: { signal },
    });
    try {
      return await this.syncWith(client, settings, now);
    } catch (error) {
      if (stop?.aborted === true) throw new DirectoryError('server', 'the sync was stopped');
      throw toDirectoryError(error, signal);
    }
  }

  private async syncWith(client: DAVClient, settings: CardDavSettings, now: number): Promise<CardDavSyncResult> {
    await client.login();
    let book = await findAddressBook(client, settings);
    let state = this.store.get('carddav.state');
    // Another address book than last time: what we hold is from the old one, a full sync replaces it.
    if (state !== undefined && state.addressBookUrl !== book.url) state = undefined;
    const { sent, tried, refused } = await this.send(client, book, state !== undefined);
    // Our writes moved the sync-token on, or a 412 said someone else's did: read it again.
    if (tried) book = await findAddressBook(client, settings);
    const unchanged =
      state !== undefined &&
      ((book.syncToken !== undefined && state.syncToken === book.syncToken) ||
        (book.syncToken === undefined && book.ctag !== undefined && state.ctag === book.ctag));
    let changes: { cards: DAVObject[]; gone: string[] } | undefined;
    let mode: CardDavSyncResult['mode'] = 'incremental';
    if (unchanged) changes = { cards: [], gone: [] };
    else if (state?.syncToken !== undefined && book.syncToken !== undefined) changes = await this.changesSince(client, book, state.syncToken);
    if (changes === undefined) {
      mode = 'full';
      const cards = await client.fetchVCards({ addressBook: book });
      const seen = new Set(cards.map((card) => card.url));
      changes = { cards, gone: [...this.store.items().keys()].filter((href) => !seen.has(href)) };
    }
    const result = { ...this.apply(changes.cards, changes.gone, mode, now), sent, ...(refused.length === 0 ? {} : { refused: refused.slice(0, 1000) }) };
    this.store.set('carddav.state', {
      addressBookUrl: book.url,
      ...(book.syncToken === undefined ? {} : { syncToken: book.syncToken }),
      ...(book.ctag === undefined ? {} : { ctag: book.ctag }),
      lastSync: result,
    });
    return result;
  }

  /**
   * Our changes up: edits and deletions of synced contacts (only when `sameBook`: the cards we
   * hold are this address book's), and contacts made here for it. Returns how many went, and
   * whether any write was tried.
   */
  private async send(client: DAVClient, book: DAVAddressBook, sameBook: boolean): Promise<{ sent: number; tried: boolean; refused: Refusal[] }> {
    let sent = 0;
    const refused: Refusal[] = [];
    /** Whether the answer lets the work go on: a 4xx is noted for the user, a 5xx fails the sync. */
    const accepted = async (response: Response, contactId: string, name: string): Promise<boolean> => {
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return true;
      if (response.status >= 500) throw new DirectoryError('server', `CardDAV: the server failed on ${name}: HTTP ${response.status}`);
      refused.push({ contactId, name, status: response.status });
      return false;
    };
    const edited: { item: CardDavItem; local: Contact }[] = [];
    const deleted: CardDavItem[] = [];
    if (sameBook) {
      for (const item of this.store.items().values()) {
        const local = this.contacts.get(item.contactId);
        if (local === undefined) deleted.push(item);
        else if (fieldsDigest(local) !== item.fieldsDigest) edited.push({ item, local });
      }
    }
    const touched = [...edited.map((e) => e.item.href), ...deleted.map((item) => item.href)];
    const server = await fetchExisting(client, book, touched);
    let tried = false;
    for (const { item, local } of edited) {
      const card = server.get(item.href);
      // Gone or changed on the server: the way down resolves it (the server wins).
      if (card === undefined || item.etag === '' || card.etag !== item.etag) continue;
      const before = contactFromVCard(card.data as string);
      if (before !== undefined && fieldsDigest(before) === fieldsDigest(local)) {
        // The card already says what ours does: nothing to send.
        this.store.putItem({ ...item, fieldsDigest: fieldsDigest(local) });
        continue;
      }
      const text = vCardWith(local, { text: card.data as string });
      tried = true;
      const response = await client.updateVCard({ vCard: { url: item.href, etag: item.etag, data: text } });
      if (response.status === 412 || response.status === 404) continue;
      if (!(await accepted(response, local.id, local.name))) continue;
      // No ETag in the answer: left empty, the way down reads the card back.
      this.store.putItem({ ...item, etag: response.headers.get('etag') ?? '', fieldsDigest: fieldsDigest(local) });
      sent++;
    }
    for (const item of deleted) {
      const card = server.get(item.href);
      if (card === undefined) {
        this.store.removeItem(item.href);
        continue;
      }
      if (item.etag === '' || card.etag !== item.etag) continue;
      tried = true;
      const response = await client.deleteVCard({ vCard: { url: item.href, etag: item.etag } });
      if (response.status === 412) continue;
      if (response.status !== 404 && !(await accepted(response, item.contactId, contactFromVCard(card.data as string)?.name ?? item.contactId))) continue;
      this.store.removeItem(item.href);
      sent++;
    }
    for (const id of this.store.pendingContactIds()) {
      const local = this.contacts.get(id);
      if (local === undefined) continue;
      const uid = randomUUID();
      const filename = `${uid}.vcf`;
      tried = true;
      const response = await client.createVCard({ addressBook: book, filename, vCardString: vCardWith(local, { uid }) });
      if (!(await accepted(response, local.id, local.name))) continue;
      const href = new URL(filename, withSlash(book.url)).href;
      this.store.transaction(() => {
        // Read again: the user may have changed it while it was on its way (the digest tells the next sync).
        const current = this.contacts.get(id);
        if (current !== undefined) this.contacts.put({ ...current, source: { kind: 'carddav', href } });
        this.store.putItem({ href, contactId: id, etag: response.headers.get('etag') ?? '', fieldsDigest: fieldsDigest(local) });
      });
      sent++;
    }
    return { sent, tried, refused };
  }

  /** RFC 6578 §3.8: changed members come with their ETag, removed ones with 404; undefined if the token is refused. */
  private async changesSince(client: DAVClient, book: DAVAddressBook, syncToken: string): Promise<{ cards: DAVObject[]; gone: string[] } | undefined> {
    let responses;
    try {
      responses = await client.syncCollection({ url: book.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken });
    } catch {
      return undefined;
    }
    // A refused token comes back as one failed response (403 with DAV:valid-sync-token, §3.2).
    if (responses.some((r) => !r.ok && r.status !== 404)) return undefined;
    const held = this.store.items();
    const changed: string[] = [];
    const gone: string[] = [];
    for (const response of responses) {
      if (response.href === undefined) continue;
      const href = new URL(response.href, book.url).href;
      if (href === book.url) continue;
      const etag: unknown = response.props?.['getetag'];
      if (response.status === 404 || typeof etag !== 'string') gone.push(href);
      else if (held.get(href)?.etag !== etag) changed.push(href);
    }
    const cards = changed.length === 0 ? [] : await client.fetchVCards({ addressBook: book, objectUrls: changed });
    return { cards, gone };
  }

  private apply(cards: DAVObject[], gone: string[], mode: CardDavSyncResult['mode'], now: number): CardDavSyncResult {
    const counts = { added: 0, updated: 0, removed: 0, skipped: 0 };
    const conflicts: Conflict[] = [];
    this.store.transaction(() => {
      const held = this.store.items();
      for (const card of cards) {
        const href = card.url;
        const item = held.get(href);
        const local = item === undefined ? undefined : this.contacts.get(item.contactId);
        const edited = item !== undefined && local !== undefined && fieldsDigest(local) !== item.fieldsDigest;
        // The card did not change: nothing to take (a change of ours made meanwhile goes up at the next sync).
        if (item !== undefined && card.etag !== undefined && item.etag === card.etag) continue;
        const parsed = typeof card.data === 'string' ? contactFromVCard(card.data) : undefined;
        if (parsed === undefined) {
          counts.skipped++;
          continue;
        }
        const contactId = item?.contactId ?? contactIdFor(href);
        // A synced contact keeps the user's own flags (favourite, presence watch); the card's fields are the server's.
        const fields: ContactFields = ContactFieldsSchema.parse({
          ...parsed,
          favourite: local?.favourite ?? false,
          presence: local?.presence ?? false,
          blf: local?.blf ?? false,
          source: { kind: 'carddav', href },
        });
        if (edited) {
          // Changed on both sides: the server wins; ours stays, as a contact of this phone only.
          const keptAs = this.keepAside(local);
          this.contacts.put(keptAs);
          conflicts.push({ contactId, name: local.name, resolution: 'server-updated', keptAs: keptAs.id });
        } else if (item !== undefined && local === undefined) {
          // Deleted here, changed there (the delete met a 412): the server's copy comes back.
          conflicts.push({ contactId, name: parsed.name, resolution: 'server-restored' });
        }
        // A photo set here stays (the phone's wins); a contact without one takes the card's.
        const { photo, ...cardFields } = fields;
        this.contacts.put({ id: contactId, ...cardFields, ...(local?.photoTag !== undefined ? { photoTag: local.photoTag } : photo === undefined ? {} : { photo }) });
        this.store.putItem({ href, contactId, etag: card.etag ?? '', fieldsDigest: fieldsDigest(fields) });
        if (local === undefined) counts.added++;
        else counts.updated++;
      }
      for (const href of gone) {
        const item: CardDavItem | undefined = held.get(href);
        if (item === undefined) continue;
        const local = this.contacts.get(item.contactId);
        if (local !== undefined) {
          if (fieldsDigest(local) !== item.fieldsDigest) {
            // Edited here, deleted there: ours stays, no longer in the address book.
            const { source: _source, ...kept } = local;
            this.contacts.put(kept);
            conflicts.push({ contactId: item.contactId, name: local.name, resolution: 'server-removed', keptAs: local.id });
          } else {
            this.contacts.remove(item.contactId);
            counts.removed++;
          }
        }
        this.store.removeItem(href);
      }
    });
    return { at: now, mode, ...counts, conflicts: conflicts.slice(0, 1000) };
  }

  /** Our version of a contact the server's copy replaces: a new contact, here only, with its photo. */
  private keepAside(local: Contact): Contact {
    const { source: _source, id, photoTag: _tag, ...fields } = local;
    const photo = this.contacts.photo(id);
    return { ...fields, ...(photo === undefined ? {} : { photo }), id: `contact-${randomBytes(6).toString('hex')}` };
  }
}

/**
 * The cards at `hrefs` that the server still has, with their data and ETag. One multiget; a
 * server that fails the whole REPORT for a missing member (Radicale: 404) is asked card by card.
 */
async function fetchExisting(client: DAVClient, book: DAVAddressBook, hrefs: string[]): Promise<Map<string, DAVObject>> {
  const found = new Map<string, DAVObject>();
  const keep = (cards: DAVObject[]): void => {
    for (const card of cards) if (typeof card.data === 'string' && card.data !== '') found.set(card.url, card);
  };
  if (hrefs.length === 0) return found;
  try {
    keep(await client.fetchVCards({ addressBook: book, objectUrls: hrefs }));
    return found;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  for (const href of hrefs) {
    try {
      keep(await client.fetchVCards({ addressBook: book, objectUrls: [href] }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return found;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /\b404\b/.test(error.message);
}

async function findAddressBook(client: DAVClient, settings: CardDavSettings): Promise<DAVAddressBook> {
  const books = await client.fetchAddressBooks();
  if (settings.addressBookUrl === undefined) {
    const first = books[0];
    if (first === undefined) throw new DirectoryError('no_address_book', `no address book found at ${settings.serverUrl}`);
    return first;
  }
  const wanted = withSlash(settings.addressBookUrl);
  const book = books.find((b) => withSlash(b.url) === wanted);
  if (book === undefined) throw new DirectoryError('no_address_book', `no address book at ${settings.addressBookUrl}`, 'addressBookUrl');
  return book;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Stable per card: the same href is always the same contact. */
function contactIdFor(href: string): string {
  return `carddav-${createHash('sha256').update(href).digest('hex').slice(0, 32)}`;
}


/** tsdav reports HTTP failures as plain errors and as empty results; these are the ones we can name. */
function toDirectoryError(error: unknown, signal: AbortSignal): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (signal.aborted || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return new DirectoryError('timeout', 'the CardDAV server did not answer in time');
  }
  if (/\b40[13]\b|unauthori[sz]ed|forbidden|Invalid credentials/i.test(message)) return new DirectoryError('authentication', `the CardDAV server refused the credentials: ${message}`);
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|certificate/i.test(message) || (error instanceof TypeError && error.cause !== undefined)) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new DirectoryError('unreachable', `cannot reach the CardDAV server${cause}`);
  }
  return new DirectoryError('server', `CardDAV: ${message}`);
}
