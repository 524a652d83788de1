/**
 * How each event or result changes the renderer's copies of the core's state. Pure functions
 * that return new arrays, so the stores can keep them in `$state.raw` and tests need no Svelte.
 */
import type { AccountStatus, AccountView, CallState, CallView, SipLogEntry } from '../../../shared/model.js';

export function upsertAccount(accounts: readonly AccountView[], account: AccountView): AccountView[] {
  const index = accounts.findIndex((a) => a.id === account.id);
  return index < 0 ? [...accounts, account] : accounts.with(index, account);
}

/** `undefined` when the account is not known here yet (the caller reloads the list). */
export function applyAccountStatus(accounts: readonly AccountView[], status: AccountStatus): AccountView[] | undefined {
  const index = accounts.findIndex((a) => a.id === status.accountId);
  const account = accounts[index];
  return account === undefined ? undefined : accounts.with(index, { ...account, status });
}

export function removeAccount(accounts: readonly AccountView[], id: string): AccountView[] {
  return accounts.filter((a) => a.id !== id);
}

/** How far along its life a call is: a call never goes back (see `CallState` in the model). */
const progress: Record<CallState, number> = {
  calling: 0,
  incoming: 0,
  ringing: 1,
  early: 1,
  connecting: 2,
  established: 3,
  terminating: 4,
  terminated: 5,
};

/**
 * The list holds the calls that are not over, like `calls.list`: a terminated call leaves it.
 * A request's result can arrive after an event that reported a later state; it is ignored.
 */
export function upsertCall(calls: readonly CallView[], call: CallView): CallView[] {
  const index = calls.findIndex((c) => c.id === call.id);
  const known = calls[index];
  if (call.state === 'terminated') return known === undefined ? [...calls] : calls.toSpliced(index, 1);
  if (known === undefined) return [...calls, call];
  return progress[call.state] < progress[known.state] ? [...calls] : calls.with(index, call);
}

export function appendBounded<T>(list: readonly T[], item: T, max: number): T[] {
  const start = Math.max(0, list.length + 1 - max);
  return [...list.slice(start), item];
}

export const SIP_LOG_LIMIT = 500;

export function appendSipLog(log: readonly SipLogEntry[], entry: SipLogEntry): SipLogEntry[] {
  return appendBounded(log, entry, SIP_LOG_LIMIT);
}

/** The last `limit` ids added, oldest forgotten first: e.g. the calls seen to end. */
export class RecentIds {
  readonly #ids = new Set<string>();
  constructor(readonly limit: number) {}
  add(id: string): void {
    this.#ids.delete(id);
    this.#ids.add(id);
    for (const oldest of this.#ids) {
      if (this.#ids.size <= this.limit) break;
      this.#ids.delete(oldest);
    }
  }
  has(id: string): boolean {
    return this.#ids.has(id);
  }
}
