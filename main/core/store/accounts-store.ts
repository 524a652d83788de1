/** Accounts as rows: the fields a user set, in the user's order. Passwords are not here. */
import { AccountFields } from '../../../shared/model.js';
import type { Db } from './database.js';

export type StoredAccount = { id: string } & Omit<AccountFields, 'password'>;

export class AccountsStore {
  constructor(private readonly db: Db) {}

  list(): StoredAccount[] {
    const rows = this.db.prepare('SELECT id, fields FROM accounts ORDER BY position, id').all() as {
      id: string;
      fields: string;
    }[];
    return rows.map((row) => {
      // Rows were validated on the way in; parsing again applies defaults added since.
      const fields = AccountFields.omit({ password: true }).parse(JSON.parse(row.fields));
      return { id: row.id, ...fields };
    });
  }

  put(account: StoredAccount): void {
    const { id, ...fields } = account;
    this.db
      .prepare(
        `INSERT INTO accounts (id, position, fields)
         VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM accounts), ?)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields`,
      )
      .run(id, JSON.stringify(fields));
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
  }
}
