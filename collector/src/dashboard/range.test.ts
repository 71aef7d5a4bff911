import { expect, it } from 'vitest';
import { previousOf, viewOf, viewQuery } from './range.ts';

// 2026-03-10T16:00Z is the 11th in Tokyo
const NOW = Date.parse('2026-03-10T16:00:00Z');

it('counts presets back from the site’s today', () => {
  expect(viewOf({}, NOW, 'Asia/Tokyo')).toEqual({ range: '30d', from: '2026-02-10', to: '2026-03-11', compare: false });
  expect(viewOf({ range: '28d' }, NOW, 'Asia/Tokyo')).toMatchObject({ from: '2026-02-12', to: '2026-03-11' });
  expect(viewOf({ range: '7d' }, NOW, 'UTC')).toMatchObject({ from: '2026-03-04', to: '2026-03-10' });
  expect(viewOf({ range: '90d' }, NOW, 'UTC')).toMatchObject({ from: '2025-12-11', to: '2026-03-10' });
  expect(viewOf({ range: 'thisMonth' }, NOW, 'Asia/Tokyo')).toMatchObject({ from: '2026-03-01', to: '2026-03-11' });
  expect(viewOf({ range: 'lastMonth' }, NOW, 'UTC')).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
  expect(viewOf({ range: 'nonsense' }, NOW, 'UTC').range).toBe('30d');
});

it('takes a custom range as given (the report API validates it) and the comparison flag', () => {
  expect(viewOf({ range: 'custom', from: '2026-01-01', to: '2026-01-31', compare: '1' }, NOW, 'UTC')).toEqual({
    range: 'custom', from: '2026-01-01', to: '2026-01-31', compare: true,
  });
  expect(viewOf({ from: 'x', to: 'y' }, NOW, 'UTC')).toMatchObject({ range: 'custom', from: 'x', to: 'y' });
});

it('names the previous period and writes a view back into a query', () => {
  expect(previousOf({ from: '2026-03-01', to: '2026-03-07' })).toEqual({ from: '2026-02-22', to: '2026-02-28' });
  const view = viewOf({ range: 'custom', from: '2026-01-01', to: '2026-01-31', compare: '1' }, NOW, 'UTC');
  expect(viewQuery(view, { sort: 'score', offset: '' })).toBe('range=custom&from=2026-01-01&to=2026-01-31&compare=1&sort=score');
});
