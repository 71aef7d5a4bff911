/**
 * A week of realistic traffic — the demo's visitor and session model (demo/model.ts), seeded — sent
 * through an app's real ingest endpoint at a fixed clock, 20 events a request as the SDK batches them:
 * the fixture of the tests that compare every report (reports/snapshot.test.ts, cli/db-copy.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { WireEvent } from '@kizuna/protocol';
import type { createApp } from '../app.ts';
import { generateSession, makeVisitor } from '../demo/model.ts';
import { Rng } from '../demo/random.ts';

const DAY = 86_400_000;

/** `visitors` visitors (15 % signed in) over the 6 days before `now`, a third of them returning; every request answered 202. */
export async function sendModelTraffic(
  app: ReturnType<typeof createApp>,
  site: { id: string; origin: string },
  options: { visitors: number; seed: number; now: number },
): Promise<void> {
  const { now } = options;
  const rng = new Rng(options.seed);
  for (let v = 0; v < options.visitors; v++) {
    const visitor = makeVisitor(rng, `v${String(v).padStart(3, '0')}`, rng.chance(0.15) ? `cust-${v % 90}` : undefined);
    const visits = 1 + (rng.chance(0.35) ? rng.range(1, 4) : 0);
    for (let ordinal = 0; ordinal < visits; ordinal++) {
      const events: WireEvent[] = [];
      const start = now - 6 * DAY + Math.round(((ordinal + rng.next()) / visits) * (6 * DAY - 3_600_000));
      const { ua } = generateSession(rng, { origin: site.origin, visitor, start, ordinal }, (type, ts, page, referrer, data) =>
        events.push({ id: randomUUID(), type, ts: Math.round(ts), url: page.url, referrer, title: page.title, data } as WireEvent),
      );
      for (let i = 0; i < events.length; i += 20) {
        const body = JSON.stringify({ site: site.id, visitor: visitor.id, session: 's', sentAt: now, events: events.slice(i, i + 20) });
        const res = await app.request('/api/v1/events', {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain', origin: site.origin, 'user-agent': ua },
        });
        expect(res.status).toBe(202);
      }
    }
  }
}
