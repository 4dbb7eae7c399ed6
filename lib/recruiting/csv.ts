import type { z } from 'zod';
import { type CreateCandidateInput, createCandidateSchema, MAX_IMPORT_ROWS, type RowError } from './schemas';

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message);
  }
}

/**
 * RFC 4180 parsing: comma-separated, double-quoted fields may hold commas, quotes ("") and line
 * breaks; CRLF, LF or CR end a record; a leading byte-order mark is dropped. Each record comes
 * with its 1-based row number as a spreadsheet shows it: blank lines count, a line break inside
 * quotes does not.
 */
export function parseCsv(text: string): { row: number; fields: string[] }[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { row: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let closedQuote = false;
  // Whether the current line holds anything at all, even an empty quoted field.
  let touched = false;
  let row = 1;
  const endRecord = () => {
    fields.push(field);
    // A blank line is spacing, not a record of one empty field.
    if (touched) records.push({ row, fields });
    row += 1;
    fields = [];
    field = '';
    closedQuote = false;
    touched = false;
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        closedQuote = true;
      } else {
        field += ch;
      }
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      closedQuote = false;
      touched = true;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      endRecord();
    } else if (closedQuote) {
      throw new CsvSyntaxError('unexpected text after a closing quote', row);
    } else if (ch === '"' && field === '') {
      quoted = true;
      touched = true;
    } else {
      // A quote inside an unquoted field is unambiguous, so it is kept as written.
      field += ch;
      touched = true;
    }
  }
  if (quoted) throw new CsvSyntaxError('a quoted field is never closed', row);
  if (touched) endRecord();
  return records;
}

const REQUIRED_COLUMNS = ['first_name', 'last_name', 'email'] as const;
const KNOWN_COLUMNS = new Set<string>([...REQUIRED_COLUMNS, 'phone', 'stage', 'start_date']);

export type CandidateCsv = {
  rows: { row: number; input: CreateCandidateInput }[];
  errors: RowError[];
};

/**
 * What a spreadsheet runs as a formula when the file goes back out (CSV injection): a cell that
 * starts with =, +, -, @, tab or carriage return, also after leading spaces (the name schemas trim
 * them, so the stored text would start with the sign).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
// "+44 20 7946 0000" is a phone number, not a formula: a + then digits, spaces, ( ) . and -.
const PHONE_NUMBER = /^\+\d[\d ().-]*$/;

const FORMULA_MESSAGE =
  'must not start with =, +, -, @, a tab or a carriage return (a spreadsheet would run it as a formula)';

function looksLikeFormula(column: string, value: string): boolean {
  if (!FORMULA_START.test(value) && !FORMULA_START.test(value.trimStart())) return false;
  return !(column === 'phone' && PHONE_NUMBER.test(value.trim()));
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/**
 * Reads a candidates CSV (header: first_name,last_name,email[,phone][,stage][,start_date], any order) into
 * validated inputs and per-row errors. Problems with the file as a whole (syntax, header, size)
 * throw CsvSyntaxError since no row can be trusted then.
 */
export function readCandidateCsv(text: string): CandidateCsv {
  const records = parseCsv(text);
  // Spreadsheets export empty rows as ",,,,": they are spacing, not candidates.
  const [header, ...body] = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (!header) throw new CsvSyntaxError('the file is empty', 1);
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new CsvSyntaxError(
      `the header row must name the columns first_name,last_name,email,phone,stage (missing: ${missing.join(', ')})`,
      header.row,
    );
  }
  const unknown = columns.filter((c) => !KNOWN_COLUMNS.has(c));
  if (unknown.length > 0) throw new CsvSyntaxError(`unknown column(s): ${unknown.join(', ')}`, header.row);
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) throw new CsvSyntaxError(`column(s) named twice: ${repeated.join(', ')}`, header.row);
  if (body.length === 0) throw new CsvSyntaxError('the file has a header but no candidates', header.row);
  if (body.length > MAX_IMPORT_ROWS) {
    throw new CsvSyntaxError(`the file has ${body.length} candidates; import at most ${MAX_IMPORT_ROWS} at once`, 1);
  }

  const rows: CandidateCsv['rows'] = [];
  const errors: RowError[] = [];
  const firstRowOfEmail = new Map<string, number>();
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      errors.push({
        row: record.row,
        message: `has ${record.fields.length} fields; the header has ${columns.length}`,
      });
      continue;
    }
    const raw: Record<string, string> = {};
    columns.forEach((column, i) => {
      raw[column] = record.fields[i];
    });
    // Refused rather than stored with a ' prefix: the row comes back named, and nothing changes silently.
    const formulas = columns.filter((column) => looksLikeFormula(column, raw[column]));
    if (formulas.length > 0) {
      errors.push({ row: record.row, message: formulas.map((column) => `${column}: ${FORMULA_MESSAGE}`).join('; ') });
      continue;
    }
    // A blank stage cell means the default stage, and "Hired" from a spreadsheet means hired.
    const { stage, ...rest } = raw;
    const normalizedStage = stage?.trim().toLowerCase();
    const parsed = createCandidateSchema.safeParse(normalizedStage ? { ...rest, stage: normalizedStage } : rest);
    if (!parsed.success) {
      errors.push({ row: record.row, message: describeIssues(parsed.error) });
      continue;
    }
    const earlier = firstRowOfEmail.get(parsed.data.email);
    if (earlier !== undefined) {
      errors.push({ row: record.row, message: `email: ${parsed.data.email} is already on row ${earlier}` });
      continue;
    }
    firstRowOfEmail.set(parsed.data.email, record.row);
    rows.push({ row: record.row, input: parsed.data });
  }
  return { rows, errors };
}
