/** Past calls as rows, newest first, with the missed calls the user has not seen yet. */
import { HistoryEntry } from '../../../shared/model.js';
import type { Db } from './database.js';

interface Row {
  id: string;
  account_id: string;
  direction: string;
  remote_uri: string;
  remote_name: string | null;
  started_at: number;
  answered_at: number | null;
  ended_at: number;
  outcome: string;
  code: number | null;
  reason: string | null;
  codec: string | null;
  mos: number | null;
  loss: number | null;
  transfer: string | null;
  seen: number;
}

export type HistoryFilter = 'all' | 'missed' | 'incoming' | 'outgoing';

const filters: Record<HistoryFilter, string> = {
  all: '1 = 1',
  missed: "outcome = 'missed'",
  incoming: "direction = 'incoming'",
  outgoing: "direction = 'outgoing'",
};

export class HistoryStore {
  constructor(private readonly db: Db) {}

  put(entry: HistoryEntry): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO call_history
           (id, account_id, direction, remote_uri, remote_name, started_at, answered_at, ended_at, outcome, code, reason, codec, mos, loss, transfer, seen)
         VALUES (@id, @accountId, @direction, @remoteUri, @remoteName, @startedAt, @answeredAt, @endedAt, @outcome, @code, @reason, @codec, @mos, @loss, @transfer, @seen)`,
      )
      .run({
        id: entry.id,
        accountId: entry.accountId,
        direction: entry.direction,
        remoteUri: entry.remote.uri,
        remoteName: entry.remote.displayName ?? null,
        startedAt: entry.startedAt,
        answeredAt: entry.answeredAt ?? null,
        endedAt: entry.endedAt,
        outcome: entry.outcome,
        code: entry.code ?? null,
        reason: entry.reason ?? null,
        codec: entry.codec ?? null,
        mos: entry.mos ?? null,
        loss: entry.lossPercent ?? null,
        transfer: entry.transfer === undefined ? null : JSON.stringify(entry.transfer),
        seen: entry.unseen === true ? 0 : 1,
      });
  }

  list(filter: HistoryFilter, limit: number, before?: number): HistoryEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM call_history WHERE ${filters[filter]} AND started_at < ? ORDER BY started_at DESC, rowid DESC LIMIT ?`)
      .all(before ?? Number.MAX_SAFE_INTEGER, limit) as Row[];
    return rows.flatMap((row) => {
      const parsed = HistoryEntry.safeParse(entryOf(row));
      return parsed.success ? [parsed.data] : [];
    });
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM call_history WHERE id = ?').run(id).changes > 0;
  }

  unseenCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM call_history WHERE seen = 0').get() as { n: number }).n;
  }

  markSeen(): void {
    this.db.prepare('UPDATE call_history SET seen = 1 WHERE seen = 0').run();
  }

  /** Keeps the newest `keep` entries (the retention setting). */
  prune(keep: number): void {
    this.db.prepare('DELETE FROM call_history WHERE rowid NOT IN (SELECT rowid FROM call_history ORDER BY started_at DESC LIMIT ?)').run(keep);
  }
}

function entryOf(row: Row): unknown {
  return {
    id: row.id,
    accountId: row.account_id,
    direction: row.direction,
    remote: { uri: row.remote_uri, ...(row.remote_name === null ? {} : { displayName: row.remote_name }) },
    startedAt: row.started_at,
    ...(row.answered_at === null ? {} : { answeredAt: row.answered_at }),
    endedAt: row.ended_at,
    durationSeconds: row.answered_at === null ? 0 : Math.max(0, Math.round((row.ended_at - row.answered_at) / 1000)),
    outcome: row.outcome,
    ...(row.code === null ? {} : { code: row.code }),
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.codec === null ? {} : { codec: row.codec }),
    ...(row.mos === null ? {} : { mos: row.mos }),
    ...(row.loss === null ? {} : { lossPercent: row.loss }),
    ...(row.transfer === null ? {} : { transfer: JSON.parse(row.transfer) as unknown }),
    ...(row.seen === 0 ? { unseen: true } : {}),
  };
}
