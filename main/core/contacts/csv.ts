/**
 * Comma-separated values as RFC 4180 has them: records on lines (CRLF or LF), fields quoted
 * with `"` when they hold the separator, a quote or a line break, `""` for a quote inside.
 * Spreadsheets in some locales separate with `;` or a tab: the header line decides.
 */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    message: string,
    /** The line (from 1) where the problem starts. */
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface CsvRecord {
  /** The line (from 1) the record starts on: a quoted field may span several. */
  line: number;
  fields: string[];
}

/** The separator of the header line: the one of `,` `;` tab it has most of outside quotes. */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  return [...counts].reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

export function parseCsv(input: string, separator = detectSeparator(input.replace(/^\uFEFF/, ''))): CsvRecord[] {
  const text = input.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record (RFC 4180 leaves it undefined; spreadsheets skip it).
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError('a quoted field is not closed', start);
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== separator && next !== '\r' && next !== '\n') {
        throw new CsvError(`text after a closing quote (${JSON.stringify(next)}): quotes inside a field are written ""`, line);
      }
      continue;
    }
    if (c === separator) {
      fields.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
    i++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Records as CSV, CRLF line ends (RFC 4180 §2), a field quoted only when it must be. */
export function writeCsv(rows: readonly (readonly string[])[], separator = ','): string {
  const quote = (value: string) => (value.includes(separator) || /["\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value);
  return rows.map((row) => `${row.map(quote).join(separator)}\r\n`).join('');
}
