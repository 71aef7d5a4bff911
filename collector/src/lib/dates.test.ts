import { expect, it } from 'vitest';
import { addDays, daysIn, localDate } from './dates.ts';

it('gives the local date of an instant in a time zone', () => {
  const t = Date.UTC(2026, 10, 9, 15, 30); // 9 Nov 15:30 UTC
  expect(localDate(t, 'UTC')).toBe('2026-11-09');
  expect(localDate(t, 'Asia/Tokyo')).toBe('2026-11-10'); // 00:30 the next day
  expect(localDate(t, 'America/Los_Angeles')).toBe('2026-11-09');
  expect(localDate(Date.UTC(2026, 11, 31, 23, 59), 'Pacific/Kiritimati')).toBe('2027-01-01');
});

it('adds days across months, years and daylight-saving changes', () => {
  expect(addDays('2026-11-10', 1)).toBe('2026-11-11');
  expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  // dates are calendar days: a time zone's clock change does not move them
  expect(addDays('2026-03-07', 2)).toBe('2026-03-09');
  expect(addDays('2026-11-10', -29)).toBe('2026-10-12');
});

it('counts the days of a range, both ends included', () => {
  expect(daysIn({ from: '2026-11-10', to: '2026-11-10' })).toBe(1);
  expect(daysIn({ from: '2026-10-12', to: '2026-11-10' })).toBe(30);
  expect(daysIn({ from: '2026-11-11', to: '2026-11-10' })).toBe(0);
  expect(daysIn({ from: '2024-01-01', to: '2024-12-31' })).toBe(366);
});
