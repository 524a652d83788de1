/**
 * The call history the History screen shows (one filter, pages loaded on demand, new calls
 * added as they end) and the missed-calls counter the navigation shows.
 */
import type { HistoryEntry } from '../../../shared/model.js';
import type { PhoneApi } from '../../../shared/phone-api.js';
import type { Listen } from './events.js';
import { HISTORY_PAGE, matchesFilter, mergeHistory, nextPageBefore, unseenMissed, type HistoryFilter } from './history.js';

export class HistoryState {
  /** Missed calls not looked at yet. */
  missed = $state(0);
  filter = $state<HistoryFilter>('all');
  entries = $state.raw<HistoryEntry[]>([]);
  /** The last page was full: there may be more. */
  hasMore = $state(false);
  loading = $state(false);
  /** The last call we placed, whatever the filter: what Redial calls. */
  lastOutgoing = $state.raw<HistoryEntry | undefined>(undefined);

  readonly #api: PhoneApi;
  #markingSeen = false;
  /** Bumped by each load, so a slow answer for a former filter is dropped. */
  #generation = 0;

  constructor(api: PhoneApi) {
    this.#api = api;
  }

  start(on: Listen): void {
    on('history.entry', (entry) => {
      if (entry.direction === 'outgoing' && entry.startedAt >= (this.lastOutgoing?.startedAt ?? 0)) this.lastOutgoing = entry;
      if (matchesFilter(entry, this.filter)) this.entries = mergeHistory(this.entries, [entry]);
    });
    on('history.missed', ({ count }) => (this.missed = count));
  }

  async refresh(): Promise<void> {
    const missed = await this.#api.history.list({ filter: 'missed', limit: 1000 });
    this.missed = unseenMissed(missed);
    this.lastOutgoing = (await this.#api.history.list({ filter: 'outgoing', limit: 1 }))[0];
    await this.load(this.filter);
  }

  /** The first page of a filter. */
  async load(filter: HistoryFilter): Promise<void> {
    const generation = ++this.#generation;
    this.filter = filter;
    this.loading = true;
    try {
      const page = await this.#api.history.list({ filter, limit: HISTORY_PAGE });
      if (generation !== this.#generation) return;
      this.entries = page;
      this.hasMore = page.length === HISTORY_PAGE;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    const before = nextPageBefore(this.entries);
    if (before === undefined) return;
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const page = await this.#api.history.list({ filter: this.filter, limit: HISTORY_PAGE, before });
      if (generation !== this.#generation) return;
      this.entries = mergeHistory(this.entries, page);
      this.hasMore = page.length === HISTORY_PAGE;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async remove(id: string): Promise<void> {
    await this.#api.history.remove({ id });
    this.entries = this.entries.filter((e) => e.id !== id);
    if (this.lastOutgoing?.id === id) this.lastOutgoing = undefined;
  }

  /** The user is looking at the history: the missed counter goes back to zero. */
  async markSeen(): Promise<void> {
    if (this.#markingSeen) return;
    this.#markingSeen = true;
    try {
      this.missed = (await this.#api.history.markSeen({})).missed;
    } finally {
      this.#markingSeen = false;
    }
  }
}
