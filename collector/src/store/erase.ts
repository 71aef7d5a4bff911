/**
 * Right to erasure (CONTRACT §4: `DELETE /api/v1/sites/:site/visitors/:id` erases a visitor
 * everywhere). The right is a person's: when the visitor is tied to a customer id (DEFINITIONS:
 * `identify` links every visitor id of a customer), every visitor id of that customer goes too.
 *
 * In one transaction: the person's raw events, sessions, visitor rows, journeys and every rollup
 * row keyed by visitor are deleted, and the days they were seen on are marked dirty so that the
 * rollup job recomputes the anonymous aggregates (pages, sources, searches …) without them.
 *
 * Event ids stay in `event_ids` (an id and a time, nothing personal): a beacon retried after the
 * erasure is then acknowledged as a duplicate instead of bringing the person back.
 */
import type { Db, Query } from '../db/index.ts';
import { lockSiteWindows } from '../aggregate/visitor-windows.ts';
import { localDate } from '../lib/dates.ts';

const DAY_MS = 86_400_000;

export interface Erased {
  visitors: number;
  events: number;
  sessions: number;
}

/**
 * The last local day that has lost raw events: retention deletes events before `now − retention
 * days`, so the day holding that instant has lost some. Neither it nor any day before it may be
 * recomputed — the rollup job would rebuild it from what is left, and its figures would lose the rest.
 */
export const lastPartialDay = (timezone: string, retentionDays: number, now: number) =>
  localDate(now - retentionDays * DAY_MS, timezone);

/**
 * Erases a visitor, and every other visitor id of their customer, from the site. `now` decides
 * which days are still recomputable (see {@link lastPartialDay}); on older days the visitor-keyed
 * rollup rows are deleted and the anonymous counts are left as they are.
 */
export async function eraseVisitor(db: Db, siteId: string, visitorId: string, now = Date.now()): Promise<Erased> {
  return db.tx(async (q) => {
    await lockSiteWindows(q, siteId);
    const [site] = await q<{ timezone: string; retention_days: number }>(`select timezone, retention_days from sites where id = $1`, [siteId]);
    if (!site) return { visitors: 0, events: 0, sessions: 0 };
    const ids = JSON.stringify(await personOf(q, siteId, visitorId));
    const days = await seenDays(q, siteId, ids, site.timezone, lastPartialDay(site.timezone, site.retention_days, now));
    const p = [siteId, ids];
    // = any(array(…)): an index condition, whatever the statistics say of the list's length
    const mine = `site_id = $1 and visitor_id = any(array(select json_array_elements_text($2::json)))`;
    // Journeys are keyed by session: they go before the sessions that find them.
    await q(`delete from session_journeys where site_id = $1 and session_id in (select id from sessions where ${mine})`, p);
    const events = await count(q, `delete from events where ${mine}`, p);
    const sessions = await count(q, `delete from sessions where ${mine}`, p);
    const visitors = await count(q, `delete from visitors where site_id = $1 and id = any(array(select json_array_elements_text($2::json)))`, p);
    await q(`delete from rollup_visitor_days where ${mine}`, p);
    await q(`delete from rollup_goals where ${mine}`, p);
    await q(`delete from visitor_windows where ${mine}`, p);
    await q(
      `insert into rollup_queue (site_id, day, version) select $1, d::date, 1 from json_array_elements_text($2::json) as d
       on conflict (site_id, day) do update set version = rollup_queue.version + 1, dirtied_at = now()`,
      [siteId, JSON.stringify(days)],
    );
    return { visitors, events, sessions };
  });
}

/** The visitor id and every other visitor id of its customer (the id alone when it has none or is unknown). */
async function personOf(q: Query, siteId: string, visitorId: string): Promise<string[]> {
  const rows = await q<{ id: string }>(
    `select id from visitors where site_id = $1
       and customer_id = (select customer_id from visitors where site_id = $1 and id = $2)`,
    [siteId, visitorId],
  );
  return [...new Set([visitorId, ...rows.map((r) => r.id)])];
}

/**
 * The local days the person's rollups were computed from — their events' days and their sessions'
 * start days — after `partial` (that day and older ones cannot be recomputed, see {@link lastPartialDay}).
 */
async function seenDays(q: Query, siteId: string, ids: string, timezone: string, partial: string): Promise<string[]> {
  const rows = await q<{ day: string }>(
    `select distinct to_char(t at time zone $3, 'YYYY-MM-DD') as day from (
       select ts as t from events where site_id = $1 and visitor_id in (select json_array_elements_text($2::json))
       union all
       select started_at from sessions where site_id = $1 and visitor_id in (select json_array_elements_text($2::json))) x
     where (t at time zone $3)::date > $4::date`,
    [siteId, ids, timezone, partial],
  );
  return rows.map((r) => r.day);
}

async function count(q: Query, deleteSql: string, params: unknown[]): Promise<number> {
  const [row] = await q<{ n: string | number }>(`with gone as (${deleteSql} returning 1) select count(*) as n from gone`, params);
  return Number(row!.n);
}
