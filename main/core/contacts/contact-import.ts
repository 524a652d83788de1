/**
 * Records from a file set against the contacts there are: a record is a duplicate when it shares
 * a normalised number (E.164 with the import's country), a SIP address (user@host), or its name
 * and organisation with a contact already there or earlier in the file. A duplicate is skipped,
 * merged into that contact (its numbers and addresses added, empty fields filled) or added anyway.
 */
import type { Contact, ContactAddress } from '../../../shared/model.js';
import { ContactFields } from '../../../shared/model.js';
import type { ContactRecord, RecordError } from './contact-record.js';
import { numberDigits, toE164 } from './phone-number.js';

export type OnDuplicate = 'skip' | 'merge' | 'add';

export interface ImportPlan {
  /** Contacts to store: new ones and merged ones. */
  put: Contact[];
  added: number;
  merged: number;
  skipped: number;
  errors: RecordError[];
}

const MAX_ADDRESSES = 20;

/** The keys one address is known by for duplicates. */
function addressKey(address: ContactAddress, country: string | undefined): string | undefined {
  if (address.kind === 'phone') {
    const e164 = toE164(address.value, country);
    if (e164 !== undefined) return `tel:${e164}`;
    const digits = numberDigits(address.value);
    return digits === undefined ? undefined : `tel:${digits}`;
  }
  const sip = /^(?:sips?:)?([^@;?\s]+)@([^;?>\s:]+)/i.exec(address.value.trim().replace(/^<|>$/g, ''));
  return sip === null ? undefined : `sip:${sip[1]!.toLowerCase()}@${sip[2]!.toLowerCase()}`;
}

function keysOf(contact: { name: string; organisation?: string | undefined; addresses: readonly ContactAddress[] }, country: string | undefined): string[] {
  const keys = contact.addresses.flatMap((a) => addressKey(a, country) ?? []);
  keys.push(`name:${contact.name.trim().toLowerCase()}\u0000${(contact.organisation ?? '').trim().toLowerCase()}`);
  return keys;
}

export function planImport(
  existing: readonly Contact[],
  records: readonly ContactRecord[],
  options: { onDuplicate: OnDuplicate; country: string | undefined; newId: () => string },
): ImportPlan {
  const plan: ImportPlan = { put: [], added: 0, merged: 0, skipped: 0, errors: [] };
  const byKey = new Map<string, Contact>();
  const index = (contact: Contact) => {
    for (const key of keysOf(contact, options.country)) if (!byKey.has(key)) byKey.set(key, contact);
  };
  existing.forEach(index);
  const changed = new Map<string, Contact>();
  for (const record of records) {
    const { line, ...fields } = record;
    const parsed = ContactFields.safeParse(fields);
    if (!parsed.success) {
      plan.errors.push({ line, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'contact'}: ${i.message}`).join('; ').slice(0, 300) });
      continue;
    }
    const duplicate = keysOf(parsed.data, options.country).map((k) => byKey.get(k)).find((c) => c !== undefined);
    if (duplicate !== undefined && options.onDuplicate === 'skip') {
      plan.skipped++;
      continue;
    }
    if (duplicate !== undefined && options.onDuplicate === 'merge') {
      const known = new Set(duplicate.addresses.map((a) => addressKey(a, options.country) ?? a.value));
      const extra = parsed.data.addresses.filter((a) => !known.has(addressKey(a, options.country) ?? a.value));
      const addresses = [...duplicate.addresses, ...extra];
      if (addresses.length > MAX_ADDRESSES) plan.errors.push({ line, reason: `merged into "${duplicate.name}": ${addresses.length - MAX_ADDRESSES} addresses over the ${MAX_ADDRESSES} a contact keeps were left out` });
      const merged: Contact = {
        ...duplicate,
        addresses: addresses.slice(0, MAX_ADDRESSES),
        favourite: duplicate.favourite || parsed.data.favourite,
        ...(duplicate.organisation === undefined && parsed.data.organisation !== undefined ? { organisation: parsed.data.organisation } : {}),
        ...(duplicate.notes === undefined && parsed.data.notes !== undefined ? { notes: parsed.data.notes } : {}),
        // A photo the contact lacked; one it has stays (read without its bytes: its photoTag).
        ...(duplicate.photo === undefined && duplicate.photoTag === undefined && parsed.data.photo !== undefined ? { photo: parsed.data.photo } : {}),
      };
      changed.set(merged.id, merged);
      index(merged);
      // Later records find the merged contact, not the one before the merge.
      for (const key of keysOf(merged, options.country)) byKey.set(key, merged);
      plan.merged++;
      continue;
    }
    const contact: Contact = { id: options.newId(), ...parsed.data };
    changed.set(contact.id, contact);
    index(contact);
    plan.added++;
  }
  plan.put = [...changed.values()];
  return plan;
}
