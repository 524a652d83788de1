/** vCards read as contacts, and LDAP filters built from a template with the query escaped. */
import { describe, expect, it } from 'vitest';
import { contactFromVCard, filterFor } from '../../../../main/core/directory/index.js';

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
