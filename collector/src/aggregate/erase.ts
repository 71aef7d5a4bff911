/**
 * Right to erasure (CONTRACT §4: `DELETE /api/v1/sites/:site/visitors/:id` erases a visitor
 * everywhere). The right is a person's: when the visitor is tied to a customer id (DEFINITIONS:
 * `identify` links every visitor id of a customer), every visitor id of that customer goes too.
 *
 * In one transaction: the person's raw events, sessions, visitor rows, journeys and every row kept
 * per visitor (./registry.ts `PER_VISITOR`) are deleted, and the days they were seen on are marked
 * dirty so that the rollup job recomputes the anonymous aggregates (pages, sources, searches …)
 * without them.
 *
 * Event ids stay in `event_ids` (an id and a time, nothing personal): a beacon retried after the
 * erasure is then acknowledged as a duplicate instead of bringing the person back.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/index.ts';
import { markDirty } from '../db/rollup-queue.ts';
import { events, sessionJourneys, sessions, sites, visitors } from '../db/schema.ts';
import { as, execute, row, rows, type Executor } from '../db/sql.ts';
import { lastPartialDay } from '../sites/retention.ts';
import { PER_VISITOR } from './registry.ts';
import { lockSiteWindows } from './visitor-windows.ts';

export interface Erased {
  visitors: number;
  events: number;
  sessions: number;
}

/**
 * Erases a visitor, and every other visitor id of their customer, from the site. `now` decides
 * which days are still recomputable (sites/retention.ts); on older days the rows kept per visitor
 * are deleted and the anonymous counts are left as they are.
 */
export async function eraseVisitor(db: Db, siteId: string, visitorId: string, now = Date.now()): Promise<Erased> {
  return db.sql.transaction(async (tx) => {
    await lockSiteWindows(tx, siteId);
    const [site] = await tx.select({ timezone: sites.timezone, retentionDays: sites.retentionDays }).from(sites).where(eq(sites.id, siteId));
    if (!site) return { visitors: 0, events: 0, sessions: 0 };
    const ids = JSON.stringify(await personOf(tx, siteId, visitorId));
    // = any(array(…)): an index condition, whatever the statistics say of the list's length
    const isPerson = (site: AnyPgColumn, visitor: AnyPgColumn) =>
      sql`${site} = ${siteId} and ${visitor} = any(array(select json_array_elements_text(${ids}::json)))`;
    const days = await seenDays(tx, isPerson, site.timezone, lastPartialDay(site, now));
    // Journeys are keyed by session: they go before the sessions that find them.
    await execute(tx, sql`delete from ${sessionJourneys} where ${sessionJourneys.siteId} = ${siteId}
      and ${sessionJourneys.sessionId} in (select ${sessions.id} from ${sessions} where ${isPerson(sessions.siteId, sessions.visitorId)})`);
    const erased = {
      events: await count(tx, sql`delete from ${events} where ${isPerson(events.siteId, events.visitorId)}`),
      sessions: await count(tx, sql`delete from ${sessions} where ${isPerson(sessions.siteId, sessions.visitorId)}`),
      visitors: await count(tx, sql`delete from ${visitors} where ${isPerson(visitors.siteId, visitors.id)}`),
    };
    for (const { table, visitor } of PER_VISITOR) await execute(tx, sql`delete from ${table} where ${isPerson(table.siteId, visitor)}`);
    await markDirty(tx, siteId, days);
    return { visitors: erased.visitors, events: erased.events, sessions: erased.sessions };
  });
}

/** The visitor id and every other visitor id of its customer (the id alone when it has none or is unknown). */
async function personOf(tx: Executor, siteId: string, visitorId: string): Promise<string[]> {
  const found = await rows(
    tx,
    sql`select ${visitors.id} from ${visitors} where ${visitors.siteId} = ${siteId}
      and ${visitors.customerId} = (select ${visitors.customerId} from ${visitors} where ${visitors.siteId} = ${siteId} and ${visitors.id} = ${visitorId})`,
    { id: as.text },
  );
  return [...new Set([visitorId, ...found.map((r) => r.id)])];
}

/**
 * The local days the person's rollups were computed from — their events' days and their sessions'
 * start days — after `partial` (that day and older ones cannot be recomputed: sites/retention.ts).
 */
async function seenDays(
  tx: Executor,
  isPerson: (site: AnyPgColumn, visitor: AnyPgColumn) => SQL,
  timezone: string,
  partial: string,
): Promise<string[]> {
  const found = await rows(
    tx,
    sql`select distinct to_char(t at time zone ${timezone}, 'YYYY-MM-DD') as day from (
       select ${events.ts} as t from ${events} where ${isPerson(events.siteId, events.visitorId)}
       union all
       select ${sessions.startedAt} from ${sessions} where ${isPerson(sessions.siteId, sessions.visitorId)}) x
     where (t at time zone ${timezone})::date > ${partial}::date`,
    { day: as.text },
  );
  return found.map((r) => r.day);
}

async function count(tx: Executor, deleteSql: SQL): Promise<number> {
  return (await row(tx, sql`with gone as (${deleteSql} returning 1) select count(*) as n from gone`, { n: as.number }))!.n;
}
