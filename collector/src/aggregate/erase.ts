/**
 * Right to erasure (CONTRACT §4: `DELETE /api/v1/sites/:site/visitors/:id` and
 * `…/customers/:id` erase a person everywhere). The right is a person's: when the visitor is tied to
 * a customer id (DEFINITIONS: `identify` links every visitor id of a customer), every visitor id of
 * that customer goes too.
 *
 * In one transaction: the person's raw events, sessions, visitor rows, journeys and every row kept
 * per visitor (./registry.ts `PER_VISITOR`) are deleted, and the days they were seen on are marked
 * dirty so that the rollup job recomputes the anonymous aggregates (pages, sources, searches …)
 * without them.
 *
 * Event ids stay in `event_ids` (an id and a time, nothing personal): a beacon retried after the
 * erasure is then acknowledged as a duplicate instead of bringing the person back.
 */
import { and, eq, getTableName, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/index.ts';
import { markDirty } from '../db/rollup-queue.ts';
import { events, sessionJourneys, sessions, sites, visitors } from '../db/schema.ts';
import { as, row, rows, type Executor } from '../db/sql.ts';
import { lastPartialDay } from '../sites/retention.ts';
import { PER_VISITOR } from './registry.ts';
import { lockSiteWindows } from './visitor-windows.ts';

export interface Erased {
  visitors: number;
  events: number;
  sessions: number;
  /** rows deleted per table kept per visitor (rollups, visitor windows, journeys) */
  rows: Record<string, number>;
}

/** Whom to erase: a visitor id (with every other visitor id of its customer), or a customer id. */
export type Person = { visitorId: string } | { customerId: string };

/**
 * Erases a person from the site. `now` decides which days are still recomputable
 * (sites/retention.ts); on older days the rows kept per visitor are deleted and the anonymous counts
 * are left as they are.
 *
 * A customer id also reaches visitors that are not theirs: on a shared device, another customer's
 * visitor id carries the `identify` events that named them. Those events (the id and its traits)
 * are deleted too, and so are the sessions they were in — what the customer did while signed in
 * there — with their events; the device's other sessions stay.
 */
export async function erase(db: Db, siteId: string, person: Person, now = Date.now()): Promise<Erased> {
  return db.sql.transaction(async (tx) => {
    await lockSiteWindows(tx, siteId);
    const [site] = await tx.select({ timezone: sites.timezone, retentionDays: sites.retentionDays }).from(sites).where(eq(sites.id, siteId));
    if (!site) return { visitors: 0, events: 0, sessions: 0, rows: {} };
    const customer = 'customerId' in person ? person.customerId : await customerOf(tx, siteId, person.visitorId);
    // = any(array(…)): an index condition, whatever the statistics say of the list's length
    const inList = (list: string[], cast: SQL) => (site: AnyPgColumn, column: AnyPgColumn) =>
      sql`${site} = ${siteId} and ${column} = any(array(select json_array_elements_text(${JSON.stringify(list)}::json)${cast}))`;
    const isPerson = inList(await visitorsOf(tx, siteId, person, customer), sql``);
    // the sessions in which the customer identified, on their visitor ids or others (a shared
    // device), read before any event is deleted
    const inSignedIn = inList(customer ? await signedInSessions(tx, siteId, customer) : [], sql`::uuid`);
    const isPersonSession = sql`(${isPerson(sessions.siteId, sessions.visitorId)}) or (${inSignedIn(sessions.siteId, sessions.id)})`;
    const isPersonEvent = sql`(${isPerson(events.siteId, events.visitorId)}) or (${inSignedIn(events.siteId, events.sessionId)})`;
    const days = await seenDays(tx, isPersonEvent, isPersonSession, site.timezone, lastPartialDay(site, now));
    const rowsGone: Record<string, number> = {};
    // Journeys are keyed by session: they go before the sessions that find them.
    rowsGone[getTableName(sessionJourneys)] = await count(
      tx,
      sql`delete from ${sessionJourneys} where ${sessionJourneys.siteId} = ${siteId}
        and ${sessionJourneys.sessionId} in (select ${sessions.id} from ${sessions} where ${isPersonSession})`,
    );
    const erased = {
      events: await count(tx, sql`delete from ${events} where ${isPersonEvent}`),
      sessions: await count(tx, sql`delete from ${sessions} where ${isPersonSession}`),
      visitors: await count(tx, sql`delete from ${visitors} where ${isPerson(visitors.siteId, visitors.id)}`),
    };
    for (const { table, visitor, customer: customerColumn } of PER_VISITOR) {
      // a shared device's rows that name the customer go too; the rollup job rebuilds them without
      const named = customer && customerColumn ? sql` or (${table.siteId} = ${siteId} and ${customerColumn} = ${customer})` : sql``;
      rowsGone[getTableName(table)] = await count(tx, sql`delete from ${table} where (${isPerson(table.siteId, visitor)})${named}`);
    }
    await markDirty(tx, siteId, days);
    return { ...erased, rows: rowsGone };
  });
}

/** The customer id a visitor id is tied to, if any. */
async function customerOf(tx: Executor, siteId: string, visitorId: string): Promise<string | null> {
  const [found] = await tx.select({ customer: visitors.customerId }).from(visitors).where(and(eq(visitors.siteId, siteId), eq(visitors.id, visitorId)));
  return found?.customer ?? null;
}

/** The sessions holding an `identify` that named the customer. */
async function signedInSessions(tx: Executor, siteId: string, customer: string): Promise<string[]> {
  const found = await tx
    .selectDistinct({ id: events.sessionId })
    .from(events)
    .where(and(eq(events.siteId, siteId), eq(events.type, 'identify'), sql`${events.data}->>'customer' = ${customer}`));
  return found.flatMap((r) => (r.id ? [r.id] : []));
}

/** The person's own visitor ids: the one asked for, and every visitor id tied to the customer. */
async function visitorsOf(tx: Executor, siteId: string, person: Person, customer: string | null): Promise<string[]> {
  const own = 'visitorId' in person ? [person.visitorId] : [];
  if (!customer) return own;
  const found = await tx.select({ id: visitors.id }).from(visitors).where(and(eq(visitors.siteId, siteId), eq(visitors.customerId, customer)));
  return [...new Set([...own, ...found.map((r) => r.id)])];
}

/**
 * The local days the person's rollups were computed from — their events' days and their sessions'
 * start days — after `partial` (that day and older ones cannot be recomputed: sites/retention.ts).
 */
async function seenDays(tx: Executor, isPersonEvent: SQL, isPersonSession: SQL, timezone: string, partial: string): Promise<string[]> {
  const found = await rows(
    tx,
    sql`select distinct to_char(t at time zone ${timezone}, 'YYYY-MM-DD') as day from (
       select ${events.ts} as t from ${events} where ${isPersonEvent}
       union all
       select ${sessions.startedAt} from ${sessions} where ${isPersonSession}) x
     where (t at time zone ${timezone})::date > ${partial}::date`,
    { day: as.text },
  );
  return found.map((r) => r.day);
}

async function count(tx: Executor, deleteSql: SQL): Promise<number> {
  return (await row(tx, sql`with gone as (${deleteSql} returning 1) select count(*) as n from gone`, { n: as.number }))!.n;
}
