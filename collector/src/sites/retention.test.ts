import { expect, it } from 'vitest';
import { lastPartialDay, retentionCutoff } from './retention.ts';

const NOW = Date.UTC(2026, 10, 10, 12, 0);

it('cuts raw events retention days before now', () => {
  expect(new Date(retentionCutoff(400, NOW)).toISOString()).toBe('2025-10-06T12:00:00.000Z');
  expect(retentionCutoff(1, NOW)).toBe(NOW - 86_400_000);
});

it('names the last local day retention has cut into: it and older days are never recomputed', () => {
  // 400 days before 10 Nov 2026 12:00 UTC is 6 Oct 2025 12:00 UTC = 21:00 in Tokyo, 02:00 on 7 Oct in Kiritimati
  expect(lastPartialDay({ timezone: 'Asia/Tokyo', retentionDays: 400 }, NOW)).toBe('2025-10-06');
  expect(lastPartialDay({ timezone: 'Pacific/Kiritimati', retentionDays: 400 }, NOW)).toBe('2025-10-07');
  expect(lastPartialDay({ timezone: 'UTC', retentionDays: 30 }, NOW)).toBe('2026-10-11');
});
