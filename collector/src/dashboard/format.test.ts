import { expect, it } from 'vitest';
import { formatFor, readable, safeHref } from './format.ts';

it('decodes paths for reading, and leaves a malformed escape as it came', () => {
  expect(readable('/%E3%82%88%E3%81%8F%E3%81%82%E3%82%8B%E8%B3%AA%E5%95%8F/%E8%BF%94%E5%93%81')).toBe('/よくある質問/返品');
  expect(readable('/a%E3%82/b')).toBe('/a%E3%82/b');
  expect(readable('/100%')).toBe('/100%');
  // decodeURI keeps reserved characters escaped: a decoded path cannot grow a new query or segment
  expect(readable('/a%3Fb%2Fc')).toBe('/a%3Fb%2Fc');
});

it('links only http and https URLs', () => {
  expect(safeHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
  expect(safeHref('http://example.com')).toBe('http://example.com/');
  for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>', 'vbscript:x', '/relative', ''])
    expect(safeHref(bad), bad).toBeUndefined();
});

it('formats numbers, percentages, days and durations for each language', () => {
  const en = formatFor('en', 'Asia/Tokyo');
  const ja = formatFor('ja', 'Asia/Tokyo');
  expect(en.number(12345)).toBe('12,345');
  expect(en.percent(0.1234)).toBe('12.3%');
  expect(en.change(110, 100)).toBe('+10%');
  expect(en.change(5, 0)).toBe('—');
  expect(en.day('2026-03-01')).toBe('Mar 1, 2026');
  expect(ja.day('2026-03-01')).toBe('2026/03/01');
  expect(en.duration(83_000)).toBe('1m 23s');
  expect(ja.duration(83_000)).toBe('1 分 23 秒');
  expect(en.duration(4_250)).toBe('4.3s');
  // an instant in the site's time zone: 2026-03-01T15:30Z is half past midnight on the 2nd in Tokyo
  expect(en.time('2026-03-01T15:30:00Z')).toBe('Mar 2, 2026, 12:30 AM');
  expect(en.number(null)).toBe('—');
});
