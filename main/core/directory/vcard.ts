/**
 * A vCard (3.0, RFC 2426, or 4.0, RFC 6350) read as a contact with ical.js: FN (or N) for the
 * name, ORG, TEL as phone numbers with their TYPE as label, IMPP/X-SIP sip: URIs as SIP
 * addresses, NOTE, and an inline PHOTO read as the import reads it (a remote one is not fetched).
 */
import ICAL from 'ical.js';
import { ContactFields, type ContactAddress } from '../../../shared/model.js';
import { photoOf } from '../contacts/vcard.js';

const MAX_ADDRESSES = 20;

/** The contact a vCard describes, or undefined when it is not a vCard with a name. */
export function contactFromVCard(text: string): Omit<ContactFields, 'source'> | undefined {
  let card: ICAL.Component;
  try {
    card = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch {
    return undefined;
  }
  if (card.name !== 'vcard') return undefined;
  const name = textOf(card.getFirstPropertyValue('fn')) || nameFromN(card.getFirstPropertyValue('n'));
  const addresses: ContactAddress[] = [];
  for (const property of card.getAllProperties('tel')) {
    const value = textOf(property.getFirstValue()).replace(/^tel:/i, '');
    if (value !== '') addresses.push({ kind: 'phone', value, ...labelOf(property.getParameter('type')) });
  }
  for (const property of [...card.getAllProperties('impp'), ...card.getAllProperties('x-sip')]) {
    const value = textOf(property.getFirstValue());
    const uri = /^sips?:/i.test(value) ? value : property.name === 'x-sip' && value !== '' ? `sip:${value}` : '';
    if (uri !== '') addresses.push({ kind: 'sip', value: uri, ...labelOf(property.getParameter('type')) });
  }
  const organisation = textOf(card.getFirstPropertyValue('org'));
  const notes = textOf(card.getFirstPropertyValue('note'));
  const { photo } = photoOf(card);
  const parsed = ContactFields.safeParse({
    name: name.slice(0, 128),
    ...(organisation === '' ? {} : { organisation: organisation.slice(0, 128) }),
    addresses: addresses.filter((a) => a.value.length <= 256).slice(0, MAX_ADDRESSES),
    ...(notes === '' ? {} : { notes: notes.slice(0, 4096) }),
    ...(photo === undefined ? {} : { photo }),
  });
  if (!parsed.success) return undefined;
  const { source: _source, ...fields } = parsed.data;
  return fields;
}

/** A property value as text: structured values (ORG's units) joined, others stringified. */
function textOf(value: unknown): string {
  if (Array.isArray(value)) return value.map(textOf).filter((part) => part !== '').join(', ');
  if (typeof value === 'string') return value.trim();
  return value === null || value === undefined ? '' : String(value).trim();
}

/** N is family;given;additional;prefix;suffix (RFC 6350 §6.2.2). */
function nameFromN(value: unknown): string {
  if (!Array.isArray(value)) return textOf(value).split(';').filter(Boolean).reverse().join(' ');
  const [family, given, additional, prefix, suffix] = value.map(textOf);
  return [prefix, given, additional, family, suffix].filter((part) => part !== undefined && part !== '').join(' ');
}

/** The first TYPE that is not a property kind (voice, pref...) as the label: "work", "cell". */
function labelOf(type: unknown): { label?: string } {
  const types = (Array.isArray(type) ? type : [type]).map((t) => textOf(t).toLowerCase()).filter((t) => t !== '' && t !== 'voice' && t !== 'pref' && t !== 'internet');
  return types[0] === undefined ? {} : { label: types[0].slice(0, 32) };
}

/** The parts of a contact that live in the address book; the rest (favourite, watch flags) stays here. */
export type CardFields = Pick<ContactFields, 'name' | 'organisation' | 'addresses' | 'notes'>;

/**
 * A vCard with `fields`: the server's card (`base`) with only the properties whose contact
 * field changed rewritten — so what we do not model (EMAIL, ADR, PHOTO, parameters of an
 * untouched TEL) survives our edit — or a new vCard 4.0 with this UID.
 */
export function vCardWith(fields: CardFields, base: { text: string } | { uid: string }): string {
  let card: ICAL.Component;
  let before: Omit<ContactFields, 'source'> | undefined;
  if ('text' in base) {
    card = new ICAL.Component(ICAL.parse(base.text) as unknown[]);
    before = contactFromVCard(base.text);
  } else {
    card = new ICAL.Component(['vcard', [], []]);
    card.addPropertyWithValue('version', '4.0');
    card.addPropertyWithValue('uid', base.uid);
  }
  const v4 = textOf(card.getFirstPropertyValue('version')) === '4.0';
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (before === undefined || before.name !== fields.name) {
    card.updatePropertyWithValue('fn', fields.name);
    // N is required in 3.0 (RFC 2426 §3.1.2): family name last, the rest given.
    const words = fields.name.split(/\s+/);
    const family = words.length > 1 ? words.pop()! : fields.name;
    const n = new ICAL.Property('n', card);
    n.setValue([family, words.length > 0 && family !== fields.name ? words.join(' ') : '', '', '', '']);
    card.removeAllProperties('n');
    card.addProperty(n);
  }
  if (before === undefined || !same(before.organisation, fields.organisation)) {
    card.removeAllProperties('org');
    if (fields.organisation !== undefined) {
      const org = new ICAL.Property('org', card);
      org.setValue([fields.organisation]);
      card.addProperty(org);
    }
  }
  const ofKind = (list: readonly ContactAddress[], kind: ContactAddress['kind']): ContactAddress[] => list.filter((a) => a.kind === kind);
  for (const kind of ['phone', 'sip'] as const) {
    if (before !== undefined && same(ofKind(before.addresses, kind), ofKind(fields.addresses, kind))) continue;
    for (const name of kind === 'phone' ? ['tel'] : ['impp', 'x-sip']) card.removeAllProperties(name);
    for (const address of ofKind(fields.addresses, kind)) {
      const property = new ICAL.Property(kind === 'phone' ? 'tel' : 'impp', card);
      // The number as the user wrote it: text, not a tel: URI (RFC 6350 §6.4.1 allows VALUE=text).
      if (kind === 'phone' && v4) property.setParameter('value', 'text');
      if (address.label !== undefined) property.setParameter('type', address.label);
      property.setValue(address.value);
      card.addProperty(property);
    }
  }
  if (before === undefined || !same(before.notes, fields.notes)) {
    card.removeAllProperties('note');
    if (fields.notes !== undefined) card.addPropertyWithValue('note', fields.notes);
  }
  return `${card.toString().replace(/\r?\n/g, '\r\n')}\r\n`;
}
