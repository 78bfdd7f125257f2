import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv.js';

/** A small RFC 4180 reader, to check that what is written reads back as the same fields. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          if (i >= line.length) throw new Error('unterminated quote');
          field += line[i++];
        }
      }
    } else {
      while (i < line.length && line[i] !== ',' && !(line[i] === '\r' && line[i + 1] === '\n')) field += line[i++];
    }
    fields.push(field);
    if (line[i] === ',') i++;
    else return fields;
  }
}

describe('csvField: RFC 4180 quoting', () => {
  it('leaves plain text alone', () => {
    expect(csvField('Asha Rao')).toBe('Asha Rao');
    expect(csvField('a@example.com')).toBe('a@example.com');
    expect(csvField(' padded ')).toBe(' padded ');
  });

  it('quotes fields with commas, quotes or line breaks, doubling quotes', () => {
    expect(csvField('Rao, Asha')).toBe('"Rao, Asha"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('crlf\r\nhere')).toBe('"crlf\r\nhere"');
    expect(csvField('"')).toBe('""""');
  });

  it('writes null and undefined as empty fields, numbers and booleans as text', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('');
    expect(csvField(0)).toBe('0');
    expect(csvField(1234.5)).toBe('1234.5');
    expect(csvField(true)).toBe('true');
  });

  it('writes objects as quoted JSON', () => {
    const attributes = { tier: 'gold', tags: ['a', 'b'] };
    const field = csvField(attributes);
    expect(field).toBe('"{""tier"":""gold"",""tags"":[""a"",""b""]}"');
    expect(JSON.parse(parseCsvLine(field)[0]!)).toEqual(attributes);
  });
});

describe('csvField: spreadsheet formula defusing', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['@SUM(1)', "'@SUM(1)"],
    ['+cmd|" /C calc"!A0', `"'+cmd|"" /C calc""!A0"`],
    ['-2+3+cmd|" /C calc"!A0', `"'-2+3+cmd|"" /C calc""!A0"`],
    ['-1-1', "'-1-1"],
    ['+A1', "'+A1"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('%j -> %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each(['+919876543210', '-12.5', '+1 (201) 5550123', '-0.75', '+44 7911 123456', '12.5', '919876543210'])(
    'leaves the signed number %j as it is',
    (value) => {
      expect(csvField(value)).toBe(value);
    },
  );

  it('does not treat a formula sign later in the text as a formula', () => {
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('x@example.com')).toBe('x@example.com');
    expect(csvField('5-3')).toBe('5-3');
  });

  it('quotes a defused field that also holds a comma', () => {
    expect(csvField('=1,2')).toBe(`"'=1,2"`);
    expect(parseCsvLine(csvField('=1,2'))).toEqual(["'=1,2"]);
  });
});

describe('csvLine', () => {
  it('joins fields with commas and ends with CRLF', () => {
    expect(csvLine(['id', 'name', 'phone'])).toBe('id,name,phone\r\n');
    expect(csvLine(['ct_1', null, '+919876543210', 'Rao, Asha'])).toBe('ct_1,,+919876543210,"Rao, Asha"\r\n');
  });

  it('reads back as the same fields', () => {
    const fields = ['ct_1', 'Rao, "Ash"', 'multi\r\nline', '', '+919876543210', '-12.5', 'plain'];
    const line = csvLine(fields);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parseCsvLine(line)).toEqual(fields);
  });
});
