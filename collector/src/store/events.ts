/**
 * Stores a flush — the enriched batches of many requests — in one transaction (the writer, ./writer.ts,
 * answers each request only after it commits). One statement per table whatever the flush holds,
 * in two round trips:
 * event ids claimed, visitors and sessions (sessions/index.ts), events, dirty days — rendered once at
 * load and run on the driver (db/sql.ts `Driver`). Idempotent: an event id seen before — stored by an
 * earlier flush, or earlier in this one — is acknowledged as a duplicate and not stored again (the
 * `event_ids` insert decides, under concurrency too). Rows are locked in a fixed order (ids, visitors,
 * sessions, days sorted), so concurrent writers never deadlock.
 */
import { sql } from 'drizzle-orm';
import { markDirty } from '../db/rollup-queue.ts';
import { eventIds, events as eventsTable } from '../db/schema.ts';
import { as, decode, insertRecords, name, prepare, recordsJson, type Driver } from '../db/sql.ts';
import type { EnrichedBatch } from '../enrich/index.ts';
import { localDate } from '../lib/dates.ts';
import { lockVisitors, sessionizeFlush, storedSessions, visitorsOf, writeSessions, type FlushEvent } from '../sessions/index.ts';

export interface Stored {
  accepted: number;
  duplicates: number;
}

const EVENT_KEYS = ['id', 'siteId', 'visitorId', 'sessionId', 'type', 'ts', 'url', 'path', 'referrer', 'title', 'data'] as const;
const INSERT_EVENTS = prepare(insertRecords(eventsTable, {}, EVENT_KEYS, sql.placeholder('rows')));
/** Inserts the ids not seen before and returns them. */
const CLAIM_IDS = prepare(
  sql`${insertRecords(eventIds, {}, ['id', 'ts'], sql.placeholder('rows'))} on conflict (${name(eventIds.id)}) do nothing returning ${name(eventIds.id)}`,
);

/** Stores the batches of a flush in one transaction; what each batch had accepted and duplicated, in order. */
export const storeBatches = (driver: Driver, batches: EnrichedBatch[]): Promise<Stored[]> =>
  driver.transaction((tx) => storeFlush(tx, batches));

/**
 * {@link storeBatches} inside the caller's transaction `tx`, in two round trips to the database:
 * ids claimed, visitors locked and their sessions read, sent together; then, once the fresh events
 * are sessionized, the sessions, the events and the dirty days, sent together. (Each round trip
 * costs the server a socket write and the database a wake-up: 8 of them per flush were a third of
 * the write path's time, profiled.)
 */
export async function storeFlush(tx: Driver, batches: EnrichedBatch[]): Promise<Stored[]> {
  const all: FlushEvent[] = batches.flatMap((batch, at) => batch.events.map((event) => ({ event, batch, at })));
  const visitors = visitorsOf(all);
  const [claimed, prior, known] = await Promise.all([claimIds(tx, batches), lockVisitors(tx, visitors), storedSessions(tx, visitors)]);

  const results = batches.map((b) => ({ accepted: 0, duplicates: b.events.length }));
  const fresh = new Set<FlushEvent>();
  for (const f of all) {
    if (!claimed.delete(f.event.id)) continue; // seen before, or earlier in this flush
    fresh.add(f);
    const result = results[f.at]!;
    result.accepted++;
    result.duplicates--;
  }
  if (fresh.size === 0) return results;

  const { sessionOf, starts, rows: sessionRows } = sessionizeFlush(visitors, fresh, prior, known);
  const events = [...fresh];
  const eventRows = events.map(({ event: e, batch: b }) => ({
    id: e.id, siteId: b.siteId, visitorId: b.visitorId, sessionId: sessionOf.get(e.id)!, type: e.type, ts: new Date(e.ts),
    url: e.url, path: e.path, referrer: e.referrer ?? null, title: e.title ?? null, data: e.data,
  }));
  await Promise.all([
    writeSessions(tx, sessionRows),
    tx.run(INSERT_EVENTS, { rows: recordsJson(eventsTable, EVENT_KEYS, eventRows) }),
    // last: every flush of a site marks the same day, whose row stays locked until the commit
    markDirtyDays(tx, [...events.map((f) => ({ siteId: f.batch.siteId, timezone: f.batch.timezone, ts: f.event.ts })), ...starts]),
  ]);
  return results;
}

const KNOWN_IDS = prepare(sql`select ${eventIds.id} from ${eventIds}
  where ${eventIds.id} in (select value::uuid from json_array_elements_text(${sql.placeholder('ids')}::json))`);

/** Of these event ids, those never stored (a beacon that did not arrive). */
export async function missingIds(driver: Driver, ids: string[]): Promise<string[]> {
  const known = new Set(decode(await driver.run(KNOWN_IDS, { ids: JSON.stringify(ids) }), { id: as.text }).map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

/** Claims the flush's event ids (sorted: a fixed lock order) and returns those not seen before. */
async function claimIds(tx: Driver, batches: EnrichedBatch[]): Promise<Set<string>> {
  const ts = new Map<string, number>();
  for (const b of batches) for (const e of b.events) if (!ts.has(e.id)) ts.set(e.id, e.ts);
  const ids = [...ts.keys()].sort();
  const rows = recordsJson(eventIds, ['id', 'ts'], ids.map((id) => ({ id, ts: new Date(ts.get(id)!) })));
  return new Set(decode(await tx.run(CLAIM_IDS, { rows }), { id: as.text }).map((r) => r.id));
}

/** Marks the local days of these instants dirty, once per site and day, sites in a fixed order. */
async function markDirtyDays(tx: Driver, instants: { siteId: string; timezone: string; ts: number }[]) {
  const days = new Map<string, Set<string>>();
  for (const { siteId, timezone, ts } of instants) {
    let set = days.get(siteId);
    if (!set) days.set(siteId, (set = new Set()));
    set.add(localDate(ts, timezone));
  }
  await Promise.all([...days.keys()].sort().map((siteId) => markDirty(tx, siteId, [...days.get(siteId)!].sort())));
}
