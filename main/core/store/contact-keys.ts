/**
 * The keys a contact's addresses are matched by for caller identification (`contact_keys`),
 * and bringing the keys of contacts saved by an older build up to what this one writes.
 */
import { toE164 } from '../contacts/phone-number.js';
import type { Db } from './database.js';

/**
 * The keys an address is matched by: a SIP URI's user@host (lower-case, no parameters), and
 * for numbers (or numeric SIP users) their digits — so "+1 (555) 010-2000", "tel:+15550102000"
 * and "sip:15550102000@pbx" meet.
 */
export function addressKeys(value: string): string[] {
  const keys = new Set<string>();
  const trimmed = value.trim().toLowerCase();
  const sip = /^(?:sips?:)?([^@;?\s]+)@([^;?>\s]+)/.exec(trimmed.replace(/^<|>$/g, ''));
  let user = trimmed.replace(/^tel:/, '').replace(/;.*$/, '');
  if (sip !== null) {
    keys.add(`${sip[1]}@${sip[2]!.replace(/:\d+$/, '')}`);
    user = sip[1]!;
  }
  if (/^\+?[\d\s().\-/]+$/.test(user)) {
    const digits = user.replace(/\D/g, '');
    if (digits.length >= 3) keys.add(`#${digits}`);
    // An international number as E.164 too: "+49 (0)30 1234567" is +49301234567.
    const e164 = user.startsWith('+') ? toE164(user, undefined) : undefined;
    if (e164 !== undefined) keys.add(`#${e164.slice(1)}`);
  }
  return [...keys];
}

/** Contacts read per step of the backfill (bounded memory, whatever the book's size). */
const BACKFILL_PAGE = 1000;

/**
 * Adds the keys a contact's addresses have now but its rows lack: contacts saved before numbers
 * written internationally got their E.164 key ("+49 (0)30 1234567" is also #49301234567) kept
 * it only until their next save. Only contacts with a `+` in their fields can gain one, so only
 * those are read, a page at a time; no key is removed. Returns how many keys were added.
 */
export function backfillContactKeys(db: Db): number {
  const page = db.prepare("SELECT id, fields FROM contacts WHERE id > ? AND instr(fields, '+') > 0 ORDER BY id LIMIT ?");
  const insert = db.prepare(
    'INSERT INTO contact_keys (contact_id, match_key) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM contact_keys WHERE contact_id = ? AND match_key = ?)',
  );
  let added = 0;
  let after = '';
  for (;;) {
    const rows = page.all(after, BACKFILL_PAGE) as { id: string; fields: string }[];
    for (const row of rows) {
      for (const key of new Set(addressValues(row.fields).flatMap(addressKeys))) added += insert.run(row.id, key, row.id, key).changes;
    }
    if (rows.length < BACKFILL_PAGE) return added;
    after = rows[rows.length - 1]!.id;
  }
}

/** The address values in a contact's stored fields; none from a row that is not what we wrote. */
function addressValues(fields: string): string[] {
  try {
    const parsed: unknown = JSON.parse(fields);
    const addresses = typeof parsed === 'object' && parsed !== null ? (parsed as { addresses?: unknown }).addresses : undefined;
    return Array.isArray(addresses) ? addresses.flatMap((a: unknown) => (typeof a === 'object' && a !== null && typeof (a as { value?: unknown }).value === 'string' ? [(a as { value: string }).value] : [])) : [];
  } catch {
    return [];
  }
}
