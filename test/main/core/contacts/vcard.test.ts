/** vCard 3.0 and 4.0 files (with 2.1 habits) read into contacts, and written as 4.0. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import type { Contact } from '../../../../shared/model.js';
import { ContactFileError } from '../../../../main/core/contacts/contact-record.js';
import { readVCards, writeVCards } from '../../../../main/core/contacts/vcard.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/contacts/${name}`, import.meta.url), 'utf8');

describe('vCard', () => {
  it('reads 3.0: TEL types, IMPP/URL sip:, ORG, NOTE escapes, quoted-printable UTF-8, folded lines', () => {
    const { records, errors } = readVCards(fixture('contacts-3.0.vcf'));
    expect(records).toEqual([
      {
        line: 1,
        name: 'Zoë Müller',
        organisation: 'Acme GmbH, Vertrieb',
        notes: 'Met at the fair, hall 4.\nCall mornings.',
        addresses: [
          { kind: 'phone', label: 'work', value: '030 1234567' },
          { kind: 'phone', label: 'mobile', value: '+49 171 2345678' },
          { kind: 'sip', value: 'sip:zoe@pbx.example.de' },
        ],
      },
      {
        line: 11,
        name: 'Björn Åström',
        notes: 'A very long note that a phone wrapped with a soft line break in the middle.',
        addresses: [{ kind: 'phone', label: 'mobile', value: '+46 70 123 45 67' }],
      },
      {
        line: 19,
        name: 'Folded Name That Goes On And On Beyond Seventy-Five Octets So It Is Folded By The Writer',
        favourite: true,
        addresses: [
          { kind: 'phone', label: 'home', value: '(416) 555-0100' },
          { kind: 'sip', value: 'sip:folded@example.com' },
        ],
      },
    ]);
    expect(errors).toEqual([{ line: 27, reason: 'no FN, N or ORG: the card has no name' }]);
  });

  it('reads 4.0: tel: URIs, quoted TYPE lists, sips:', () => {
    const { records, errors } = readVCards(fixture('contacts-4.0.vcf'));
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.name, r.organisation, r.addresses])).toEqual([
      [
        'Bob Smith',
        'Example Inc.',
        [
          { kind: 'phone', label: 'work', value: '+1-555-010-2000' },
          { kind: 'phone', label: 'mobile', value: '+1-555-010-2001' },
          { kind: 'sip', label: 'work', value: 'sip:bob@example.com' },
        ],
      ],
      ['Ærøskøbing Færge', undefined, [
        { kind: 'phone', label: 'work', value: '62 52 10 00' },
        { kind: 'sip', value: 'sips:ferry@example.dk' },
      ]],
    ]);
  });

  it('reports a broken card by its line and still reads the others; refuses what is no vCard', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Good\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nno colon here\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Open\r\n';
    const { records, errors } = readVCards(text);
    expect(records.map((r) => r.name)).toEqual(['Good']);
    expect(errors.map((e) => e.line)).toEqual([5, 9]);
    expect(errors[1]?.reason).toBe('a vCard without END:VCARD');
    expect(() => readVCards('Name,Phone\nBob,123\n')).toThrow(ContactFileError);
  });

  it('writes 4.0 that reads back the same, escaping what needs it', () => {
    const contacts: Contact[] = [
      {
        id: 'c1',
        name: 'Zoë, the; boss',
        organisation: 'Acme; GmbH',
        addresses: [
          { kind: 'phone', label: 'mobile', value: '+49 171 2345678' },
          { kind: 'phone', label: 'work', value: '030 1234567' },
          { kind: 'sip', label: 'work', value: 'sip:zoe@example.com' },
        ],
        favourite: true,
        presence: false,
        blf: false,
        notes: 'line one\nline two, with \\ backslash; and more '.repeat(3).trim(),
      },
    ];
    const text = writeVCards(contacts);
    expect(text).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    expect(text).toContain('TEL;VALUE=uri;TYPE=cell:tel:+491712345678\r\n');
    expect(text.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75 + 1)).toBe(true);
    const card = new ICAL.Component(ICAL.parse(text) as ConstructorParameters<typeof ICAL.Component>[0]);
    expect(card.getFirstPropertyValue('version')).toBe('4.0');
    const [back] = readVCards(text).records;
    expect(back).toEqual({
      line: 1,
      name: 'Zoë, the; boss',
      organisation: 'Acme; GmbH',
      favourite: true,
      notes: contacts[0]!.notes,
      addresses: [
        { kind: 'phone', label: 'mobile', value: '+491712345678' },
        { kind: 'phone', label: 'work', value: '030 1234567' },
        { kind: 'sip', label: 'work', value: 'sip:zoe@example.com' },
      ],
    });
  });
});
