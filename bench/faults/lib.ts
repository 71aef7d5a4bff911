/**
 * What every fault script shares: a load that behaves like the SDK (fresh batches with unique event
 * ids; a batch refused with 503, 429 or a broken connection is sent again, same ids, after
 * Retry-After), and the verdict — sent / acknowledged / stored / duplicates / lost — read from the
 * database after the fault. Loopback only; every loop is bounded by time.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@kizuna/collector/db/index.ts';
import { events } from '@kizuna/collector/db/schema.ts';
import { as, rows } from '@kizuna/collector/db/sql.ts';
import { addSite } from '@kizuna/collector/sites/index.ts';
import { fmtInt } from '@kizuna/collector/lib/progress.ts';

export const SITE = 'faults.example';
export const ORIGIN = 'https://faults.example';
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const registerSite = (db: Db) => addSite(db.sql, { id: SITE, origins: [ORIGIN] });

export interface Load {
  /** event ids of every batch sent at least once */
  sent: Set<string>;
  /** event ids the collector answered 202 for */
  acked: Set<string>;
  /** answers by status (0: the connection failed) */
  statuses: Map<number, number>;
  /** stops sending new batches; resolves when every connection has ended (a batch in flight is retried until `giveUpAt`) */
  stop(): Promise<void>;
}

export interface LoadOptions {
  /** the collector's base URL, read at each request (a restarted collector may move) */
  url: () => string;
  connections: number;
  eventsPerBatch: number;
  /** a steady rate: batches per second of each connection (default: as fast as answers come) */
  pace?: number;
  /** after stop(), a batch not yet acknowledged is retried until this long has passed, ms */
  drainMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function batch(n: number) {
  const now = Date.now();
  const list = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(), type: i === 0 ? 'pageview' : 'custom', ts: now - (n - i) * 100,
    url: `${ORIGIN}/p/${i}`, referrer: null, title: 'Fault', data: i === 0 ? { vw: 1280 } : { name: 'Click' },
  }));
  return { ids: list.map((e) => e.id), body: JSON.stringify({ site: SITE, visitor: randomUUID(), session: 's', sentAt: now, events: list }) };
}

/** Starts the load; it runs until `stop()`. */
export function startLoad(o: LoadOptions): Load {
  const sent = new Set<string>();
  const acked = new Set<string>();
  const statuses = new Map<number, number>();
  let stopping = false;
  let giveUpAt = Infinity;
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const connection = async () => {
    // when the next batch of this connection is due (a late answer is not made up for with a burst)
    let due = Date.now();
    while (!stopping) {
      const b = batch(o.eventsPerBatch);
      b.ids.forEach((id) => sent.add(id));
      for (;;) {
        let wait = 200;
        try {
          const res = await fetch(`${o.url()}/api/v1/events`, {
            method: 'POST', body: b.body, signal: AbortSignal.timeout(20_000),
            headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA },
          });
          count(res.status);
          await res.arrayBuffer();
          if (res.status === 202) {
            b.ids.forEach((id) => acked.add(id));
            break;
          }
          if (res.status !== 503 && res.status !== 429 && res.status < 500) break; // final, as the SDK treats it
          wait = 1000 * Number(res.headers.get('retry-after') ?? 0.2);
        } catch {
          count(0);
        }
        if (Date.now() > giveUpAt) break;
        await sleep(Math.min(wait, 2000));
      }
      if (o.pace) await sleep((due = Math.max(due + 1000 / o.pace, Date.now())) - Date.now());
    }
  };
  const running = Promise.all(Array.from({ length: o.connections }, connection));
  return {
    sent,
    acked,
    statuses,
    stop: async () => {
      stopping = true;
      giveUpAt = Date.now() + (o.drainMs ?? 30_000);
      await running;
    },
  };
}

/** Each stored event id of the site, with how many rows it has. */
export async function storedIds(db: Db): Promise<Map<string, number>> {
  const found = await rows(
    db.sql,
    sql`select ${events.id} as id, count(*) as n from ${events} where ${eq(events.siteId, SITE)} group by ${events.id}`,
    { id: as.text, n: as.number },
  );
  return new Map(found.map((r) => [r.id, r.n]));
}

/** The verdict line, and whether nothing acknowledged was lost nor stored twice. */
export function verdict(name: string, load: Load, stored: Map<string, number>): boolean {
  const duplicates = [...stored.values()].reduce((n, c) => n + c - 1, 0);
  const lost = [...load.acked].filter((id) => !stored.has(id)).length;
  const statuses = [...load.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? 'no answer' : s} ×${fmtInt(n)}`).join(', ');
  console.log(
    `${name}: sent ${fmtInt(load.sent.size)} events · acknowledged ${fmtInt(load.acked.size)} · stored ${fmtInt(stored.size)} · ` +
      `duplicates ${duplicates} · lost ${lost}   (answers: ${statuses})`,
  );
  return duplicates === 0 && lost === 0;
}

export { sleep };
