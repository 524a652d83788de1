/**
 * One CardDAV address book (RFC 6352) kept in step with the contacts store, read-only: cards
 * come down, nothing goes up. Edits made here to a synced contact are overwritten by the
 * server's copy at the next sync and reported as conflicts (the server wins).
 *
 * Each sync finds the address book (the configured URL, or RFC 6764 discovery), then:
 * - its sync-token (RFC 6578) is the one we stored: nothing changed;
 * - we hold an older sync-token: a sync-collection REPORT lists what changed and what went,
 *   and an addressbook-multiget fetches the changed cards; a token the server no longer
 *   accepts falls back to a full sync;
 * - no sync-token support: an unchanged CTag (getctag) means nothing changed, else full;
 * - full: every card with its ETag; cards whose ETag we already hold are not rewritten, and
 *   cards we hold that the server no longer has are removed.
 * A synced contact's id is derived from its href, so a card is never added twice.
 */
import { createHash } from 'node:crypto';
import { DAVClient, type DAVAddressBook, type DAVObject } from 'tsdav';
import type { CardDavSettings, CardDavSyncResult, ContactFields } from '../../../shared/model.js';
import type { ContactsStore } from '../store/contacts-store.js';
import type { SecretStore } from '../store/secret-store.js';
import { DirectoryError } from './directory-error.js';
import { fieldsDigest, type CardDavItem, type DirectoryStore } from './directory-store.js';
import { contactFromVCard } from './vcard.js';
import { ContactFields as ContactFieldsSchema } from '../../../shared/model.js';

export const CARDDAV_PASSWORD_KEY = 'directory:carddav:password';

export interface CardDavSyncOptions {
  /** Bound on a whole sync (discovery, REPORTs, fetches); default 60 s. */
  timeoutMs?: number;
}

type Conflict = CardDavSyncResult['conflicts'][number];

export class CardDavSync {
  constructor(
    private readonly store: DirectoryStore,
    private readonly contacts: ContactsStore,
    private readonly secrets: SecretStore,
    private readonly options: CardDavSyncOptions = {},
  ) {}

  async sync(now = Date.now()): Promise<CardDavSyncResult> {
    const settings = this.store.get('carddav');
    if (settings === undefined) throw new DirectoryError('not_configured', 'no CardDAV address book is set up');
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
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
      throw toDirectoryError(error, signal);
    }
  }

  private async syncWith(client: DAVClient, settings: CardDavSettings, now: number): Promise<CardDavSyncResult> {
    await client.login();
    const book = await findAddressBook(client, settings);
    let state = this.store.get('carddav.state');
    // Another address book than last time: what we hold is from the old one, a full sync replaces it.
    if (state !== undefined && state.addressBookUrl !== book.url) state = undefined;
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
    const result = this.apply(changes.cards, changes.gone, mode, now);
    this.store.set('carddav.state', {
      addressBookUrl: book.url,
      ...(book.syncToken === undefined ? {} : { syncToken: book.syncToken }),
      ...(book.ctag === undefined ? {} : { ctag: book.ctag }),
      lastSync: result,
    });
    return result;
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
        const edited = item !== undefined && local !== undefined && fieldsDigestOf(local) !== item.fieldsDigest;
        if (item !== undefined && local !== undefined && !edited && item.etag === card.etag) continue;
        const parsed = typeof card.data === 'string' ? contactFromVCard(card.data) : undefined;
        if (parsed === undefined) {
          counts.skipped++;
          continue;
        }
        const contactId = item?.contactId ?? contactIdFor(href);
        // A synced contact keeps the user's own flags (favourite, presence watch); the rest is the server's.
        const fields: ContactFields = ContactFieldsSchema.parse({
          ...parsed,
          favourite: local?.favourite ?? false,
          presence: local?.presence ?? false,
          blf: local?.blf ?? false,
          source: { kind: 'carddav', href },
        });
        if (edited) conflicts.push({ contactId, name: local.name, resolution: 'server-updated' });
        this.contacts.put({ id: contactId, ...fields });
        this.store.putItem({ href, contactId, etag: card.etag ?? '', fieldsDigest: fieldsDigest(fields) });
        if (local === undefined) counts.added++;
        else counts.updated++;
      }
      for (const href of gone) {
        const item: CardDavItem | undefined = held.get(href);
        if (item === undefined) continue;
        const local = this.contacts.get(item.contactId);
        if (local !== undefined) {
          if (fieldsDigestOf(local) !== item.fieldsDigest) conflicts.push({ contactId: item.contactId, name: local.name, resolution: 'server-removed' });
          this.contacts.remove(item.contactId);
          counts.removed++;
        }
        this.store.removeItem(href);
      }
    });
    return { at: now, mode, ...counts, conflicts: conflicts.slice(0, 1000) };
  }
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

function fieldsDigestOf(contact: { id: string } & ContactFields): string {
  const { id: _id, ...fields } = contact;
  return fieldsDigest(fields);
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
