/** vCard 3.0 and 4.0 files (with 2.1 habits) read into contacts, and written as 4.0. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import type { Contact } from '../../../../shared/model.js';
import { ContactFileError } from '../../../../main/core/contacts/contact-record.js';
import { readVCards, writeVCards } from '../../../../main/core/contacts/vcard.js';
import { MAX_PHOTO_BYTES } from '../../../../shared/photo.js';
import { photoBase64, photoUrl } from '../../../helpers/photos.js';

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

  describe('photos', () => {
    const card = (version: string, photo: string) => `BEGIN:VCARD\r\nVERSION:${version}\r\nFN:Pat\r\n${photo}\r\nEND:VCARD\r\n`;
    /** base64 folded the way phones write it: 75-octet lines, continued after a space. */
    const fold = (line: string) => line.match(/.{1,74}/g)!.join('\r\n ');

    it('reads 3.0 ENCODING=b, 2.1 ENCODING=BASE64 and 4.0 data: URIs, typed by their bytes', () => {
      const { records, warnings } = readVCards(
        [
          card('3.0', fold(`PHOTO;ENCODING=b;TYPE=JPEG:${photoBase64.jpeg}`)),
          card('2.1', `PHOTO;ENCODING=BASE64;GIF:${photoBase64.gif}`),
          card('4.0', fold(`PHOTO:data:image/png;base64,${photoBase64.png}`)),
          // The type a card claims is not believed: these bytes are WebP.
          card('3.0', `PHOTO;ENCODING=b;TYPE=PNG:${photoBase64.webp}`),
          card('4.0', `PHOTO;MEDIATYPE=image/jpeg:data:application/octet-stream;base64,${photoBase64.jpeg}`),
        ].join(''),
      );
      expect(warnings).toEqual([]);
      expect(records.map((r) => r.photo)).toEqual([photoUrl('jpeg'), photoUrl('gif'), photoUrl('png'), photoUrl('webp'), photoUrl('jpeg')]);
    });

    it('fetches no remote photo: the contact comes in without it, with a warning; so does one that is no image or too big', () => {
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').toString('base64');
      const big = Buffer.alloc(MAX_PHOTO_BYTES + 1);
      Buffer.from(photoBase64.png, 'base64').copy(big);
      const text = [
        card('3.0', 'PHOTO;VALUE=uri:http://tracker.example/pixel.gif?who=pat'),
        card('4.0', 'PHOTO:https://example.com/pat.jpg'),
        card('4.0', `PHOTO:data:image/svg+xml;base64,${svg}`),
        card('3.0', `PHOTO;ENCODING=b:${fold(big.toString('base64'))}`),
        card('4.0', 'PHOTO:data:image/png,%89PNG'),
        card('3.0', 'PHOTO;ENCODING=b:not*base64'),
      ].join('');
      const { records, errors, warnings } = readVCards(text);
      const begins = text.split('\r\n').flatMap((line, i) => (line === 'BEGIN:VCARD' ? [i + 1] : []));
      expect(begins.slice(0, 4)).toEqual([1, 6, 11, 16]);
      expect(errors).toEqual([]);
      expect(records.map((r) => [r.name, r.photo])).toEqual(Array.from({ length: 6 }, () => ['Pat', undefined]));
      expect(warnings).toEqual([
        { line: 1, reason: 'photo at http://tracker.example/pixel.gif?who=pat not fetched (remote images are not loaded): the contact has no photo' },
        { line: 6, reason: 'photo at https://example.com/pat.jpg not fetched (remote images are not loaded): the contact has no photo' },
        { line: 11, reason: 'photo left out: the photo is not a PNG, JPEG, GIF or WebP image (it starts with 3c 73 76 67)' },
        { line: 16, reason: 'photo left out: the photo is 257 KB: at most 256 KB' },
        { line: begins[4], reason: 'photo left out: a data: URI that is not base64' },
        { line: begins[5], reason: 'photo left out: it is not valid base64' },
      ]);
    });

    it('writes the photo as a 4.0 data: URI (comma unescaped, folded at 75 octets) that reads back the same', () => {
      const contact: Contact = { id: 'c1', name: 'Pat', addresses: [], favourite: false, presence: false, blf: false, photo: photoUrl('png') };
      const text = writeVCards([contact, { ...contact, id: 'c2', name: 'Sam', photo: photoUrl('webp') }]);
      expect(text.split('\r\n').every((line) => line.length <= 75)).toBe(true);
      expect(text.replace(/\r\n /g, '')).toContain(`\r\nPHOTO:${photoUrl('png')}\r\nEND:VCARD\r\n`);
      const { records, warnings } = readVCards(text);
      expect(warnings).toEqual([]);
      expect(records.map((r) => [r.name, r.photo])).toEqual([
        ['Pat', photoUrl('png')],
        ['Sam', photoUrl('webp')],
      ]);
      // Another reader (ical.js on its own) sees the same URI.
      const parsed = new ICAL.Component(ICAL.parse(text.split('END:VCARD')[0] + 'END:VCARD') as ConstructorParameters<typeof ICAL.Component>[0]);
      expect(parsed.getFirstPropertyValue('photo')).toBe(photoUrl('png'));
    });
  });
});
