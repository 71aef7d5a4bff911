import { describe, expect, it } from 'vitest';
import { scrubText, scrubUrl } from './scrub.ts';
import { TEXT_CASES, URL_CASES } from './scrub.cases.ts';

describe('scrubUrl', () => {
  it.each(URL_CASES)('%s', (_, input, output) => {
    expect(scrubUrl(input, ['q'])).toBe(output);
    // the collector scrubs what the SDK scrubbed: it must stay as it is
    expect(scrubUrl(output, ['q'])).toBe(output);
  });

  it('keeps the values of the site\'s own parameters only when it says so', () => {
    expect(scrubUrl('https://s.example/?q=shoes')).toBe('https://s.example/?q=***');
  });
});

describe('scrubText', () => {
  it.each(TEXT_CASES)('%s', (_, input, output) => {
    expect(scrubText(input)).toBe(output);
    expect(scrubText(output)).toBe(output);
  });
});

describe('hostile input', () => {
  const HOSTILE = [
    'a'.repeat(100_000),
    '1 '.repeat(50_000),
    'a@'.repeat(50_000),
    ('a.' + 'b-'.repeat(30)).repeat(2000),
    'x%40'.repeat(25_000),
    'eyJ' + '-'.repeat(100_000),
    '(1)-'.repeat(25_000),
  ];
  it.each(HOSTILE.map((s) => [s.slice(0, 12), s]))('%s…: bounded time, bounded output', (_, s) => {
    const t = performance.now();
    const text = scrubText(s);
    const url = scrubUrl('https://s.example/' + s + '?utm_source=' + s + '#/' + s);
    expect(performance.now() - t).toBeLessThan(500);
    expect(text.length).toBeLessThanOrEqual(8192);
    expect(url.length).toBeLessThan(30_000);
  });
});
