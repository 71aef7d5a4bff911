/**
 * `visitor_windows`: every visitor's 30-day sums and score as of the site's local today, kept by
 * the rollup job so that the visitors report reads a page of an index instead of grouping a month
 * of `rollup_visitor_days` per request (bench/README.md, finding 6).
 */
import type { Db, Query } from '../db/index.ts';
import { LISTED_ROWS, SUMS, WINDOW_ROWS, scoreSql, scoreWindow } from './score.ts';

/** The columns of `visitor_windows` after its key: {@link scoreSql}'s output, as the report reads it. */
export const WINDOW_COLUMNS = `visitor_id, customer_id, first_seen, last_seen, sessions, pageviews, engaged_ms, custom_events, goal_conversions,
  faq_votes, nps_answers, searches, shares, faq_views, friction, latest_nps, first_channel, first_source, days_since,
  recency, frequency, depth, interaction, advocacy, total`;

/**
 * Recomputes the `visitor_windows` rows of a site as of `asOf` (its local today), with the report's
 * own SQL: every visitor of the window, or (`visitorIds`) only these; a listed visitor no longer in
 * the window loses its row. Runs inside the rollup job's transaction.
 */
async function refreshVisitorWindows(
  q: Query,
  site: { siteId: string; timezone: string },
  asOf: string,
  visitorIds?: string[],
): Promise<void> {
  const window = scoreWindow(asOf);
  const params: unknown[] = [site.siteId, window.from, window.to, site.timezone];
  if (visitorIds) params.push(JSON.stringify(visitorIds));
  await q(
    `delete from visitor_windows where site_id = $1 and ($2::date is not null) and as_of = $3::date and ($4::text is not null)${
      visitorIds ? ` and visitor_id = any(array(select json_array_elements_text($5::json)))` : ''}`,
    params,
  );
  await q(
    `insert into visitor_windows (site_id, as_of, ${WINDOW_COLUMNS})
     select $1::text, $3::date, ${WINDOW_COLUMNS} from (
       with a as (${visitorIds ? `select listed as visitor_id, ${SUMS} ${LISTED_ROWS} group by listed` : `select visitor_id, ${SUMS} ${WINDOW_ROWS} group by visitor_id`})
       ${scoreSql('a')}) w`,
    params,
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
