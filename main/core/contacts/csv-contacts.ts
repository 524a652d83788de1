/**
 * Contacts as CSV rows. Columns are mapped to contact fields by the caller, or recognised from
 * the headers Google Contacts (`Name`, `Phone 1 - Type`/`Phone 1 - Value`, `Organization 1 -
 * Name`), Outlook (`First Name`, `Last Name`, `Company`, `Mobile Phone`...) and our own export use.
 */
import type { Contact, ContactAddress } from '../../../shared/model.js';
import { ContactFileError, type ContactRecord, type ReadResult, type RecordError } from './contact-record.js';
import { CsvError, parseCsv, writeCsv } from './csv.js';

/**
 * What a column holds: a contact field, a phone number or SIP address (`phone:work` with its
 * label), or nothing (`ignore`).
 */
export type CsvColumn = 'name' | 'givenName' | 'middleName' | 'familyName' | 'organisation' | 'notes' | 'favourite' | 'ignore' | `phone${'' | `:${string}`}` | `sip${'' | `:${string}`}`;

export const csvColumnPattern = /^(?:name|givenName|middleName|familyName|organisation|notes|favourite|ignore|(?:phone|sip)(?::[^:]{1,32})?)$/;

/** Headers we know, lower-case, and what they hold. */
const knownHeaders: Readonly<Record<string, CsvColumn>> = {
  name: 'name',
  'display name': 'name',
  'full name': 'name',
  'given name': 'givenName',
  'first name': 'givenName',
  'additional name': 'middleName',
  'middle name': 'middleName',
  'family name': 'familyName',
  'last name': 'familyName',
  surname: 'familyName',
  organisation: 'organisation',
  organization: 'organisation',
  'organization 1 - name': 'organisation',
  company: 'organisation',
  notes: 'notes',
  note: 'notes',
  favourite: 'favourite',
  'business phone': 'phone:work',
  'business phone 2': 'phone:work',
  'home phone': 'phone:home',
  'home phone 2': 'phone:home',
  'mobile phone': 'phone:mobile',
  'other phone': 'phone:other',
  'business fax': 'phone:fax',
  'company main phone': 'phone:work',
  'primary phone': 'phone',
  phone: 'phone',
  mobile: 'phone:mobile',
  sip: 'sip',
  'sip address': 'sip',
};

/** Google's numbered pairs: `Phone 1 - Value` takes its label from `Phone 1 - Type`. */
const pairedValue = /^(phone|sip|im) (\d+) - value$/;

interface Column {
  index: number;
  target: CsvColumn;
  /** The column holding this one's label, row by row (Google's `... - Type`). */
  labelIndex?: number;
}

function columnsOf(headers: string[], mapping: Readonly<Record<string, CsvColumn>> | undefined): Column[] {
  const lower = headers.map((h) => h.trim().toLowerCase());
  if (mapping !== undefined) {
    const missing = Object.keys(mapping).filter((header) => !headers.some((h) => h.trim() === header.trim()));
    if (missing.length > 0) throw new ContactFileError(`the mapping names columns the file does not have: ${missing.join(', ')}`);
  }
  return headers.flatMap((header, index): Column[] => {
    const mapped = mapping?.[header.trim()];
    if (mapped !== undefined) return mapped === 'ignore' ? [] : [{ index, target: mapped }];
    if (mapping !== undefined) return [];
    const known = knownHeaders[lower[index]!];
    if (known !== undefined) return [{ index, target: known }];
    const pair = pairedValue.exec(lower[index]!);
    if (pair !== null) {
      const labelIndex = lower.indexOf(`${pair[1]} ${pair[2]} - type`);
      // Google puts SIP addresses among "IM" and "Phone"; a sip: value is recognised row by row.
      const target: CsvColumn = pair[1] === 'sip' ? 'sip' : 'phone';
      return [labelIndex < 0 ? { index, target } : { index, target, labelIndex }];
    }
    return [];
  });
}

/** A cell's label as we keep it: Google's `* Mobile` (primary) is `mobile`. */
function labelOf(text: string | undefined): string | undefined {
  const label = text?.replace(/^\*\s*/, '').trim().toLowerCase().slice(0, 32);
  return label === undefined || label === '' ? undefined : label;
}

