import { describe, expect, it } from 'vitest';
import { parseCsv } from '@/lib/recruiting/csv';
import { type CsvCell, createSerializer } from './format';

type Row = { v: CsvCell };
const csv = createSerializer<Row>('csv', [{ header: 'v', value: (r) => r.v }], (r) => r);
const cells = (values: CsvCell[]) => csv.rows(values.map((v) => ({ v })));

describe('CSV export cells', () => {
  it('quotes commas, quotes and any line break (CR, LF or CRLF), doubling quotes, and ends records with CRLF', () => {
    expect(csv.header()).toBe('v\r\n');
    expect(cells(['a,b', 'say "hi"', 'l1\nl2', 'l1\rl2', 'l1\r\nl2', 'plain'])).toBe(
      '"a,b"\r\n"say ""hi"""\r\n"l1\nl2"\r\n"l1\rl2"\r\n"l1\r\nl2"\r\nplain\r\n',
    );
    const parsed = parseCsv(cells(['l1\nl2', 'x']));
    expect(parsed.map((r) => r.fields[0])).toEqual(['l1\nl2', 'x']);
  });

  it('prefixes a text cell that a spreadsheet would run as a formula with a quote (OWASP CSV injection)', () => {
    expect(cells(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\uff1d1', 'a=b'])).toBe(
      "'=1+2\r\n'+1\r\n'-1\r\n'@SUM(A1)\r\n'\tx\r\n\"'\rx\"\r\n'\uff1d1\r\na=b\r\n",
    );
  });

  it('leaves numbers as numbers (a negative one too), writes booleans as words and null as an empty cell', () => {
    expect(cells([-5, 0, 1.5, true, false, null, undefined])).toBe('-5\r\n0\r\n1.5\r\ntrue\r\nfalse\r\n\r\n\r\n');
  });
});

describe('JSON Lines export', () => {
  it('writes one object per line, with line separators and control characters escaped', () => {
    const jsonl = createSerializer<{ v: string }>('jsonl', [], (r) => ({ value: r.v }));
    expect(jsonl.header()).toBe('');
    const text = jsonl.rows([{ v: 'a\nb\u2028c' }, { v: '=x' }]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0])).toEqual({ value: 'a\nb\u2028c' });
    expect(JSON.parse(lines[1])).toEqual({ value: '=x' });
  });
});
