/**
 * `visitor_windows`: every visitor's 30-day sums and score as of the site's local today, kept by
 * the rollup job so that the visitors report reads a page of an index instead of grouping a month
 * of `rollup_visitor_days` per request (bench/README.md, finding 6).
 */
import type { Db, Query } from '../db/index.ts';
import { LISTED_ROWS, SUMS, WINDOW_ROWS, scoreSql, scoreWindow } from './score.ts';

/** The columns of `visitor_windows` after its key: {@link scoreSql}'s output, as the report reads it. */
export const WINDOW_COLUMNS = `visitor_id, customer_id, first_seen, last_seen, sessions, returning_sessions, pageviews, engaged_ms, custom_events, goal_conversions,
  faq_votes, nps_answers, searches, shares, faq_views, friction, latest_nps, first_channel, first_source, days_since,
  recency, frequency, depth, interaction, advocacy, total`;

/** {@link WINDOW_COLUMNS} but the key's `visitor_id`: what an upsert replaces. */
const VALUE_COLUMNS = WINDOW_COLUMNS.split(',').map((c) => c.trim()).filter((c) => c !== 'visitor_id');

/**
 * Recomputes the `visitor_windows` rows of a site as of `asOf` (its local today), with the report's
 * own SQL, inside the rollup job's transaction: every visitor of the window (into an empty window),
 * or (`visitorIds`) only these, upserted one by one through the primary key; a listed visitor no
 * longer in the window loses its row. Every step goes by index from the list, so no plan depends
 * on the tables' statistics (with stale ones a `visitor_id = any(…)` filter over every row of the
 * window took minutes for one day's 13k visitors at 10M events).
 */
async function refreshVisitorWindows(
  q: Query,
  site: { siteId: string; timezone: string },
  asOf: string,
  visitorIds?: string[],
): Promise<void> {
  const window = scoreWindow(asOf);
  const params: unknown[] = [site.siteId, window.from, window.to, site.timezone];
  if (!visitorIds) {
    await q(
      `insert into visitor_windows (site_id, as_of, ${WINDOW_COLUMNS})
       select $1::text, $3::date, ${WINDOW_COLUMNS} from (
         with a as (select visitor_id, ${SUMS} ${WINDOW_ROWS} group by visitor_id) ${scoreSql('a')}) w`,
      params,
    );
    return;
  }
  await q(
    `with a as (select listed as visitor_id, ${SUMS} ${LISTED_ROWS} group by listed),
     -- listed, but without a row left in the window (usually none)
     gone as (delete from visitor_windows where site_id = $1 and as_of = $3::date
       and visitor_id = any(array(select visitor_id from a where last_seen is null)))
     insert into visitor_windows (site_id, as_of, ${WINDOW_COLUMNS})
     select $1::text, $3::date, ${WINDOW_COLUMNS} from (${scoreSql('a')} where a.last_seen is not null) w
     on conflict (site_id, as_of, visitor_id) do update
     set (${VALUE_COLUMNS.join(', ')}) = row(${VALUE_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`,
    [...params, JSON.stringify(visitorIds)],
  );
}

/**
 * Serializes the window refresh of a site with the erasure of its visitors (store/erase.ts), for
 * the rest of the transaction: an erasure committed while a refresh recomputed its visitors could
 * otherwise see its rows written back. Every statement after the lock sees the other's commit.
 */
export const lockSiteWindows = (q: Query, siteId: string) =>
  q(`select pg_advisory_xact_lock(hashtextextended('visitor_windows ' || $1::text, 0))`, [siteId]);

/**
 * The `visitor_windows` rows of a site as of its today: only the visitors of its rebuilt days while
 * the table holds that date, else (first run, or the day has changed) all of them, older dates dropped.
 */
export async function refreshSiteWindows(db: Db, siteId: string, timezone: string, today: string, visitors: Set<string>): Promise<void> {
  await db.tx(async (q) => {
    await lockSiteWindows(q, siteId);
    const [built] = await q<{ n: string | number }>(
      `select count(*) as n from (select 1 from visitor_windows where site_id = $1 and as_of = $2::date limit 1) w`,
      [siteId, today],
    );
    if (Number(built!.n) === 0) {
      await q(`delete from visitor_windows where site_id = $1`, [siteId]);
      await refreshVisitorWindows(q, { siteId, timezone }, today);
      return;
    }
    await q(`delete from visitor_windows where site_id = $1 and as_of <> $2::date`, [siteId, today]);
    await refreshVisitorWindows(q, { siteId, timezone }, today, [...visitors]);
  });
}
