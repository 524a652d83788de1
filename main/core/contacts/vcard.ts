/**
 * Contacts as vCards: read from 3.0 (RFC 2426) and 4.0 (RFC 6350) — and the 2.1 habits phones
 * still export, quoted-printable values and bare TYPE parameters — written as 4.0. ical.js
 * parses and writes the vCard grammar; here each card is cut out first (so a bad card is
 * reported by its line and the others still come in) and mapped to our fields.
 */
import ICAL from 'ical.js';
import type { Contact, ContactAddress } from '../../../shared/model.js';
import { ContactFileError, type ContactRecord, type ReadResult, type RecordError } from './contact-record.js';
import { toE164 } from './phone-number.js';
import { bytesOfBase64, photoDataUrl, photoProblem } from '../../../shared/photo.js';

interface Card {
  line: number;
  lines: string[];
}

/** Cards with their first line; logical lines unfolded (RFC 6350 §3.2). */
function cardsIn(text: string): { cards: Card[]; errors: RecordError[] } {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const cards: Card[] = [];
  const errors: RecordError[] = [];
  let current: Card | undefined;
  let qpSoftBreak = false;
  physical.forEach((raw, index) => {
    const lineNo = index + 1;
    if (current !== undefined && current.lines.length > 0 && (qpSoftBreak || /^[ \t]/.test(raw))) {
      const last = current.lines.length - 1;
      current.lines[last] = qpSoftBreak ? current.lines[last]!.slice(0, -1) + raw : current.lines[last]! + raw.slice(1);
    } else if (/^BEGIN:VCARD\s*$/i.test(raw)) {
      if (current !== undefined) errors.push({ line: current.line, reason: 'a vCard without END:VCARD' });
      current = { line: lineNo, lines: [raw.trim()] };
    } else if (/^END:VCARD\s*$/i.test(raw)) {
      if (current === undefined) errors.push({ line: lineNo, reason: 'END:VCARD without BEGIN:VCARD' });
      else cards.push({ line: current.line, lines: [...current.lines, 'END:VCARD'] });
      current = undefined;
    } else if (current !== undefined) {
      current.lines.push(raw);
    } else if (raw.trim() !== '') {
      errors.push({ line: lineNo, reason: 'text outside BEGIN:VCARD … END:VCARD' });
    }
    const last = current?.lines.at(-1) ?? '';
    qpSoftBreak = current !== undefined && /ENCODING=QUOTED-PRINTABLE/i.test(last.split(':', 1)[0] ?? '') && last.endsWith('=');
  });
  if (current !== undefined) errors.push({ line: current.line, reason: 'a vCard without END:VCARD' });
  return { cards, errors };
}

/** Where the name and parameters end: the first `:` outside a quoted parameter value. */
function valueStart(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return i;
  }
  return -1;
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(value.slice(i + 1, i + 3)) : null;
    if (hex !== null) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(...new TextEncoder().encode(value[i]!));
    }
  }
  try {
    return new TextDecoder(charset, { fatal: false }).decode(new Uint8Array(bytes));
  } catch {
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  }
}

/**
 * A 2.1-style line made 3.0: quoted-printable decoded (CHARSET honoured), bare parameters
 * (`TEL;CELL:`) read as TYPE values.
 */
