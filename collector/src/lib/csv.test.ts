import { expect, it } from 'vitest';
import { toCsv } from './csv.ts';

it('writes a header from the first row and one CRLF line per row (RFC 4180)', () => {
  expect(toCsv([{ path: '/a', views: 3 }, { path: '/b', views: 0 }])).toBe('path,views\r\n/a,3\r\n/b,0\r\n');
});

it('quotes cells with commas, quotes and line breaks, doubling the quotes', () => {
  expect(toCsv([{ q: 'a,b' }, { q: 'say "hi"' }, { q: 'two\nlines' }, { q: 'cr\rhere' }])).toBe(
    'q\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\n',
  );
});

it('neutralises cells a spreadsheet would run as a formula (OWASP CSV injection)', () => {
  const rows = ['=HYPERLINK("https://evil.example")', '+1', '-2', '@SUM(A1)', '\tx'].map((title) => ({ title }));
  expect(toCsv(rows).split('\r\n').slice(1, -1)).toEqual([`"'=HYPERLINK(""https://evil.example"")"`, "'+1", "'-2", "'@SUM(A1)", "'\tx"]);
  // numbers are numbers, not formulas
  expect(toCsv([{ delta: -2 }])).toBe('delta\r\n-2\r\n');
});

it('writes null as an empty cell, objects as JSON, non-ASCII as is', () => {
  expect(toCsv([{ a: null, b: undefined, c: { x: [1] }, d: 'よくある質問' }])).toBe('a,b,c,d\r\n,,"{""x"":[1]}",よくある質問\r\n');
});

it('writes nothing for no rows', () => {
  expect(toCsv([])).toBe('');
});
