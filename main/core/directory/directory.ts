/**
 * The phone's directories (contract `directory.*`): a CardDAV address book synchronised into
 * the contacts both ways (by itself on a schedule, and soon after a change here), and an LDAP
 * directory searched live. Settings live in the DirectoryStore, passwords only in the SecretStore.
 */
import { CardDavSettings, LdapSettings, type CardDavSyncResult, type Contact, type CardDavView, type LdapSettingsInput, type LdapView } from '../../../shared/model.js';
import { parseWith } from '../../../shared/validate.js';
import type { EventHub } from '../events.js';
import type { Logger } from '../log.js';
import type { ContactsStore } from '../store/contacts-store.js';
import type { Db } from '../store/database.js';
import type { SecretStore } from '../store/secret-store.js';
import { CardDavSchedule, type CardDavScheduleOptions } from './carddav-schedule.js';
import { CARDDAV_PASSWORD_KEY, CardDavSync, type CardDavSyncOptions } from './carddav-sync.js';
import { DirectoryError } from './directory-error.js';
import { DirectoryStore, fieldsDigest } from './directory-store.js';
import { LDAP_PASSWORD_KEY, LdapDirectory, checkFilterTemplate, checkTlsSettings, type LdapSearchResult } from './ldap-directory.js';

/** A password change: a string sets it, null forgets it, absent keeps it. */
type PasswordChange = { password?: string | null | undefined };

export class Directory {
  private readonly store: DirectoryStore;
  private readonly carddav: CardDavSync;
  private readonly schedule: CardDavSchedule;
  /** The sync in progress: a second request joins it rather than racing it. */
  private syncing: Promise<CardDavSyncResult> | undefined;
  /** Stops the sync in progress (closing, removing the address book). */
  private stopSync = new AbortController();
  /** After start with no interval: a look for changes made here that did not go up before the phone closed. */
  private pendingCheck: ReturnType<typeof setTimeout> | undefined;
  private readonly startDelayMs: number;

  constructor(
    db: Db,
    private readonly contacts: ContactsStore,
    private readonly secrets: SecretStore,
    private readonly events: EventHub,
    private readonly log: Logger,
    options: { carddav?: CardDavSyncOptions; schedule?: CardDavScheduleOptions } = {},
  ) {
    this.store = new DirectoryStore(db);
    this.carddav = new CardDavSync(this.store, contacts, secrets, options.carddav);
    // A scheduled sync that fails is announced and remembered; nobody awaits it.
    this.schedule = new CardDavSchedule(() => void this.sync().catch(() => undefined), options.schedule);
    this.startDelayMs = options.schedule?.startDelayMs ?? 5_000;
  }

  /** The phone started: the address book syncs shortly after, when it has an interval. */
  start(): void {
    const settings = this.store.get('carddav');
    this.schedule.start(settings === undefined ? undefined : (settings.syncIntervalMinutes ?? 0));
    // With an interval the first sync sends them anyway; without, only they make one (looked for after start-up).
    if (settings !== undefined && (settings.syncIntervalMinutes ?? 0) === 0) {
      this.pendingCheck = setTimeout(() => {
        if (this.store.get('carddav') !== undefined && this.carddav.hasLocalChanges()) this.schedule.changed();
      }, this.startDelayMs);
      this.pendingCheck.unref?.();
    }
  }

  /** Stops the schedule and the sync in progress, and waits for it (before the database closes). */
  async close(): Promise<void> {
    clearTimeout(this.pendingCheck);
    this.schedule.close();
    this.stopSync.abort();
    await this.syncing?.catch(() => undefined);
  }

  /**
   * A contact was added, changed or is about to be removed here: one of the address book's goes
   * up at a sync soon.
   */
  contactChanged(id: string): void {
    if (this.store.get('carddav') === undefined) return;
    if (this.contacts.get(id)?.source?.kind === 'carddav' || this.store.hasItemFor(id)) this.schedule.changed();
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
    this.schedule.configure(settings.syncIntervalMinutes ?? 0);
    return (await this.carddavView())!;
  }

