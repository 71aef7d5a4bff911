/**
 * Stores one visitor's enriched batch in one transaction: the 202 goes out only after it commits.
 *
 * Batch-shaped: one statement per table whatever the batch size (rows travel as one JSON parameter,
 * db/sql.ts `insertRecords`), the same SQL on PGlite and PostgreSQL, each rendered once at load and
 * run on the driver (db/sql.ts `Driver`). Idempotent: an event id seen before is acknowledged as a
 * duplicate and not stored again (the `event_ids` insert decides, under concurrency too). The days
 * the batch touched are marked for the rollup job.
 */
import { sql } from 'drizzle-orm';
import { markDirty } from '../db/rollup-queue.ts';
import { eventIds, events as eventsTable } from '../db/schema.ts';
import { as, decode, insertRecords, name, prepare, recordsJson, type Driver } from '../db/sql.ts';
import type { EnrichedBatch, EnrichedEvent } from '../enrich/index.ts';
import { localDate } from '../lib/dates.ts';
import { writeSessions } from '../sessions/index.ts';

export interface Stored {
  accepted: number;
  duplicates: number;
}

const EVENT_KEYS = ['id', 'sessionId', 'type', 'ts', 'url', 'path', 'referrer', 'title', 'data'] as const;
const INSERT_EVENTS = prepare(
  insertRecords(eventsTable, { siteId: sql.placeholder('site'), visitorId: sql.placeholder('visitor') }, EVENT_KEYS, sql.placeholder('rows')),
);
/** Inserts the ids not seen before and returns them. */
const CLAIM_IDS = prepare(
  sql`${insertRecords(eventIds, {}, ['id', 'ts'], sql.placeholder('rows'))} on conflict (${name(eventIds.id)}) do nothing returning ${name(eventIds.id)}`,
);

export async function storeBatch(driver: Driver, batch: EnrichedBatch): Promise<Stored> {
  if (batch.events.length === 0) return { accepted: 0, duplicates: 0 };
  return driver.transaction(async (tx) => {
    const fresh = await claimIds(tx, batch.events);
    const events = batch.events.filter((e) => fresh.has(e.id));
    if (events.length === 0) return { accepted: 0, duplicates: batch.events.length };

    const { sessionOf, starts } = await writeSessions(tx, batch, events);
    await markDirty(tx, batch.siteId, [...events.map((e) => e.ts), ...starts].map((t) => localDate(t, batch.timezone)));
    const rows = events.map((e, i) => ({
      id: e.id, sessionId: sessionOf[i]!, type: e.type, ts: new Date(e.ts), url: e.url, path: e.path,
      referrer: e.referrer ?? null, title: e.title ?? null, data: e.data,
    }));
    await tx.run(INSERT_EVENTS, { site: batch.siteId, visitor: batch.visitorId, rows: recordsJson(eventsTable, EVENT_KEYS, rows) });
    return { accepted: events.length, duplicates: batch.events.length - events.length };
  });
}

async function claimIds(tx: Driver, events: EnrichedEvent[]): Promise<Set<string>> {
  const rows = recordsJson(eventIds, ['id', 'ts'], events.map((e) => ({ id: e.id, ts: new Date(e.ts) })));
  return new Set(decode(await tx.run(CLAIM_IDS, { rows }), { id: as.text }).map((r) => r.id));
}