function addressesIn(cell: string, column: Column, row: string[]): ContactAddress[] {
  const [kind, fixedLabel] = column.target.split(':', 2) as ['phone' | 'sip', string | undefined];
  const label = fixedLabel ?? labelOf(column.labelIndex === undefined ? undefined : row[column.labelIndex]);
  // Google writes several values of one cell as "a ::: b".
  return cell
    .split(':::')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map((value) => {
      const actual = /^sips?:/i.test(value) ? 'sip' : kind;
      return { kind: actual, ...(label === undefined ? {} : { label }), value };
    });
}

export function readCsvContacts(text: string, mapping?: Readonly<Record<string, CsvColumn>>): ReadResult {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new ContactFileError(`not readable as CSV: ${error.message}`);
    throw error;
  }
  const [header, ...body] = rows;
  if (header === undefined) throw new ContactFileError('the CSV file is empty: it needs a header line naming its columns');
  const columns = columnsOf(header.fields, mapping);
  if (!columns.some((c) => ['name', 'givenName', 'familyName', 'organisation'].includes(c.target))) {
    throw new ContactFileError(`no column gives a name: map one to name, givenName, familyName or organisation (the columns are: ${header.fields.join(', ').slice(0, 300)})`);
  }
  const records: ContactRecord[] = [];
  const errors: RecordError[] = [];
  for (const { line, fields: row } of body) {
    if (row.length > header.fields.length && row.slice(header.fields.length).some((cell) => cell.trim() !== '')) {
      errors.push({ line, reason: `${row.length} fields where the header has ${header.fields.length}` });
      continue;
    }
    const parts: Partial<Record<'name' | 'givenName' | 'middleName' | 'familyName' | 'organisation' | 'notes' | 'favourite', string>> = {};
    const addresses: ContactAddress[] = [];
    for (const column of columns) {
      const cell = undefused((row[column.index] ?? '').trim());
      if (cell === '') continue;
      if (column.target.startsWith('phone') || column.target.startsWith('sip')) addresses.push(...addressesIn(cell, column, row));
      else parts[column.target as keyof typeof parts] = cell;
    }
    const personal = [parts.givenName, parts.middleName, parts.familyName].filter((p) => p !== undefined).join(' ');
    const name = parts.name ?? (personal !== '' ? personal : parts.organisation);
    if (name === undefined) {
      errors.push({ line, reason: 'no name, given name, family name or organisation' });
      continue;
    }
    records.push({
      line,
      name,
      addresses,
      ...(parts.organisation === undefined ? {} : { organisation: parts.organisation }),
      ...(parts.notes === undefined ? {} : { notes: parts.notes }),
      ...(parts.favourite === undefined ? {} : { favourite: /^(?:true|yes|1|x)$/i.test(parts.favourite) }),
    });
  }
  return { records, errors };
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `@`, `+`, `-` first: CSV injection) is
 * written behind a `'`, which spreadsheets show as text; phone numbers (`+49 30 …`) stay as
 * they are. Reading takes the `'` off again.
 */
const formulaStart = /^[=@+\-\t\r]/;
const phoneLike = /^[+-]?[\d\s().\-/]*$/;

function defused(cell: string): string {
  return formulaStart.test(cell) && !phoneLike.test(cell) ? `'${cell}` : cell;
}

function undefused(cell: string): string {
  return cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Google-style headers, so what we write is read back (by us and by Google Contacts). */
export function writeCsvContacts(contacts: readonly Contact[]): string {
  const max = (kind: ContactAddress['kind']) => Math.max(0, ...contacts.map((c) => c.addresses.filter((a) => a.kind === kind).length));
  const phones = max('phone');
  const sips = max('sip');
  const pairs = (kind: string, n: number) => Array.from({ length: n }, (_, i) => [`${kind} ${i + 1} - Type`, `${kind} ${i + 1} - Value`]).flat();
  const header = ['Name', 'Organization 1 - Name', 'Notes', 'Favourite', ...pairs('Phone', phones), ...pairs('SIP', sips)];
  const cells = (contact: Contact, kind: ContactAddress['kind'], n: number) => {
    const list = contact.addresses.filter((a) => a.kind === kind);
    return Array.from({ length: n }, (_, i) => [list[i]?.label ?? '', list[i]?.value ?? '']).flat();
  };
  const rows = contacts.map((c) => [c.name, c.organisation ?? '', c.notes ?? '', c.favourite ? 'true' : '', ...cells(c, 'phone', phones), ...cells(c, 'sip', sips)]);
  return writeCsv([header, ...rows.map((row) => row.map(defused))]);
}
