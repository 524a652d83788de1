/**
 * The user's accounts: what they configured (in the store), their password (in the
 * `SecretStore`) and their live registration status (in memory, announced as events).
 */
import { randomBytes } from 'node:crypto';
import type { AccountChanges, AccountFields, AccountStatus, AccountView } from '../../../shared/model.js';
import { AccountFields as AccountFieldsSchema } from '../../../shared/model.js';
import { PhoneError } from '../../../shared/errors.js';
import type { EventHub } from '../events.js';
import type { AccountsStore, StoredAccount } from '../store/accounts-store.js';
import { passwordKey, type SecretStore } from '../store/secret-store.js';

export class Accounts {
  private readonly status = new Map<string, AccountStatus>();

  constructor(
    private readonly store: AccountsStore,
    private readonly secrets: SecretStore,
    private readonly events: EventHub,
  ) {}

  async list(): Promise<AccountView[]> {
    return Promise.all(this.store.list().map((account) => this.view(account)));
  }

  /** The accounts in use, in the user's order. */
  enabled(): StoredAccount[] {
    return this.store.list().filter((a) => a.enabled);
  }

  get(id: string): StoredAccount {
    const account = this.store.list().find((a) => a.id === id);
    if (account === undefined) throw new PhoneError('not_found', `no account ${id}`, 'id');
    return account;
  }

  async add(fields: AccountFields, id: string = newAccountId()): Promise<AccountView> {
    const { password, ...rest } = fields;
    const clash = this.store.list().find((a) => a.id !== id && a.user === rest.user && sameHost(a.domain, rest.domain));
    if (clash !== undefined) {
      throw new PhoneError('conflict', `${rest.user}@${rest.domain} is already account ${clash.id}`, 'user');
    }
    const account: StoredAccount = { id, ...rest };
    this.store.put(account);
    if (password !== undefined) await this.secrets.set(passwordKey(id), password);
    return this.view(account);
  }

  /** Applies changes; a field set to null is removed (a cleared password is forgotten). */
  async update(id: string, changes: AccountChanges): Promise<AccountView> {
    const current = this.get(id);
    const { id: _id, ...currentFields } = current;
    const fields: Record<string, unknown> = { ...currentFields };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete fields[key];
      else if (value !== undefined) fields[key] = value;
    }
    const merged = AccountFieldsSchema.parse(fields);
    if (changes.password === null) await this.secrets.delete(passwordKey(id));
    return this.add(merged, id);
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    this.store.remove(id);
    await this.secrets.delete(passwordKey(id));
    this.status.delete(id);
  }

  statusOf(id: string): AccountStatus {
    return this.status.get(id) ?? { accountId: id, state: 'unregistered' };
  }

  setStatus(status: AccountStatus): void {
    this.status.set(status.accountId, status);
    this.events.emit('account.state', status);
  }

  async viewOf(id: string): Promise<AccountView> {
    return this.view(this.get(id));
  }

  private async view(account: StoredAccount): Promise<AccountView> {
    const hasPassword = (await this.secrets.get(passwordKey(account.id))) !== undefined;
    return { ...account, hasPassword, status: this.statusOf(account.id) };
  }
}

function newAccountId(): string {
  return `acc-${randomBytes(6).toString('hex')}`;
}

/** Host names compare case-insensitively (RFC 3261 §19.1.4). */
function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
