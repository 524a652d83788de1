/**
 * Which accounts carry a per-account usage — our presence publication, the voicemail
 * subscription: one is kept while its account is enabled, wants it and is not unregistered
 * (a re-registration keeps it), and started once the account is registered.
 */
import type { StoredAccount } from '../store/accounts-store.js';
import type { Accounts } from './accounts.js';

/** The little of `Accounts` this needs (presence and voicemail narrow it the same way). */
export type AccountsView = Pick<Accounts, 'enabled' | 'statusOf'>;

export function accountUsages(accounts: AccountsView, wants: (account: StoredAccount) => boolean): { keep: ReadonlySet<string>; start: ReadonlyMap<string, StoredAccount> } {
  const keep = new Set<string>();
  const start = new Map<string, StoredAccount>();
  for (const account of accounts.enabled()) {
    if (!wants(account)) continue;
    const state = accounts.statusOf(account.id).state;
    if (state === 'unregistered' || state === 'unregistering') continue;
    keep.add(account.id);
    if (state === 'registered') start.set(account.id, account);
  }
  return { keep, start };
}
