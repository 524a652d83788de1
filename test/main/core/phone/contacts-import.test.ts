/** contacts.import / contacts.export through the core's contract, and account numbering fields. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../../shared/model.js';
import { testCore } from '../../../helpers/core.js';
import { photoBase64, photoUrl } from '../../../helpers/photos.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/contacts/${name}`, import.meta.url), 'utf8');

describe('contacts import and export', () => {
  it('imports vCards 3.0 and 4.0 and Google CSV: duplicates skipped or merged, bad records reported', async () => {
    const { core, bridge } = await testCore();
    const first = await bridge.invoke('contacts.import', { format: 'vcard', text: fixture('contacts-3.0.vcf'), country: 'DE' });
    expect(first).toEqual({ ok: true, result: { added: 3, merged: 0, skipped: 0, errors: [{ line: 27, reason: 'no FN, N or ORG: the card has no name' }], warnings: [] } });
    expect(await bridge.invoke('contacts.import', { format: 'vcard', text: fixture('contacts-4.0.vcf') })).toMatchObject({ ok: true, result: { added: 2 } });
    // Google's Zoë has the same numbers (+49 30 1234567 = 030 1234567 in DE) and SIP address.
    const google = await bridge.invoke('contacts.import', { format: 'csv', text: fixture('google.csv'), onDuplicate: 'merge', country: 'DE' });
    expect(google).toEqual({ ok: true, result: { added: 1, merged: 1, skipped: 0, errors: [{ line: 5, reason: 'no name, given name, family name or organisation' }], warnings: [] } });
    const listed = await bridge.invoke('contacts.list', { query: 'Zoë' });
    expect(listed.ok && listed.result).toMatchObject([{ name: 'Zoë Müller', organisation: 'Acme GmbH, Vertrieb' }]);
    const again = await bridge.invoke('contacts.import', { format: 'vcard', text: fixture('contacts-3.0.vcf') });
    expect(again).toMatchObject({ ok: true, result: { added: 0, skipped: 3 } });
    expect(await core.handlers['contacts.list']({ limit: 100 })).toHaveLength(6);
  });

  it('imports CSV with a column mapping', async () => {
    const { bridge } = await testCore();
    const text = 'Wer;Firma;Durchwahl\nZoë;Acme;21\nBob;;22\n';
    const result = await bridge.invoke('contacts.import', { format: 'csv', text, mapping: { Wer: 'name', Firma: 'organisation', Durchwahl: 'phone:work' } });
    expect(result).toEqual({ ok: true, result: { added: 2, merged: 0, skipped: 0, errors: [], warnings: [] } });
    const bad = await bridge.invoke('contacts.import', { format: 'csv', text, mapping: { Wer: 'fullname' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    expect(JSON.stringify(bad)).toMatch(/a contact field, phone\[:label\], sip\[:label\] or ignore/);
  });

  it('refuses a file it cannot read, storing nothing', async () => {
    const { bridge } = await testCore();
    for (const [format, text, why] of [
      ['vcard', 'Name,Phone\nBob,1\n', /not a vCard file/],
      ['csv', 'Name,Phone\n"Bob,1\n', /not readable as CSV: line 2: a quoted field is not closed/],
      ['csv', 'Who,Phone\nBob,1\n', /no column gives a name/],
      ['csv', 'Name,Phone\n', /holds no contacts/],
      ['vcard', '', /the file is empty/],
    ] as const) {
      const refused = await bridge.invoke('contacts.import', { format, text });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
      expect(JSON.stringify(refused)).toMatch(why);
    }
    expect(await bridge.invoke('contacts.list', {})).toEqual({ ok: true, result: [] });
  });

  it('exports vCard 4.0 and CSV that import back as the same contacts', async () => {
    const { core, bridge } = await testCore();
    await bridge.invoke('contacts.import', { format: 'vcard', text: fixture('contacts-3.0.vcf') + fixture('contacts-4.0.vcf') });
    const before = await core.handlers['contacts.list']({ limit: 100 });
    const strip = (contacts: Contact[]) =>
      contacts.map(({ id: _id, addresses, ...rest }) => ({ ...rest, addresses: addresses.map((a) => ({ ...a, value: a.value.replace(/[^\d+a-z@:.]/gi, '') })) }));
    for (const format of ['vcard', 'csv'] as const) {
      const exported = await core.handlers['contacts.export']({ format });
      const other = await testCore();
      expect(await other.bridge.invoke('contacts.import', { format, text: exported.text })).toMatchObject({ ok: true, result: { added: 5, errors: [] } });
      expect(strip(await other.core.handlers['contacts.list']({ limit: 100 }))).toEqual(strip(before));
    }
  });

  it('contact photos: imported from vCards (remote ones not fetched, reported), exported, changed and removed', async () => {
    const { core, bridge } = await testCore();
    const cards = [
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat\r\nPHOTO;ENCODING=b;TYPE=PNG:' + photoBase64.png + '\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Sam\r\nPHOTO:http://127.0.0.1:9/sam.jpg\r\nEND:VCARD',
    ].join('\r\n');
    const report = await bridge.invoke('contacts.import', { format: 'vcard', text: cards });
    expect(report).toEqual({
      ok: true,
      result: { added: 2, merged: 0, skipped: 0, errors: [], warnings: [{ line: 6, reason: 'photo at http://127.0.0.1:9/sam.jpg not fetched (remote images are not loaded): the contact has no photo' }] },
    });
    const [pat, sam] = await core.handlers['contacts.list']({ limit: 10 });
    // A page of contacts names each photo by its tag; the bytes come on their own.
    expect([pat?.name, pat?.photoTag, pat?.photo, sam?.name, sam?.photoTag]).toEqual(['Pat', expect.stringMatching(/^[0-9a-f]{16}$/), undefined, 'Sam', undefined]);
    expect(await bridge.invoke('contacts.photo', { id: pat!.id })).toEqual({ ok: true, result: { photo: photoUrl('png') } });
    expect(await bridge.invoke('contacts.photo', { id: sam!.id })).toEqual({ ok: true, result: {} });
    expect(await bridge.invoke('contacts.photo', { id: 'contact-nobody' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await core.handlers['contacts.export']({ format: 'vcard' })).text).toContain(`PHOTO:${photoUrl('png').slice(0, 69)}`);

    // A merge fills a photo the contact lacked, and keeps one it has.
    const samPhoto = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Sam\r\nPHOTO:' + photoUrl('gif') + '\r\nEND:VCARD\r\n';
    expect(await bridge.invoke('contacts.import', { format: 'vcard', text: samPhoto, onDuplicate: 'merge' })).toMatchObject({ ok: true, result: { merged: 1 } });
    expect(await core.handlers['contacts.photo']({ id: sam!.id })).toEqual({ photo: photoUrl('gif') });
    const patAgain = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Pat\r\nNOTE:met again\r\nPHOTO:' + photoUrl('webp') + '\r\nEND:VCARD\r\n';
    expect(await bridge.invoke('contacts.import', { format: 'vcard', text: patAgain, onDuplicate: 'merge' })).toMatchObject({ ok: true, result: { merged: 1 } });
    expect(await core.handlers['contacts.photo']({ id: pat!.id })).toEqual({ photo: photoUrl('png') });

    // Set, refused with the reason, kept when other fields change, removed with null.
    const id = pat!.id;
    await core.handlers['contacts.update']({ id, changes: { favourite: true } });
    expect(await core.handlers['contacts.photo']({ id })).toEqual({ photo: photoUrl('png') });
    const changed = await bridge.invoke('contacts.update', { id, changes: { photo: photoUrl('webp') } });
    expect(changed).toMatchObject({ ok: true, result: { favourite: true, photoTag: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    expect(changed).not.toMatchObject({ result: { photoTag: pat!.photoTag } });
    const pdf = `data:image/png;base64,${Buffer.from('%PDF-1.7 ...').toString('base64')}`;
    const refused = await bridge.invoke('contacts.update', { id, changes: { photo: pdf } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'changes.photo' } });
    expect(JSON.stringify(refused)).toContain('the photo is not a PNG, JPEG, GIF or WebP image (it starts with 25 50 44 46)');
    expect(await bridge.invoke('contacts.add', { name: 'Eve', photo: 'https://example.com/eve.png' })).toMatchObject({ ok: false, error: { field: 'photo' } });
    const renamed = await core.handlers['contacts.update']({ id, changes: { name: 'Pat P.' } });
    expect(renamed).toMatchObject({ name: 'Pat P.', favourite: true, notes: 'met again' });
    expect(await core.handlers['contacts.photo']({ id })).toEqual({ photo: photoUrl('webp') });
    const removed = await bridge.invoke('contacts.update', { id, changes: { photo: null } });
    expect(removed.ok && removed.result).toMatchObject({ name: 'Pat P.', favourite: true });
    expect(removed.ok && removed.result).not.toHaveProperty('photoTag');
    expect(await core.handlers['contacts.photo']({ id })).toEqual({});
    const added = await core.handlers['contacts.add']({ name: 'Eve', photo: photoUrl('jpeg'), addresses: [], favourite: false, presence: false, blf: false });
    expect(added).toMatchObject({ name: 'Eve', photoTag: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(await core.handlers['contacts.photo']({ id: added.id })).toEqual({ photo: photoUrl('jpeg') });
  });

  it('keeps an account country and dial plan, and refuses a bad one with the reason', async () => {
    const { core, bridge } = await testCore();
    const fields = { user: 'alice', domain: 'pbx.example', register: false, defaultCountry: 'DE', dialPlan: { outsideLine: '0', format: 'national', rewrites: [{ match: '0Z.', prefix: '' }] } };
    const badRule = await bridge.invoke('accounts.add', fields);
    expect(badRule).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
    const added = await bridge.invoke('accounts.add', { ...fields, dialPlan: { outsideLine: '0', format: 'national', rewrites: [{ match: '0Z.', prefix: '9' }] } });
    expect(added).toMatchObject({ ok: true, result: { defaultCountry: 'DE', dialPlan: { outsideLine: '0', format: 'national', internalMaxDigits: 5, stripPrefixes: [] } } });
    const [account] = await core.handlers['accounts.list']({});
    const id = account?.id ?? '';
    for (const [changes, why] of [
      [{ defaultCountry: 'XX' }, /not a country with a known numbering plan/],
      [{ defaultCountry: 'de' }, /two capital letters/],
      [{ dialPlan: { outsideLine: '9' } }, /an outside line needs numbers sent as digits/],
      [{ dialPlan: { rewrites: [{ match: '(0|1)+', prefix: '9' }] } }, /X \(any digit\)/],
    ] as const) {
      const refused = await bridge.invoke('accounts.update', { id, changes });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
      expect(JSON.stringify(refused)).toMatch(why);
    }
    expect((await core.handlers['accounts.update']({ id, changes: { dialPlan: null } })).dialPlan).toBeUndefined();
  });
});
