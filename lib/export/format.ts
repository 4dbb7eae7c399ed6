import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `format` of every export; CSV when absent, so a bare URL in a browser downloads a spreadsheet. */
export const exportFormatSchema = z.enum(EXPORT_FORMATS, { error: 'must be csv or jsonl' }).default('csv');

/**
 * JSON Lines has no registered media type; application/x-ndjson is the one the tools that read
 * such streams announce and recognise (Elasticsearch, Kibana, jq pipelines, undici/fetch clients),
 * so a client that switches on the type finds the one it knows.
 */
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

export const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', jsonl: 'jsonl' };

export type CsvCell = string | number | boolean | null | undefined;

/** A CSV column: its header and how a row fills it (nested objects are flattened into columns). */
export type CsvColumn<T> = { header: string; value: (row: T) => CsvCell };

// RFC 4180 (CRLF, fields with a comma, quote or line break quoted, quotes doubled) and OWASP's CSV
// injection rule: a text cell starting with = + - @ TAB or CR (or their full-width forms, which
// some spreadsheets normalise) is prefixed with a quote, so a name such as `=HYPERLINK(...)` stays
// text. Numbers are never prefixed, so -5 stays a number.
const CSV_OPTIONS = {
  record_delimiter: 'windows',
  // csv-stringify quotes only a whole CRLF; a lone CR or LF inside a field must be quoted too.
  quoted_match: /[\r\n]/,
  escape_formulas: true,
  cast: { boolean: (v: boolean) => (v ? 'true' : 'false') },
} as const;

/** Turns rows into the text of one format: the header once, then batches of rows. */
export type Serializer<T> = { header: () => string; rows: (rows: T[]) => string };

export function createSerializer<T>(
  format: ExportFormat,
  columns: CsvColumn<T>[],
  toRecord: (row: T) => unknown,
): Serializer<T> {
  if (format === 'jsonl') {
    return {
      header: () => '',
      // JSON.stringify escapes U+2028/2029 and every control character, so one record is one line.
      rows: (rows) => rows.map((r) => `${JSON.stringify(toRecord(r))}\n`).join(''),
    };
  }
  return {
    header: () => stringify([columns.map((c) => c.header)], CSV_OPTIONS),
    rows: (rows) =>
      stringify(
        rows.map((r) => columns.map((c) => c.value(r))),
        CSV_OPTIONS,
      ),
  };
}