  /** Settings as typed or as the contract delivers them: validated and defaults filled in here. */
  async configureLdap(request: LdapSettingsInput & PasswordChange): Promise<LdapView> {
    const { password, ...given } = request;
    const settings = parseWith(LdapSettings, given, 'ldap') as LdapSettings;
    checkFilterTemplate(settings.filter);
    checkTlsSettings(settings);
    this.store.set('ldap', settings);
    await this.applyPassword(LDAP_PASSWORD_KEY, password);
    return (await this.ldapView())!;
  }

  /**
   * Removes the address book: its settings, its password from the secret store, and the contacts
   * that came only from it (they stay on the server). Contacts with changes not yet sent, and
   * ones made here for it and not yet created there, are kept as contacts of this phone.
   */
  async removeCardDav(): Promise<{ removedContacts: number; keptContacts: number }> {
    if (this.store.get('carddav') === undefined) throw new DirectoryError('not_configured', 'no CardDAV address book is set up');
    this.schedule.configure(undefined);
    // A sync in progress is stopped first: nothing it brings lands after the removal.
    this.stopSync.abort();
    await this.syncing?.catch(() => undefined);
    this.stopSync = new AbortController();
    const counts = { removedContacts: 0, keptContacts: 0 };
    this.store.transaction(() => {
      const keep = (contact: Contact): void => {
        const { source: _source, ...kept } = contact;
        this.contacts.put(kept);
        counts.keptContacts++;
      };
      for (const item of this.store.items().values()) {
        const local = this.contacts.get(item.contactId);
        if (local === undefined) continue;
        if (fieldsDigest(local) !== item.fieldsDigest) keep(local);
        else if (this.contacts.remove(item.contactId)) counts.removedContacts++;
      }
      for (const id of this.store.pendingContactIds()) {
        const local = this.contacts.get(id);
        if (local !== undefined) keep(local);
      }
      this.store.removeAllItems();
      this.store.set('carddav.failure', undefined);
      this.store.set('carddav.state', undefined);
      this.store.set('carddav', undefined);
    });
    await this.secrets.delete(CARDDAV_PASSWORD_KEY);
    this.log.info('carddav address book removed', counts);
    return counts;
  }

  /** Removes the LDAP directory: its settings and its password. Contacts added from it are the user's and stay. */
  async removeLdap(): Promise<null> {
    if (this.store.get('ldap') === undefined) throw new DirectoryError('not_configured', 'no LDAP directory is set up');
    this.store.set('ldap', undefined);
    await this.secrets.delete(LDAP_PASSWORD_KEY);
    this.log.info('ldap directory removed', {});
    return null;
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
    this.schedule.started();
    this.events.emit('directory.sync', { state: 'syncing' });
    try {
      const result = await this.carddav.sync(Date.now(), this.stopSync.signal);
      this.log.info('carddav synced', { mode: result.mode, sent: result.sent, added: result.added, updated: result.updated, removed: result.removed, conflicts: result.conflicts.length });
      this.store.set('carddav.failure', undefined);
      this.schedule.completed(true);
      this.events.emit('directory.sync', { state: 'synced', result });
      return result;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      this.log.warn('carddav sync failed', { error: message });
      if (!this.stopSync.signal.aborted && this.store.get('carddav') !== undefined) this.store.set('carddav.failure', { at: Date.now(), error: message });
      this.schedule.completed(false);
      this.events.emit('directory.sync', { state: 'failed', error: message });
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
    const failure = this.store.get('carddav.failure');
    const nextSyncAt = this.schedule.nextAt;
    return {
      ...settings,
      hasPassword: (await this.secrets.get(CARDDAV_PASSWORD_KEY)) !== undefined,
      ...(state === undefined ? {} : { syncedAddressBookUrl: state.addressBookUrl }),
      ...(state?.lastSync === undefined ? {} : { lastSync: state.lastSync }),
      ...(failure === undefined || failure.at < (state?.lastSync?.at ?? 0) ? {} : { lastFailure: failure }),
      ...(nextSyncAt === undefined ? {} : { nextSyncAt }),
      syncedContacts: this.store.itemCount(),
    };
  }

  private async ldapView(): Promise<LdapView | undefined> {
    const settings = this.store.get('ldap');
    if (settings === undefined) return undefined;
    return { ...settings, hasPassword: (await this.secrets.get(LDAP_PASSWORD_KEY)) !== undefined };
  }
}
