/**
 * Realistic visitor traffic for the demo, sent through the collector's real ingest endpoint (the
 * wire protocol, as the SDK sends it): the same visitor and session model as the database
 * benchmark (model.ts), over the last few days (ingest refuses events older than 7 days).
 *
 *   pnpm kizuna demo --traffic 300       (300 visitors, while the demo runs)
 */
import { randomUUID } from 'node:crypto';
import type { WireEvent } from '@kizuna/protocol';
import { Progress } from '../lib/progress.ts';
import { generateSession, makeVisitor, type Emit } from './model.ts';
import { Rng } from './random.ts';

const DAY = 86_400_000;

export interface TrafficOptions {
  collectorUrl: string;
  siteId: string;
  /** the demo site's origin: the events' URLs and the requests' Origin */
  origin: string;
  visitors: number;
  days?: number;
  seed?: number;
}

/** Sends the visitors' sessions, one beacon per session, and returns what the collector answered. */
export async function sendTraffic(o: TrafficOptions): Promise<{ sessions: number; events: number; refused: number }> {
  const rng = new Rng(o.seed ?? Date.now() % 1e9);
  const now = Date.now();
  const span = (o.days ?? 6) * DAY;
  const progress = new Progress('traffic', o.visitors, 'visitors');
  let [sessions, events, refused] = [0, 0, 0];
  for (let v = 0; v < o.visitors; v++) {
    const visitor = makeVisitor(rng, randomUUID(), rng.chance(0.1) ? `cust-${v}` : undefined);
    const visits = 1 + (rng.chance(0.3) ? rng.range(1, 4) : 0);
    for (let ordinal = 0; ordinal < visits; ordinal++) {
      const batch: WireEvent[] = [];
      const collect: Emit = (type, ts, page, referrer, data) =>
        batch.push({ id: randomUUID(), type, ts: Math.round(ts), url: page.url, referrer, title: page.title, data } as WireEvent);
      const start = now - span + ((ordinal + rng.next()) / visits) * (span - 3_600_000);
      const { ua } = generateSession(rng, { origin: o.origin, visitor, start, ordinal }, collect);
      for (let i = 0; i < batch.length; i += 20) {
        const body = JSON.stringify({ site: o.siteId, visitor: visitor.id, session: randomUUID(), sentAt: Date.now(), events: batch.slice(i, i + 20) });
        let res: Response;
        // one client sending for hundreds of visitors meets the per-client rate limit: wait as told
        for (let tries = 0; ; tries++) {
          res = await fetch(`${o.collectorUrl}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: o.origin, 'user-agent': ua }, body });
          if (res.status !== 429 || tries === 20) break;
          await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
        }
        if (res.status !== 202) {
          refused += batch.slice(i, i + 20).length;
          if (refused <= 20) console.error(`  refused: ${res.status} ${await res.text()}`);
        }
      }
      sessions++;
      events += batch.length;
    }
    progress.update(v + 1);
  }
  progress.finish();
  return { sessions, events, refused };
}