function modernised(line: string): string {
  const colon = valueStart(line);
  if (colon < 0) return line;
  const [name, ...params] = line.slice(0, colon).split(';');
  let value = line.slice(colon + 1);
  const kept: string[] = [];
  let qp = false;
  let charset = 'utf-8';
  for (const param of params) {
    const [key, val] = param.split('=', 2) as [string, string | undefined];
    if (val === undefined) kept.push(`TYPE=${key}`);
    else if (/^encoding$/i.test(key) && /^quoted-printable$/i.test(val)) qp = true;
    else if (/^charset$/i.test(key)) charset = val.replace(/"/g, '');
    else kept.push(param);
  }
  if (qp) value = decodeQuotedPrintable(value, charset);
  return `${[name, ...kept].join(';')}:${value}`;
}

const labels: Readonly<Record<string, string>> = { cell: 'mobile', work: 'work', home: 'home', fax: 'fax', pager: 'pager', main: 'main', iphone: 'mobile' };
/** TYPE values that say nothing a user would call a label. */
const unlabelled = new Set(['voice', 'pref', 'internet', 'text', 'x-sip', 'sip']);

function labelOf(property: ICAL.Property): string | undefined {
  const raw = property.getParameter('type');
  const types = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((t) => String(t).toLowerCase().split(','));
  const type = types.find((t) => !unlabelled.has(t));
  return type === undefined ? undefined : (labels[type] ?? type).slice(0, 32);
}

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).filter((v) => v !== '').join(', ');
  return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/**
 * A card's photo (RFC 6350 §6.2.4, RFC 2426 §3.1.4), inline only: 3.0 `ENCODING=b` base64 and
 * 4.0 `data:` URIs. A photo at a remote URL is not fetched — an import would reach wherever a
 * file points, and the UI shows no remote images — so the card comes in without it, with a
 * warning; so does one that is no PNG, JPEG, GIF or WebP, or is too big.
 */
export function photoOf(component: ICAL.Component): { photo?: string; warning?: string } {
  const property = component.getFirstProperty('photo');
  if (property === null) return {};
  const raw: unknown = property.getFirstValue();
  const value = (raw instanceof ICAL.Binary ? raw.value : text(raw)).trim();
  const encoding = property.getParameter('encoding');
  let bytes: Uint8Array | undefined;
  if (typeof encoding === 'string' && /^(?:b|base64)$/i.test(encoding)) {
    bytes = bytesOfBase64(value);
  } else if (/^data:/i.test(value)) {
    const data = /^data:[^,;]*(?:;[^,;=]+=[^,;]*)*;base64,(.*)$/is.exec(value);
    if (data === null) return { warning: 'photo left out: a data: URI that is not base64' };
    bytes = bytesOfBase64(data[1]!);
  } else if (value !== '') {
    return { warning: `photo at ${value.slice(0, 120)} not fetched (remote images are not loaded): the contact has no photo` };
  }
  if (bytes === undefined) return { warning: 'photo left out: it is not valid base64' };
  const problem = photoProblem(bytes);
  return problem === undefined ? { photo: photoDataUrl(bytes) } : { warning: `photo left out: ${problem}` };
}

function recordOf(card: Card): { record: ContactRecord; warning?: string } {
  const parsed: unknown = ICAL.parse(card.lines.map(modernised).join('\r\n'));
  const component = new ICAL.Component(parsed as ConstructorParameters<typeof ICAL.Component>[0]);
  if (component.name !== 'vcard') throw new Error(`a ${component.name} where a vCard was expected`);
  const first = (name: string) => text(component.getFirstPropertyValue(name));
  const n = component.getFirstPropertyValue('n');
  const [family, given, middle] = Array.isArray(n) ? n.map(text) : [text(n)];
  const fromN = [given, middle, family].filter((p) => p !== undefined && p !== '').join(' ');
  const organisation = first('org');
  const name = first('fn') || fromN || organisation;
  if (name === '') throw new Error('no FN, N or ORG: the card has no name');
  const addresses: ContactAddress[] = [];
  const add = (kind: ContactAddress['kind'], value: string, label: string | undefined) => {
    if (value !== '' && !addresses.some((a) => a.value === value)) addresses.push({ kind, ...(label === undefined ? {} : { label }), value: value.slice(0, 256) });
  };
  for (const tel of component.getAllProperties('tel')) {
    const value = text(tel.getFirstValue());
    add(/^sips?:/i.test(value) ? 'sip' : 'phone', value.replace(/^tel:/i, ''), labelOf(tel));
  }
  for (const property of [...component.getAllProperties('impp'), ...component.getAllProperties('url'), ...component.getAllProperties('x-sip')]) {
    const value = text(property.getFirstValue());
    if (/^sips?:/i.test(value)) add('sip', value, labelOf(property));
    else if (property.name === 'x-sip' && value.includes('@')) add('sip', `sip:${value}`, labelOf(property));
  }
  const notes = first('note');
  const favourite = component.getAllProperties('categories').some((c) => c.getValues().some((v) => /^(?:favou?rites?|starred)$/i.test(text(v))));
  const { photo, warning } = photoOf(component);
  const record: ContactRecord = {
    line: card.line,
    name: name.slice(0, 128),
    addresses: addresses.slice(0, 20),
    ...(organisation === '' ? {} : { organisation: organisation.slice(0, 128) }),
    ...(notes === '' ? {} : { notes: notes.slice(0, 4096) }),
    ...(favourite ? { favourite } : {}),
    ...(photo === undefined ? {} : { photo }),
  };
  return warning === undefined ? { record } : { record, warning };
}

