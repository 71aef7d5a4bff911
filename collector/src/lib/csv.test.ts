import { expect, it } from 'vitest';
import { attachment, BOM, toCsv } from './csv.ts';

/** The CSV without its byte-order mark, which every one starts with. */
const body = (csv: string) => {
  expect(csv.startsWith(BOM)).toBe(true);
  return csv.slice(BOM.length);
};

it('writes a UTF-8 byte-order mark, the header of the columns and one CRLF line per row (RFC 4180)', () => {
  const csv = toCsv(['path', 'views'], [{ path: '/a', views: 3 }, { path: '/b', views: 0 }]);
  expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(body(csv)).toBe('path,views\r\n/a,3\r\n/b,0\r\n');
});

it('writes the cells in the order of the columns, a missing one empty', () => {
  expect(body(toCsv(['b', 'a', 'c'], [{ a: 1, b: 2 }]))).toBe('b,a,c\r\n2,1,\r\n');
});

it('writes the header alone when there is no row', () => {
  expect(toCsv(['path', 'views'], [])).toBe(`${BOM}path,views\r\n`);
});

it('quotes cells with commas, quotes and line breaks, doubling the quotes', () => {
  expect(body(toCsv(['q'], [{ q: 'a,b' }, { q: 'say "hi"' }, { q: 'two\nlines' }, { q: 'cr\rhere' }]))).toBe(
    'q\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n"cr\rhere"\r\n',
  );
});

it('neutralises cells a spreadsheet would run as a formula (OWASP CSV injection)', () => {
  const rows = ['=HYPERLINK("https://evil.example")', '+1', '-2', '@SUM(A1)', '\tx'].map((title) => ({ title }));
  expect(body(toCsv(['title'], rows)).split('\r\n').slice(1, -1)).toEqual([`"'=HYPERLINK(""https://evil.example"")"`, "'+1", "'-2", "'@SUM(A1)", "'\tx"]);
  // numbers are numbers, not formulas
  expect(body(toCsv(['delta'], [{ delta: -2 }]))).toBe('delta\r\n-2\r\n');
});

it('writes null as an empty cell, objects as JSON, non-ASCII as is', () => {
  expect(body(toCsv(['a', 'b', 'c', 'd'], [{ a: null, b: undefined, c: { x: [1] }, d: 'よくある質問' }]))).toBe('a,b,c,d\r\n,,"{""x"":[1]}",よくある質問\r\n');
});

it('names an attachment in ASCII and as RFC 5987 UTF-8, so that any name is a valid header', () => {
  expect(attachment('shop.example-overview.csv')).toBe(`attachment; filename="shop.example-overview.csv"; filename*=UTF-8''shop.example-overview.csv`);
  const header = attachment(`よくある質問 "a"\\b'(c)*.csv`);
  expect(header).toBe(`attachment; filename="______ _a__b'(c)*.csv"; filename*=UTF-8''%E3%82%88%E3%81%8F%E3%81%82%E3%82%8B%E8%B3%AA%E5%95%8F%20%22a%22%5Cb%27%28c%29%2A.csv`);
  expect(() => new Headers({ 'content-disposition': header })).not.toThrow();
  expect(() => new Headers({ 'content-disposition': 'attachment; filename="よくある質問.csv"' })).toThrow(); // what it was
});
