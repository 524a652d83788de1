/** Past calls as rows, newest first, with the missed calls the user has not seen yet. */
import { HistoryEntry, SipLogEntry } from '../../../shared/model.js';
import { CallSipRecorder, type CallSipLog } from './call-sip-log.js';
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

/**
 * Calls whose SIP messages are kept (the newest): the disk holds some 15 KB for a usual call and
 * up to 256 KB for a long one, so not for all 10,000 entries a history may keep.
 */
export const MAX_CALLS_WITH_SIP_LOG = 1000;

export type HistoryFilter = 'all' | 'missed' | 'incoming' | 'outgoing';

const filters: Record<HistoryFilter, string> = {
  all: '1 = 1',
  missed: "outcome = 'missed'",
  incoming: "direction = 'incoming'",
  outgoing: "direction = 'outgoing'",
};

export class HistoryStore {
  constructor(private readonly db: Db) {}

  /** Writes an entry, with the call's SIP messages when given, in one transaction. */
  put(entry: HistoryEntry, sipLog?: CallSipLog): void {
    this.db.transaction(() => {
      this.putEntry(entry);
      if (sipLog !== undefined) this.writeSipLog(entry.id, sipLog);
    })();
  }

  /** Replaces the SIP messages of an entry still in the history (messages that came after the call ended). */
  putSipLog(id: string, sipLog: CallSipLog): boolean {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM call_history WHERE id = ?').get(id) === undefined) return false;
      this.writeSipLog(id, sipLog);
      return true;
    })();
  }

  /** The SIP messages kept with an entry; none for a call from before they were kept, or an unknown id. */
  sipLog(id: string): CallSipLog {
    const row = this.db.prepare('SELECT dropped, messages FROM call_sip_log WHERE history_id = ?').get(id) as { dropped: number; messages: string } | undefined;
    if (row === undefined) return { messages: [], dropped: 0 };
    const parsed: unknown = JSON.parse(row.messages);
    const messages = (Array.isArray(parsed) ? parsed : []).flatMap((item: unknown) => {
      const entry = SipLogEntry.safeParse(item);
      return entry.success ? [entry.data] : [];
    });
    return { messages, dropped: row.dropped };
  }

  private writeSipLog(id: string, sipLog: CallSipLog): void {
    const { messages, dropped } = CallSipRecorder.of(sipLog).log;
    this.db.prepare('INSERT OR REPLACE INTO call_sip_log (history_id, dropped, messages) VALUES (?, ?, ?)').run(id, dropped, JSON.stringify(messages));
  }

  private putEntry(entry: HistoryEntry): void {
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
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM call_sip_log WHERE history_id = ?').run(id);
      return this.db.prepare('DELETE FROM call_history WHERE id = ?').run(id).changes > 0;
    })();
  }

  unseenCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM call_history WHERE seen = 0').get() as { n: number }).n;
  }

  markSeen(): void {
    this.db.prepare('UPDATE call_history SET seen = 1 WHERE seen = 0').run();
  }

  /**
   * Keeps the newest `keep` entries (the retention setting), and the SIP messages of the newest
   * `MAX_CALLS_WITH_SIP_LOG` of those only.
   */
  prune(keep: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM call_history WHERE rowid NOT IN (SELECT rowid FROM call_history ORDER BY started_at DESC LIMIT ?)').run(keep);
      this.db
        .prepare('DELETE FROM call_sip_log WHERE history_id NOT IN (SELECT id FROM call_history ORDER BY started_at DESC LIMIT ?)')
        .run(Math.min(keep, MAX_CALLS_WITH_SIP_LOG));
    })();
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
