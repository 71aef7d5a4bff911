// @vitest-environment happy-dom
// The site's URL patterns (`data-faq`, `data-support`, `data-exclude`: `*` wildcards), as a page view matches them.
import { expect, it } from 'vitest';
import { glob, matches } from './url';

it.each([
  ['/faq*', '/faq', true],
  ['/faq*', '/faq/returns', true],
  ['/faq*', '/fa', false],
  ['/faq', '/faq/returns', false],
  ['*/edit', '/posts/1/edit', true],
  ['*/edit', '/posts/1/edit/x', false],
  ['/a*b*c', '/abc', true],
  ['/a*b*c', '/a-c-b-c', true],
  ['/a*b*c', '/a-c', false],
  // a part must fit between the parts before and after it, the tail not reused
  ['/ab*b', '/ab', false],
  ['/a*bc*c', '/abc', false],
  ['/a*bc*c', '/abcc', true],
  ['*', '', true],
  ['**', '/x', true],
  ['', '', true],
  ['', '/x', false],
  // every other character is itself, never a regular-expression operator
  ['/p.html', '/p.html', true],
  ['/p.html', '/pxhtml', false],
  ['/(a)?+[b]', '/(a)?+[b]', true],
  ['/^$', '/^$', true],
  ['/A*', '/a', false],
])('%j against %j: %s', (pattern, s, expected) => {
  expect(glob(pattern, s)).toBe(expected);
});

it('matches a path, or the whole URL when the pattern has a scheme', () => {
  expect(matches(['/help*'], 'https://shop.example/help/returns?x=1#top')).toBe(true);
  expect(matches(['https://help.example/*'], 'https://help.example/a')).toBe(true);
  expect(matches(['https://help.example/*'], 'https://shop.example/a')).toBe(false);
  expect(matches([], 'https://shop.example/')).toBe(false);
  // a URL that does not parse matches nothing, and throws nothing into the page
  expect(matches(['*'], 'http://[')).toBe(false);
});
