/**
 * The phone's directories (contract `directory.*`): a CardDAV address book synchronised into
 * the contacts, and an LDAP directory searched live. Settings live in the DirectoryStore,
 * passwords only in the SecretStore.
 */
import { CardDavSettings, LdapSettings, type CardDavSyncResult, type CardDavView, type LdapSettingsInput, type LdapView } from '../../../shared/model.js';
import { parseWith } from '../../../shared/validate.js';
import type { EventHub } from '../events.js';
import type { Logger } from '../log.js';
import type { ContactsStore } from '../store/contacts-store.js';
import type { Db } from '../store/database.js';
import type { SecretStore } from '../store/secret-store.js';
import { CARDDAV_PASSWORD_KEY, CardDavSync, type CardDavSyncOptions } from './carddav-sync.js';
import { DirectoryError } from './directory-error.js';
import { DirectoryStore } from './directory-store.js';
import { LDAP_PASSWORD_KEY, LdapDirectory, checkFilterTemplate, type LdapSearchResult } from './ldap-directory.js';

/** A password change: a string sets it, null forgets it, absent keeps it. */
type PasswordChange = { password?: string | null | undefined };

export class Directory {
  private readonly store: DirectoryStore;
  private readonly carddav: CardDavSync;
  /** The sync in progress: a second request joins it rather than racing it. */
  private syncing: Promise<CardDavSyncResult> | undefined;

  constructor(
    db: Db,
    contacts: ContactsStore,
    private readonly secrets: SecretStore,
    private readonly events: EventHub,
    private readonly log: Logger,
    options: { carddav?: CardDavSyncOptions } = {},
  ) {
    this.store = new DirectoryStore(db);
    this.carddav = new CardDavSync(this.store, contacts, secrets, options.carddav);
  }

  async get(): Promise<{ carddav?: CardDavView; ldap?: LdapView }> {
    const [carddav, ldap] = await Promise.all([this.carddavView(), this.ldapView()]);
    return { ...(carddav === undefined ? {} : { carddav }), ...(ldap === undefined ? {} : { ldap }) };
  }

  async configureCardDav(request: CardDavSettings & PasswordChange): Promise<CardDavView> {
    const { password, ...given } = request;
    const settings = parseWith(CardDavSettings, given, 'carddav') as CardDavSettings;
    this.store.set('carddav', settings);
    await this.applyPassword(CARDDAV_PASSWORD_KEY, password);
    return (await this.carddavView())!;
  }

  /** Settings as typed or as the contract delivers them: validated and defaults filled in here. */
  async configureLdap(request: LdapSettingsInput & PasswordChange): Promise<LdapView> {
    const { password, ...given } = request;
    const settings = parseWith(LdapSettings, given, 'ldap') as LdapSettings;
    checkFilterTemplate(settings.filter);
    this.store.set('ldap', settings);
    await this.applyPassword(LDAP_PASSWORD_KEY, password);
    return (await this.ldapView())!;
  }

  /** Synchronises the address book, announcing `directory.sync` as it starts and ends. */
  sync(): Promise<CardDavSyncResult> {
    this.syncing ??= this.runSync().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  async search(query: string, limit?: number): Promise<LdapSearchResult> {
    const settings = this.store.get('ldap');
    if (settings === undefined) throw new DirectoryError('not_configured', 'no LDAP directory is set up');
    const directory = new LdapDirectory(settings, await this.secrets.get(LDAP_PASSWORD_KEY));
    return directory.search(query, limit);
  }

  private async runSync(): Promise<CardDavSyncResult> {
    this.events.emit('directory.sync', { state: 'syncing' });
    try {
      const result = await this.carddav.sync();
      this.log.info('carddav synced', { mode: result.mode, added: result.added, updated: result.updated, removed: result.removed, conflicts: result.conflicts.length });
      this.events.emit('directory.sync', { state: 'synced', result });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn('carddav sync failed', { error: message });
      this.events.emit('directory.sync', { state: 'failed', error: message.slice(0, 500) });
      throw error;
    }
  }

  private async applyPassword(key: string, password: string | null | undefined): Promise<void> {
    if (password === null) await this.secrets.delete(key);
    else if (password !== undefined) await this.secrets.set(key, password);
  }

  private async carddavView(): Promise<CardDavView | undefined> {
    const settings = this.store.get('carddav');
    if (settings === undefined) return undefined;
    const state = this.store.get('carddav.state');
    return {
      ...settings,
      hasPassword: (await this.secrets.get(CARDDAV_PASSWORD_KEY)) !== undefined,
      ...(state === undefined ? {} : { syncedAddressBookUrl: state.addressBookUrl }),
      ...(state?.lastSync === undefined ? {} : { lastSync: state.lastSync }),
      syncedContacts: this.store.itemCount(),
    };
  }

  private async ldapView(): Promise<LdapView | undefined> {
    const settings = this.store.get('ldap');
    if (settings === undefined) return undefined;
    return { ...settings, hasPassword: (await this.secrets.get(LDAP_PASSWORD_KEY)) !== undefined };
  }
}
