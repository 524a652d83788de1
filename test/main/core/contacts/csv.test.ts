/** RFC 4180 CSV: quoting, line breaks in fields, separators by locale, round trips. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, detectSeparator, parseCsv, writeCsv } from '../../../../main/core/contacts/csv.js';

describe('CSV', () => {
  it('reads quoted fields with separators, quotes and line breaks, and where each record starts', () => {
    const records = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n\r\nlast,,\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\r\nlines'] },
      { line: 5, fields: ['last', '', ''] },
    ]);
  });

  it('takes the separator the header line uses', () => {
    expect(detectSeparator('Name;Telefon;"a,b"\n')).toBe(';');
    expect(detectSeparator('Name\tPhone\n')).toBe('\t');
    expect(parseCsv('Name;Telefon\nZoë;030 1234')).toEqual([
      { line: 1, fields: ['Name', 'Telefon'] },
      { line: 2, fields: ['Zoë', '030 1234'] },
    ]);
  });

  it('refuses an unclosed quote and text after a closing quote, by line', () => {
    expect(() => parseCsv('a,b\n"open,b\nc,d\n')).toThrow(new CsvError('a quoted field is not closed', 2));
    expect(() => parseCsv('a,b\n"x"y,b\n')).toThrow(/line 2: text after a closing quote/);
  });

  it('writes what it reads back, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 10 }), (rows) => {
        const width = rows[0]!.length;
        const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? 'x'));
        expect(parseCsv(writeCsv(table), ',').map((r) => r.fields)).toEqual(table);
      }),
    );
  });
});
