/** vCards read as contacts, and LDAP filters built from a template with the query escaped. */
import { describe, expect, it } from 'vitest';
import { contactFromVCard, filterFor } from '../../../../main/core/directory/index.js';
import { vCardWith } from '../../../../main/core/directory/vcard.js';

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

describe('vCard → contact', () => {
  it('vCard 3.0 (RFC 2426): FN, ORG units, TEL types as labels, IMPP and X-SIP, NOTE unescaped', () => {
    const card = crlf([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Bob Builder',
      'ORG:Acme;Sales',
      'TEL;TYPE=work,voice:+44 20 7946 0000',
      'TEL;TYPE=CELL:07700 900000',
      'IMPP:sip:bob@example.test',
      'X-SIP:bob2@example.test',
      'NOTE:call after 5\\, not before',
      'END:VCARD',
    ]);
    expect(contactFromVCard(card)).toEqual({
      name: 'Bob Builder',
      organisation: 'Acme, Sales',
      addresses: [
        { kind: 'phone', label: 'work', value: '+44 20 7946 0000' },
        { kind: 'phone', label: 'cell', value: '07700 900000' },
        { kind: 'sip', value: 'sip:bob@example.test' },
        { kind: 'sip', value: 'sip:bob2@example.test' },
      ],
      notes: 'call after 5, not before',
      favourite: false,
      presence: false,
      blf: false,
    });
  });

  it('vCard 4.0 (RFC 6350): tel: URIs, and N when there is no FN', () => {
    const card = crlf(['BEGIN:VCARD', 'VERSION:4.0', 'N:Danvers;Carol;;Dr.;', 'TEL;VALUE=uri;TYPE=home:tel:+1-555-010-2000', 'END:VCARD']);
    expect(contactFromVCard(card)).toMatchObject({ name: 'Dr. Carol Danvers', addresses: [{ kind: 'phone', label: 'home', value: '+1-555-010-2000' }] });
  });

  it('not a vCard, or one without a name: nothing', () => {
    expect(contactFromVCard('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n')).toBeUndefined();
    expect(contactFromVCard('garbage')).toBeUndefined();
    expect(contactFromVCard(crlf(['BEGIN:VCARD', 'VERSION:3.0', 'TEL:+44 20 7946 0000', 'END:VCARD']))).toBeUndefined();
  });
});

describe('contact → vCard for the server', () => {
  const server = crlf([
    'BEGIN:VCARD',
    'VERSION:3.0',
    'UID:bob-1',
    'FN:Bob Builder',
    'N:Builder;Bob;;;',
    'ORG:Acme;Sales',
    'TEL;TYPE=work,voice,pref:+44 20 7946 0000',
    'EMAIL;TYPE=work:bob@example.test',
    'PHOTO;VALUE=uri:https://example.test/bob.jpg',
    'END:VCARD',
  ]);

  it('into the server\'s card: only what changed is rewritten; the rest (TEL parameters, EMAIL, PHOTO, UID) stays as it was', () => {
    const fields = contactFromVCard(server)!;
    const text = vCardWith({ ...fields, notes: 'site foreman' }, { text: server });
    expect(text).toContain('TEL;TYPE=work,voice,pref:+44 20 7946 0000\r\n');
    expect(text).toContain('ORG:Acme;Sales\r\n');
    expect(text).toContain('EMAIL;TYPE=work:bob@example.test\r\n');
    // Parameter values are case-insensitive (RFC 6350 §5); ical.js writes VALUE=URI.
    expect(text).toMatch(/^PHOTO;VALUE=uri:https:\/\/example\.test\/bob\.jpg\r$/im);
    expect(text).toContain('UID:bob-1\r\n');
    expect(text).toContain('NOTE:site foreman\r\n');
    expect(contactFromVCard(text)).toMatchObject({ ...fields, notes: 'site foreman' });
  });

  it('a new name rewrites FN and N; new numbers replace the TELs; an organisation removed goes', () => {
    const fields = contactFromVCard(server)!;
    const text = vCardWith({ name: 'Robert De Builder', addresses: [{ kind: 'phone', label: 'cell', value: '07700 900123' }, { kind: 'sip', value: 'sip:bob@example.test' }] }, { text: server });
    expect(text).toMatch(/^FN:Robert De Builder\r$/m);
    expect(text).toMatch(/^N:Builder;Robert De;;;\r$/m);
    expect(text).not.toContain('ORG');
    expect(text).not.toContain('7946');
    expect(contactFromVCard(text)).toEqual({ ...fields, name: 'Robert De Builder', organisation: undefined, addresses: [{ kind: 'phone', label: 'cell', value: '07700 900123' }, { kind: 'sip', value: 'sip:bob@example.test' }] });
  });

  it('a new card: vCard 4.0 with the UID, numbers as text as typed', () => {
    const text = vCardWith({ name: 'Dave', organisation: 'Red Dwarf', addresses: [{ kind: 'phone', value: '+44 161 496 0000' }], notes: 'a, b; c' }, { uid: 'urn:uuid:1' });
    expect(text.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:1\r\n')).toBe(true);
    expect(text).toContain('TEL;VALUE=text:+44 161 496 0000\r\n');
    expect(contactFromVCard(text)).toEqual({ name: 'Dave', organisation: 'Red Dwarf', addresses: [{ kind: 'phone', value: '+44 161 496 0000' }], notes: 'a, b; c', favourite: false, presence: false, blf: false });
  });
});

describe('LDAP filter from a template (RFC 4515 §3 escaping)', () => {
  it.each([
    ['bob', '(cn=*bob*)'],
    ['*', '(cn=*\\2a*)'],
    ['a)(uid=*', '(cn=*a\\29\\28uid=\\2a*)'],
    ['back\\slash', '(cn=*back\\5cslash*)'],
    ['nul\u0000', '(cn=*nul\\00*)'],
  ])('%j', (query, filter) => {
    expect(filterFor('(cn=*{query}*)', query)).toBe(filter);
  });

  it('every {query} is replaced', () => {
    expect(filterFor('(|(cn={query})(mail={query}))', 'x')).toBe('(|(cn=x)(mail=x))');
  });
});
