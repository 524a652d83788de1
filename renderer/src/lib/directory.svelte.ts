/**
 * The directories as the UI sees them (contract `directory.*`): the CardDAV and LDAP settings
 * without passwords, and the CardDAV sync state kept current by `directory.sync` events.
 */
import type { CardDavSettings, CardDavSyncResult, CardDavSyncState, CardDavView, DirectoryEntry, LdapSettingsInput, LdapView } from '../../../shared/model.js';
import type { PhoneApi } from '../../../shared/phone-api.js';
import { listenChecked } from './events.js';
import { getPhone } from './phone.js';

/** A password change: a string sets it, null forgets it, absent keeps it (as the contract has it). */
export type PasswordChange = { password?: string | null };

export class DirectoryState {
  carddav = $state.raw<CardDavView | undefined>(undefined);
  ldap = $state.raw<LdapView | undefined>(undefined);
  /** The latest `directory.sync` event; absent until a sync starts in this session. */
  sync = $state.raw<CardDavSyncState | undefined>(undefined);
  loaded = $state(false);

  readonly #api: PhoneApi;
  /** Plain, not reactive: only called, never drawn. */
  #synced: ((result: CardDavSyncResult) => void)[] = [];

  constructor(api: PhoneApi) {
    this.#api = api;
    listenChecked(api, 'directory.sync', (state) => {
      this.sync = state;
      if (state.state === 'synced' && state.result !== undefined) {
        const result = state.result;
        if (this.carddav !== undefined) {
          const { lastFailure: _gone, ...carddav } = this.carddav;
          this.carddav = { ...carddav, lastSync: result };
        }
        for (const handler of this.#synced) handler(result);
      }
      // A scheduled sync ended: the view says when the next is due, and the failure it keeps.
      if (state.state !== 'syncing' && this.loaded) void this.refreshCardDav();
    });
  }

  /** Runs `handler` after each successful sync (the contacts changed); returns what undoes it. */
  onSynced(handler: (result: CardDavSyncResult) => void): () => void {
    this.#synced = [...this.#synced, handler];
    return () => {
      this.#synced = this.#synced.filter((h) => h !== handler);
    };
  }

  async refresh(): Promise<void> {
    const { carddav, ldap } = await this.#api.directory.get({});
    this.carddav = carddav;
    this.ldap = ldap;
    this.loaded = true;
  }

  private async refreshCardDav(): Promise<void> {
    try {
      this.carddav = (await this.#api.directory.get({})).carddav;
    } catch {
      // The next event or visit tries again; what is shown stays.
    }
  }

  async configureCardDav(settings: CardDavSettings & PasswordChange): Promise<void> {
    this.carddav = await this.#api.directory.configureCardDav(settings);
  }

  /** Removes the address book here (settings, password, its contacts); says how many contacts went and stayed. */
  async removeCardDav(): Promise<{ removedContacts: number; keptContacts: number }> {
    const result = await this.#api.directory.removeCardDav({});
    this.carddav = undefined;
    this.sync = undefined;
    return result;
  }

  async removeLdap(): Promise<void> {
    await this.#api.directory.removeLdap({});
    this.ldap = undefined;
  }

  async configureLdap(settings: LdapSettingsInput & PasswordChange): Promise<void> {
    this.ldap = await this.#api.directory.configureLdap(settings);
  }

  /** Synchronises now; the progress shows through the `directory.sync` events. */
  async syncCardDav(): Promise<CardDavSyncResult> {
    const result = await this.#api.directory.syncCardDav({});
    if (this.carddav !== undefined) this.carddav = { ...this.carddav, lastSync: result };
    // The view also says which address book discovery found.
    await this.refresh().catch(() => undefined);
    return result;
  }

  async search(query: string): Promise<{ entries: DirectoryEntry[]; truncated: boolean }> {
    return this.#api.directory.search({ query: query.trim().slice(0, 128) });
  }
}

let shared: DirectoryState | undefined;

/** The page's one DirectoryState, over the page's one PhoneApi (its events are listened to once). */
export function directoryState(): DirectoryState {
  shared ??= new DirectoryState(getPhone().api);
  return shared;
}

/** A search this long reaches the directory; shorter ones would match half of it. */
export const DIRECTORY_MIN_QUERY = 3;
