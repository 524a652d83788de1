/** Duplicates on import: same number (any way written), SIP address, or name and organisation. */
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../../shared/model.js';
import { planImport } from '../../../../main/core/contacts/contact-import.js';
import type { ContactRecord } from '../../../../main/core/contacts/contact-record.js';

const zoe: Contact = { id: 'c1', name: 'Zoë Müller', addresses: [{ kind: 'phone', value: '030 1234567' }], favourite: false, presence: false, blf: false };
const bob: Contact = { id: 'c2', name: 'Bob', organisation: 'Acme', addresses: [{ kind: 'sip', value: 'sip:bob@example.com' }], favourite: false, presence: false, blf: false };

const records: ContactRecord[] = [
  { line: 1, name: 'Z. Müller', addresses: [{ kind: 'phone', value: '+49 30 1234567' }, { kind: 'phone', label: 'mobile', value: '0171 2345678' }], notes: 'from the file' },
  { line: 5, name: 'Robert', addresses: [{ kind: 'sip', value: '<SIP:Bob@Example.com;transport=tcp>' }] },
  { line: 9, name: 'bob', organisation: 'ACME', addresses: [] },
  { line: 12, name: 'Carol', addresses: [{ kind: 'phone', value: '0044 20 7946 0958' }] },
  { line: 15, name: 'Carol again', addresses: [{ kind: 'phone', value: '+44 20 7946 0958' }] },
  { line: 18, name: ' ', addresses: [] },
];

let n = 0;
const newId = () => `new-${++n}`;

describe('planImport', () => {
  it('skips duplicates, within the file too, and reports records that are no contact', () => {
    const plan = planImport([zoe, bob], records, { onDuplicate: 'skip', country: 'DE', newId });
    expect([plan.added, plan.merged, plan.skipped]).toEqual([1, 0, 4]);
    expect(plan.put.map((c) => c.name)).toEqual(['Carol']);
    expect(plan.errors).toEqual([{ line: 18, reason: 'name: a contact needs a name' }]);
  });

  it('merges: new numbers added, empty fields filled, one contact stored once', () => {
    const plan = planImport([zoe, bob], records, { onDuplicate: 'merge', country: 'DE', newId });
    expect([plan.added, plan.merged, plan.skipped]).toEqual([1, 4, 0]);
    const merged = plan.put.find((c) => c.id === 'c1');
    expect(merged).toEqual({ ...zoe, notes: 'from the file', addresses: [...zoe.addresses, { kind: 'phone', label: 'mobile', value: '0171 2345678' }] });
    expect(plan.put.find((c) => c.id === 'c2')).toEqual(bob);
    expect(plan.put.filter((c) => c.name.startsWith('Carol'))).toHaveLength(1);
  });

  it('adds everything with add; without a country, national numbers are not E.164', () => {
    expect(planImport([zoe, bob], records, { onDuplicate: 'add', country: 'DE', newId }).added).toBe(5);
    const plan = planImport([zoe], [records[0]!], { onDuplicate: 'skip', country: undefined, newId });
    expect(plan.added).toBe(1);
  });
});
