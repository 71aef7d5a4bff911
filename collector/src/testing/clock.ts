/**
 * The clock report tests share: "now" is 2026-11-10 12:00 UTC = 21:00 in Tokyo. `at(9, h)` for
 * h < 15 is 9 Nov in Tokyo, `at(10, h)` 10 Nov; ingest accepts events back to 3 Nov 12:00 UTC.
 */
import { expect } from 'vitest';
import type { createApp } from '../app.ts';
import { batch, beaconInit, type event } from './beacon.ts';

export const NOW = Date.UTC(2026, 10, 10, 12, 0);
export const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour, minute);

/** Sends one visitor's events through the real ingest endpoint, sent at NOW, and expects a 202. */
export async function send(
  app: ReturnType<typeof createApp>,
  site: { id: string; origin: string },
  visitor: string,
  events: ReturnType<typeof event>[],
) {
  const res = await app.request('/api/v1/events', beaconInit(batch(site.id, events, { visitor, sentAt: NOW }), site.origin));
  expect(res.status).toBe(202);
}