export function readVCards(input: string): ReadResult {
  const { cards, errors } = cardsIn(input);
  if (cards.length === 0 && !/BEGIN:VCARD/i.test(input)) throw new ContactFileError('not a vCard file: there is no BEGIN:VCARD');
  const records: ContactRecord[] = [];
  const warnings: RecordError[] = [];
  for (const card of cards) {
    try {
      const { record, warning } = recordOf(card);
      records.push(record);
      if (warning !== undefined) warnings.push({ line: card.line, reason: warning });
    } catch (error) {
      errors.push({ line: card.line, reason: (error instanceof Error ? error.message : String(error)).slice(0, 300) });
    }
  }
  return { records, errors: errors.sort((a, b) => a.line - b.line), warnings };
}

/**
 * A property line folded at 75 octets (RFC 6350 §3.2). The PHOTO line is written here, not by
 * ical.js, which escapes the comma of a data: URI (`base64\,`) where RFC 6350 §6.2.4 has none.
 */
function folded(line: string): string {
  const parts = [line.slice(0, 75)];
  for (let i = 75; i < line.length; i += 74) parts.push(` ${line.slice(i, i + 74)}`);
  return parts.join('\r\n');
}

/** One vCard 4.0 per contact; numbers that read as E.164 are tel: URIs (RFC 6350 §6.4.1), a photo a data: URI. */
export function writeVCards(contacts: readonly Contact[]): string {
  return contacts
    .map((contact) => {
      const card = new ICAL.Component(['vcard', [], []]);
      card.addPropertyWithValue('version', '4.0');
      card.addPropertyWithValue('fn', contact.name);
      if (contact.organisation !== undefined) {
        const org = new ICAL.Property('org');
        org.setValue([contact.organisation]);
        card.addProperty(org);
      }
      for (const address of contact.addresses) {
        const property = address.kind === 'sip' ? new ICAL.Property('impp') : new ICAL.Property('tel');
        const e164 = address.kind === 'phone' ? toE164(address.value, undefined) : undefined;
        if (address.kind === 'phone') property.setParameter('value', e164 === undefined ? 'text' : 'uri');
        property.setValue(e164 === undefined ? address.value : `tel:${e164}`);
        if (address.label !== undefined) property.setParameter('type', address.label === 'mobile' ? 'cell' : address.label);
        card.addProperty(property);
      }
      if (contact.favourite) card.addPropertyWithValue('categories', 'favorites');
      if (contact.notes !== undefined) card.addPropertyWithValue('note', contact.notes);
      const lines = card.toString().replace(/\r?\n/g, '\r\n');
      // The photo (ASCII only: its octets are its characters) goes just before END:VCARD.
      return contact.photo === undefined ? `${lines}\r\n` : `${lines.replace(/END:VCARD$/, `${folded(`PHOTO:${contact.photo}`)}\r\nEND:VCARD`)}\r\n`;
    })
    .join('');
}
