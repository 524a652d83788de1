/** Caller identification read with the account's country and dial plan. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DialPlan } from '../../../../shared/model.js';
import type { Numbering } from '../../../../main/core/contacts/index.js';
import { Contacts } from '../../../../main/core/phone/contacts.js';
import { migrate } from '../../../../main/core/store/database.js';
import { ContactsStore } from '../../../../main/core/store/contacts-store.js';

function contacts(numbering: Record<string, Numbering>): Contacts {
  const db = new Database(':memory:');
  migrate(db);
  return new Contacts(new ContactsStore(db), (id) => numbering[id ?? 'de'] ?? {});
}

const add = (c: Contacts, name: string, value: string) => c.add({ name, addresses: [{ kind: 'phone', value }] }).id;

describe('caller identification', () => {
  it('finds a contact stored nationally from +49…, 0049… and 0… for an account in Germany', () => {
    const c = contacts({ de: { defaultCountry: 'DE' }, fr: { defaultCountry: 'FR' }, pbx: { defaultCountry: 'DE', dialPlan: DialPlan.parse({ outsideLine: '0', format: 'national' }) } });
    const zoe = add(c, 'Zoë', '030 123 4567');
    for (const uri of ['sip:+49301234567@pbx.example;user=phone', 'sip:0301234567@pbx.example', 'tel:0049-30-1234567', '<sip:0049301234567@pbx>']) {
      expect(c.identify(uri, 'de')?.id, uri).toBe(zoe);
    }
    // Behind the PBX's outside line 0.
    expect(c.identify('sip:00301234567@pbx.example', 'pbx')?.id).toBe(zoe);
    // A short number has no last eight digits in common with its E.164 form: only the account's country tells.
    const short = add(c, 'Kiosk', '030 12345');
    expect(c.identify('sip:+493012345@pbx.example', 'de')?.id).toBe(short);
    expect(c.identify('sip:00493012345@pbx.example', 'de')?.id).toBe(short);
    // From France, 030 12345 is not a number in Berlin.
    expect(c.identify('sip:+493012345@pbx.example', 'fr')).toBeUndefined();
  });

  it('reads numbers with each account its own country (UK, US, France)', () => {
    const c = contacts({ uk: { defaultCountry: 'GB' }, us: { defaultCountry: 'US' }, fr: { defaultCountry: 'FR' } });
    const carol = add(c, 'Carol', '020 7946 0958');
    const dave = add(c, 'Dave', '(416) 555-0100');
    const jean = add(c, 'Jean', '+33 1 23 45 67 89');
    expect(c.identify('sip:+442079460958@sbc', 'uk')?.id).toBe(carol);
    expect(c.identify('sip:+14165550100@sbc', 'us')?.id).toBe(dave);
    expect(c.identify('sip:14165550100@sbc', 'us')?.id).toBe(dave);
    expect(c.identify('sip:0123456789@sbc', 'fr')?.id).toBe(jean);
    // Another country's national number is another number.
    expect(c.identify('sip:+33207946095@sbc', 'fr')).toBeUndefined();
    expect(c.identify('sip:21@pbx', 'fr')).toBeUndefined();
  });
});
