/**
 * `visitor_windows`: every visitor's 30-day sums and score as of the site's local today, kept by
 * the rollup job so that the visitors report reads a page of an index instead of grouping a month
 * of `rollup_visitor_days` per request (bench/README.md, finding 6).
 */
import { and, eq, getTableColumns, ne, sql, type SQL } from 'drizzle-orm';
import { visitorWindows } from '../db/schema.ts';
import { as, execute, name, names, row, type Executor } from '../db/sql.ts';
import { SUMS, listedRows, scoreSql, scoreWindow, windowRows } from './score.ts';

const { siteId: _site, asOf: _asOf, ...valueColumns } = getTableColumns(visitorWindows);
/** The columns of `visitor_windows` after its site and date: {@link scoreSql}'s output, as the report reads it. */
export const WINDOW_COLUMNS = Object.values(valueColumns);
const windowColumns = sql.join(WINDOW_COLUMNS.map(name), sql`, `);
/** {@link WINDOW_COLUMNS} but the key's `visitor_id`: what an upsert replaces. */
const replaced = WINDOW_COLUMNS.filter((c) => c !== visitorWindows.visitorId);

interface WindowSite {
  siteId: string;
  timezone: string;
}

/**
 * Recomputes the `visitor_windows` rows of a site as of `asOf` (its local today), with the report's
 * own SQL, inside the rollup job's transaction: every visitor of the window (into an empty window),
 * or (`visitorIds`) only these, upserted one by one through the primary key; a listed visitor no
 * longer in the window loses its row. Every step goes by index from the list, so no plan depends
 * on the tables' statistics (with stale ones a `visitor_id = any(…)` filter over every row of the
 * window took minutes for one day's 13k visitors at 10M events).
 */
async function refreshVisitorWindows(tx: Executor, site: WindowSite, asOf: string, visitorIds?: string[]): Promise<void> {
  const window = { siteId: site.siteId, ...scoreWindow(asOf) };
  const score = (where: SQL) => sql`${scoreSql('a', { to: window.to, timezone: site.timezone })}${where}`;
  const into = sql`insert into ${visitorWindows} (${name(visitorWindows.siteId)}, ${name(visitorWindows.asOf)}, ${windowColumns})`;
  if (!visitorIds) {
    await execute(
      tx,
      sql`${into} select ${site.siteId}::text, ${asOf}::date, ${windowColumns} from (
        with a as (select r.visitor_id, ${SUMS} ${windowRows(window)} group by r.visitor_id) ${score(sql``)}) w`,
    );
    return;
  }
  await execute(
    tx,
    sql`with a as (select listed as visitor_id, ${SUMS} ${listedRows(window, visitorIds)} group by listed),
      -- listed, but without a row left in the window (usually none)
      gone as (delete from ${visitorWindows} where ${visitorWindows.siteId} = ${site.siteId} and ${visitorWindows.asOf} = ${asOf}::date
        and ${visitorWindows.visitorId} = any(array(select visitor_id from a where last_seen is null)))
      ${into} select ${site.siteId}::text, ${asOf}::date, ${windowColumns} from (${score(sql` where a.last_seen is not null`)}) w
      on conflict ${names(visitorWindows.siteId, visitorWindows.asOf, visitorWindows.visitorId)} do update
      set (${sql.join(replaced.map(name), sql`, `)}) = row(${sql.join(replaced.map((c) => sql`excluded.${name(c)}`), sql`, `)})`,
  );
}

/**
 * Serializes the window refresh of a site with the erasure of its visitors (./erase.ts), for the
 * rest of the transaction: an erasure committed while a refresh recomputed its visitors could
 * otherwise see its rows written back. Every statement after the lock sees the other's commit.
 */
export const lockSiteWindows = (tx: Executor, siteId: string) =>
  execute(tx, sql`select pg_advisory_xact_lock(hashtextextended('visitor_windows ' || ${siteId}::text, 0))`);

/**
 * The `visitor_windows` rows of a site as of its today, inside the caller's transaction: only
 * `visitors` while the table holds that date, else (first run, or the day has changed) all of them,
 * older dates dropped.
 */
export async function refreshSiteWindows(tx: Executor, site: WindowSite, today: string, visitors: Set<string>): Promise<void> {
  await lockSiteWindows(tx, site.siteId);
  const built = await row(
    tx,
    sql`select count(*) as n from (select 1 from ${visitorWindows}
      where ${visitorWindows.siteId} = ${site.siteId} and ${visitorWindows.asOf} = ${today}::date limit 1) w`,
    { n: as.number },
  );
  if (built!.n === 0) {
    await tx.delete(visitorWindows).where(eq(visitorWindows.siteId, site.siteId));
    await refreshVisitorWindows(tx, site, today);
    return;
  }
  await tx.delete(visitorWindows).where(and(eq(visitorWindows.siteId, site.siteId), ne(visitorWindows.asOf, today)));
  await refreshVisitorWindows(tx, site, today, [...visitors]);
}
