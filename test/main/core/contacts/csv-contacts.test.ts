/** CSV files from Google Contacts and Outlook, or mapped by the user, read into contacts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../../shared/model.js';
import { ContactFileError } from '../../../../main/core/contacts/contact-record.js';
import { readCsvContacts, writeCsvContacts } from '../../../../main/core/contacts/csv-contacts.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/contacts/${name}`, import.meta.url), 'utf8');

describe('CSV contacts', () => {
  it('reads Google headers: typed phone pairs, ::: lists, sip: values, quoted notes on two lines', () => {
    const { records, errors } = readCsvContacts(fixture('google.csv'));
    expect(records).toEqual([
      {
        line: 2,
        name: 'Zoë Müller',
        organisation: 'Acme GmbH',
        notes: 'Likes "espresso", not tea',
        addresses: [
          { kind: 'phone', label: 'mobile', value: '0171 2345678' },
          { kind: 'phone', label: 'mobile', value: '+49 30 1234567' },
          { kind: 'sip', label: 'work', value: 'sip:zoe@pbx.example.de' },
        ],
      },
      { line: 3, name: 'Carol Jones', notes: 'Two\r\nlines', addresses: [{ kind: 'phone', label: 'home', value: '+44 20 7946 0958' }] },
    ]);
    expect(errors).toEqual([{ line: 5, reason: 'no name, given name, family name or organisation' }]);
  });

  it('reads Outlook headers: the name from its parts, phones labelled by column', () => {
    const { records, errors } = readCsvContacts(fixture('outlook.csv'));
    expect(errors).toEqual([]);
    expect(records).toEqual([
      {
        line: 2,
        name: 'Jean Dupont',
        organisation: 'Société Générale',
        notes: 'Paris office',
        addresses: [
          { kind: 'phone', label: 'work', value: '01 23 45 67 89' },
          { kind: 'phone', label: 'mobile', value: '06 12 34 56 78' },
        ],
      },
      { line: 3, name: 'Anna Maria Rossi', addresses: [{ kind: 'phone', label: 'home', value: '+39 06 1234 5678' }] },
    ]);
  });

  it('follows a mapping: only mapped columns count; unknown columns and no name are refused', () => {
    const text = 'Wer;Durchwahl;Handy;Egal\nZoë;21;0171 2345678;x\n';
    const { records } = readCsvContacts(text, { Wer: 'name', Durchwahl: 'phone:work', Handy: 'phone:mobile' });
    expect(records).toEqual([
      { line: 2, name: 'Zoë', addresses: [{ kind: 'phone', label: 'work', value: '21' }, { kind: 'phone', label: 'mobile', value: '0171 2345678' }] },
    ]);
    expect(() => readCsvContacts(text, { Who: 'name' })).toThrow(/the mapping names columns the file does not have: Who/);
    expect(() => readCsvContacts(text)).toThrow(new ContactFileError('no column gives a name: map one to name, givenName, familyName or organisation (the columns are: Wer, Durchwahl, Handy, Egal)'));
    expect(() => readCsvContacts('')).toThrow(/empty/);
    expect(() => readCsvContacts('Name\n"open\n')).toThrow(/not readable as CSV: line 2/);
  });

  it('reports a row with more fields than the header', () => {
    expect(readCsvContacts('Name,Phone\nBob,1234,extra\nAl,5678\n')).toEqual({
      records: [{ line: 3, name: 'Al', addresses: [{ kind: 'phone', value: '5678' }] }],
      errors: [{ line: 2, reason: '3 fields where the header has 2' }],
    });
  });

  it('writes a cell a spreadsheet would run as a formula as text, numbers as they are, and reads it back', () => {
    const contacts: Contact[] = [
      { id: 'a', name: '=HYPERLINK("http://evil")', notes: "@SUM(1+1)", addresses: [{ kind: 'phone', value: '+49 30 1234567' }, { kind: 'phone', value: '-1' }], favourite: false, presence: false, blf: false },
    ];
    const text = writeCsvContacts(contacts);
    expect(text.split('\r\n')[1]).toBe(`"'=HYPERLINK(""http://evil"")",,'@SUM(1+1),,,+49 30 1234567,,-1`);
    expect(readCsvContacts(text).records[0]).toMatchObject({ name: contacts[0]!.name, notes: contacts[0]!.notes, addresses: contacts[0]!.addresses });
  });

  it('writes Google-style CSV that reads back the same', () => {
    const contacts: Contact[] = [
      { id: 'a', name: 'Zoë "Z" Müller', organisation: 'Acme, GmbH', addresses: [{ kind: 'phone', label: 'mobile', value: '+49 171 2345678' }, { kind: 'sip', value: 'sip:zoe@example.com' }], favourite: true, presence: false, blf: false, notes: 'two\nlines' },
      { id: 'b', name: 'Bob', addresses: [{ kind: 'phone', label: 'work', value: '555-0100' }, { kind: 'phone', label: 'home', value: '555-0101' }], favourite: false, presence: false, blf: false },
    ];
    const text = writeCsvContacts(contacts);
    expect(text.split('\r\n')[0]).toBe('Name,Organization 1 - Name,Notes,Favourite,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,SIP 1 - Type,SIP 1 - Value');
    expect(readCsvContacts(text).records).toEqual([
      { line: 2, name: 'Zoë "Z" Müller', organisation: 'Acme, GmbH', notes: 'two\nlines', favourite: true, addresses: contacts[0]!.addresses },
      { line: 4, name: 'Bob', addresses: contacts[1]!.addresses },
    ]);
  });
});
