import { expect, it } from 'vitest';
import { pagePath } from './page-path.ts';

it('drops the query and folds numeric and uuid-like segments to :id (DEFINITIONS: page grouping)', () => {
  expect(pagePath('https://s.example/orders/123?utm_source=x#top')).toBe('/orders/:id');
  expect(pagePath('https://s.example/u/6f1c2b9e-8a7d-4c3b-9e2f-1a2b3c4d5e6f/edit')).toBe('/u/:id/edit');
  expect(pagePath('https://s.example/blog/hello-world')).toBe('/blog/hello-world');
  expect(pagePath('https://s.example/v2/items')).toBe('/v2/items');
  expect(pagePath('https://s.example/')).toBe('/');
});

it('keeps hash routes of hash-mode SPAs, folded too', () => {
  expect(pagePath('https://s.example/#/faq/42')).toBe('/#/faq/:id');
  expect(pagePath('https://s.example/app#section')).toBe('/app');
});

it('never throws on hostile input', () => {
  expect(pagePath('::::')).toBe('/');
});
