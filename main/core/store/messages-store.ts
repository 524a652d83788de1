/** Instant messages as rows: conversations per peer, newest last, with their delivery state. */
import { MessageView } from '../../../shared/model.js';
import type { Db } from './database.js';

interface Row {
  id: string;
  account_id: string;
  peer: string;
  peer_name: string | null;
  direction: string;
  text: string;
  at: number;
  state: string;
  code: number | null;
  reason: string | null;
}

export class MessagesStore {
  constructor(private readonly db: Db) {}

  /** Writes a message, or its new state (same id). */
  put(message: MessageView): void {
    this.db
      .prepare(
        `INSERT INTO messages (id, account_id, peer, peer_name, direction, text, at, state, code, reason)
         VALUES (@id, @accountId, @peer, @peerName, @direction, @text, @at, @state, @code, @reason)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, code = excluded.code, reason = excluded.reason`,
      )
      .run({
        id: message.id,
        accountId: message.accountId,
        peer: message.peer,
        peerName: message.peerName ?? null,
        direction: message.direction,
        text: message.text,
        at: message.at,
        state: message.state,
        code: message.code ?? null,
        reason: message.reason ?? null,
      });
  }

  /** The last `limit` messages of a conversation, or of all, oldest first. */
  list(peer: string | undefined, limit: number): MessageView[] {
    const rows = (
      peer === undefined
        ? this.db.prepare('SELECT * FROM messages ORDER BY at DESC, rowid DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM messages WHERE peer = ? ORDER BY at DESC, rowid DESC LIMIT ?').all(peer, limit)
    ) as Row[];
    // A row another version wrote that no longer fits the schema is skipped, not fatal.
    return rows
      .reverse()
      .map((row) =>
        MessageView.safeParse({
          id: row.id,
          accountId: row.account_id,
          peer: row.peer,
          ...(row.peer_name === null ? {} : { peerName: row.peer_name }),
          direction: row.direction,
          text: row.text,
          at: row.at,
          state: row.state,
          ...(row.code === null ? {} : { code: row.code }),
          ...(row.reason === null ? {} : { reason: row.reason }),
        }),
      )
      .flatMap((parsed) => (parsed.success ? [parsed.data] : []));
  }
}
