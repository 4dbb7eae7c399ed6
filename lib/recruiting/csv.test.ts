import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, readCandidateCsv } from './csv';

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits plain records on LF, CRLF and CR', () => {
    expect(fieldsOf('a,b\n1,2\r\n3,4\r5,6')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('drops a byte-order mark and keeps empty fields', () => {
    expect(fieldsOf('\uFEFFa,b,c\n,,x\n')).toEqual([
      ['a', 'b', 'c'],
      ['', '', 'x'],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(fieldsOf('name,note\n"Doe, Jane","said ""hi""\nthen left"\n""')).toEqual([
      ['name', 'note'],
      ['Doe, Jane', 'said "hi"\nthen left'],
      [''],
    ]);
  });

  it('numbers rows as a spreadsheet does: blank lines count, quoted line breaks do not', () => {
    const rows = parseCsv('h\n"a\nb"\n\nc\n').map((r) => r.row);
    expect(rows).toEqual([1, 2, 4]);
  });

  it('keeps a stray quote inside an unquoted field', () => {
    expect(fieldsOf('O"Brien,x')).toEqual([['O"Brien', 'x']]);
  });

  it('refuses an unclosed quote and text after a closing quote', () => {
    expect(() => parseCsv('a\n"never closed')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('"a"b,c')).toThrow(/after a closing quote/);
  });
});

describe('readCandidateCsv', () => {
  it('validates each row, lower-cases emails and stages, and reports bad rows by spreadsheet row', () => {
    const csv = [
      'First_Name,last_name,email,phone,stage',
      'Ada,Lovelace,ADA@Example.com,+44 1,Hired',
      ',Nobody,nobody@example.com,,',
      'Alan,Turing,not-an-email,,',
      'Grace,Hopper,grace@example.com,,promoted',
      'Ada,Again,ada@example.com,,',
      'Too,Few,fields@example.com',
      ',,,,',
    ].join('\n');
    const { rows, errors } = readCandidateCsv(csv);
    expect(rows).toEqual([
      {
        row: 2,
        input: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone: '+44 1', stage: 'hired' },
      },
    ]);
    expect(errors.map((e) => e.row)).toEqual([3, 4, 5, 6, 7]);
    expect(errors[0].message).toMatch(/first_name/);
    expect(errors[1].message).toMatch(/email/);
    expect(errors[2].message).toMatch(/stage/);
    expect(errors[3].message).toMatch(/already on row 2/);
    expect(errors[4].message).toMatch(/3 fields/);
  });

  it('accepts the columns in any order and without phone and stage', () => {
    const { rows, errors } = readCandidateCsv('email,last_name,first_name\r\nx@example.com,Doe,Jo\r\n');
    expect(errors).toEqual([]);
    expect(rows[0].input).toEqual({ first_name: 'Jo', last_name: 'Doe', email: 'x@example.com' });
  });

  it('refuses formula-like cells by row and column, but not phone numbers that start with +', () => {
    const csv = [
      'first_name,last_name,email,phone',
      '=HYPERLINK("http://evil.example"),Doe,a@example.com,',
      'Jo,"  +SUM(1,2)",b@example.com,',
      '-Smith,@Doe,c@example.com,',
      '"\tTab",Doe,d@example.com,',
      'Jo,Doe,e@example.com,=1+1',
      'Jo,Doe,f@example.com,+44 20 7946 0000',
      'Jo,Doe,g@example.com,"+1 (555) 010-0000"',
      'Jo,Doe,h@example.com,+1=cmd',
      'Jo,Doe-Smith,i@example.com,0044 20',
    ].join('\n');
    const { rows, errors } = readCandidateCsv(csv);
    expect(rows.map((r) => r.row)).toEqual([7, 8, 10]);
    expect(rows.map((r) => r.input.phone)).toEqual(['+44 20 7946 0000', '+1 (555) 010-0000', '0044 20']);
    expect(errors.map((e) => e.row)).toEqual([2, 3, 4, 5, 6, 9]);
    expect(errors[0].message).toMatch(/^first_name: must not start with =/);
    expect(errors[1].message).toMatch(/^last_name: /);
    expect(errors[2].message).toMatch(/^first_name: .*; last_name: /);
    expect(errors[3].message).toMatch(/^first_name: /);
    expect(errors[4].message).toMatch(/^phone: /);
    expect(errors[5].message).toMatch(/^phone: /);
  });

  it('refuses files whose header or size is wrong', () => {
    expect(() => readCandidateCsv('\n\n')).toThrow(/empty/);
    expect(() => readCandidateCsv('first_name,last_name\nA,B')).toThrow(/missing: email/);
    expect(() => readCandidateCsv('first_name,last_name,email,age\nA,B,c@d.e,3')).toThrow(/unknown column/);
    expect(() => readCandidateCsv('first_name,last_name,email,__proto__\nA,B,c@d.e,x')).toThrow(/unknown column/);
    expect(() => readCandidateCsv('first_name,last_name,email,email\n')).toThrow(/named twice/);
    expect(() => readCandidateCsv('first_name,last_name,email\n')).toThrow(/no candidates/);
    const huge = `first_name,last_name,email\n${'a,b,c@d.e\n'.repeat(10_001)}`;
    expect(() => readCandidateCsv(huge)).toThrow(/at most 10000/);
  });
});
