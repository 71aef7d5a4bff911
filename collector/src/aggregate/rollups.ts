/**
 * Rollups: what the reports read instead of raw events. Ingest marks each site-day it touches as
 * dirty (in its own transaction); `refreshRollups` recomputes every rollup of a dirty site-day
 * from that day's raw events and sessions, whole, in one transaction, and clears the mark unless it
 * was marked again meanwhile. Recomputing a day from scratch makes the job safe to re-run at any
 * time, from any number of processes, and after any crash.
 *
 * Days are local dates in the site's time zone; a session belongs to the day it started on, and
 * its late events mark that day dirty too.
 */
import type { Db, Query } from '../db/index.ts';
import { localDate } from '../lib/dates.ts';
import { SCORE_WINDOW_DAYS, scoreWindow } from './score.ts';
import { refreshSiteWindows } from './visitor-windows.ts';

/** Marks the local days of these instants dirty for a site (inside the ingest transaction). */
export async function markDirty(q: Query, siteId: string, timezone: string, instants: number[]): Promise<void> {
  const days = [...new Set(instants.map((t) => localDate(t, timezone)))];
  await q(
    `insert into rollup_queue (site_id, day, version) select $1, d::date, 1 from json_array_elements_text($2::json) as d
     on conflict (site_id, day) do update set version = rollup_queue.version + 1, dirtied_at = now()`,
    [siteId, JSON.stringify(days)],
  );
}

export interface RefreshOptions {
  siteId?: string;
  /** only the dirty days between these local dates (inclusive) */
  from?: string;
  to?: string;
  limit?: number;
  now?: number;
}

/**
 * Recomputes the dirty site-days (of one site, or all; of a range, or all), oldest mark first, at
 * most `limit` of them. Returns how many it recomputed.
 */
export async function refreshRollups(db: Db, options: RefreshOptions = {}): Promise<number> {
  // A day whose raw events retention has begun to delete can no longer be recomputed: rebuilding it
  // would wipe its aggregates. Its mark is dropped; its rollups stay as they are.
  await db.query(
    `delete from rollup_queue q using sites s where s.id = q.site_id
     and q.day <= (($1::timestamptz at time zone s.timezone)::date - s.retention_days)`,
    [new Date(options.now ?? Date.now())],
  );
  const dirty = await db.query<{ site_id: string; day: string; version: number; timezone: string; settings: { goals?: string[] } }>(
    `select q.site_id, to_char(q.day, 'YYYY-MM-DD') as day, q.version, s.timezone, s.settings
     from rollup_queue q join sites s on s.id = q.site_id
     where ($1::text is null or q.site_id = $1) and ($3::date is null or q.day >= $3) and ($4::date is null or q.day <= $4)
     order by q.dirtied_at limit $2`,
    [options.siteId ?? null, options.limit ?? 1000, options.from ?? null, options.to ?? null],
  );
  // visitor_windows (./visitor-windows.ts): per site, its local today and the visitors of its rebuilt
  // days in that window, before and after the rebuild
  const now = options.now ?? Date.now();
  const touched = new Map<string, { timezone: string; today: string; visitors: Set<string> | null }>();
  try {
    for (const d of dirty) {
      let site = touched.get(d.site_id);
      const today = site?.today ?? localDate(now, d.timezone);
      const inWindow = d.day >= scoreWindow(today).from && d.day <= today;
      if (inWindow && !site) touched.set(d.site_id, (site = { timezone: d.timezone, today, visitors: new Set() }));
      const visitorsOf = async (q: Query) => {
        if (!inWindow) return;
        const rows = await q<{ visitor_id: string }>(`select visitor_id from rollup_visitor_days where site_id = $1 and day = $2::date`, [d.site_id, d.day]);
        for (const r of rows) site!.visitors!.add(r.visitor_id);
      };
      await db.tx(async (q) => {
        await visitorsOf(q);
        await rebuildDay(q, { siteId: d.site_id, day: d.day, timezone: d.timezone, goals: goalsOf(d.settings) });
        await visitorsOf(q);
        await q(`delete from rollup_queue where site_id = $1 and day = $2::date and version = $3`, [d.site_id, d.day, d.version]);
      });
    }
  } finally {
    // the windows of the days rebuilt so far, even when a later day failed (it stays queued)
    for (const [siteId, site] of touched) await refreshSiteWindows(db, siteId, site.timezone, site.today, site.visitors!);
  }
  // A site with no traffic since its midnight has no dirty day, but its window must still move to
  // the new date (or the visitors report falls back to grouping a month of rollups per request).
  const stale = await db.query<{ id: string; timezone: string }>(
    `select s.id, s.timezone from sites s, lateral (select ($2::timestamptz at time zone s.timezone)::date as today) t
     where ($1::text is null or s.id = $1)
       and not exists (select 1 from visitor_windows w where w.site_id = s.id and w.as_of = t.today)
       and exists (select 1 from rollup_visitor_days r where r.site_id = s.id and r.day between t.today - ${SCORE_WINDOW_DAYS - 1} and t.today)`,
    [options.siteId ?? null, new Date(now)],
  );
  for (const site of stale) {
    if (!touched.has(site.id)) await refreshSiteWindows(db, site.id, site.timezone, localDate(now, site.timezone), new Set());
  }
  return dirty.length;
}

export const goalsOf = (settings: unknown): string[] => {
  const goals = (settings as { goals?: unknown } | null)?.goals;
  return Array.isArray(goals) ? goals.filter((g): g is string => typeof g === 'string') : [];
};

interface DayParams {
  siteId: string;
  day: string;
  timezone: string;
  /** custom event names, or page paths (starting with `/`), that count as goal conversions */
  goals: string[];
}

/**
 * Every statement below runs with the same parameters:
 * $1 site, $2 day, $3 time zone, $4 goals (JSON array of strings).
 * The common table expressions give each one the day's bounds, sessions and events.
 */
const DAY = `
  bounds as (select ($2::date)::timestamp at time zone $3 as lo, (($2::date) + 1)::timestamp at time zone $3 as hi),
  goals as (select value as goal from json_array_elements_text($4::json)),
  day_sessions as (
    select s.* from sessions s, bounds where s.site_id = $1 and s.started_at >= bounds.lo and s.started_at < bounds.hi),
  day_events as (
    select e.*, s.device from events e join sessions s on s.id = e.session_id, bounds
    where e.site_id = $1 and e.ts >= bounds.lo and e.ts < bounds.hi),
  -- events of the day's sessions, wherever they fall (a session may run past midnight)
  session_events as (
    select e.* from events e join day_sessions s on s.id = e.session_id, bounds
    where e.site_id = $1 and e.ts >= bounds.lo and e.ts < bounds.hi + interval '1 day'),
  goal_events as (
    select e.*, g.goal from session_events e join goals g
      on (e.type = 'custom' and e.data->>'name' = g.goal) or (e.type = 'pageview' and e.path = g.goal)),
  session_facts as (
    select s.id, s.visitor_id,
      min(e.ts) filter (where e.type = 'faq' and e.data->>'action' = 'view') as first_faq,
      max(e.ts) filter (where e.type = 'support') as last_support,
      count(*) filter (where e.type = 'friction') as friction,
      exists (select 1 from goal_events g where g.session_id = s.id) as converted,
      -- uncorrelated, so that it runs once as a hashed subplan, not once per session (bench/README.md)
      s.id in (select p.session_id from session_events p where p.type = 'pageview'
               group by p.session_id, p.path having count(*) >= 3) as looped
    from day_sessions s left join session_events e on e.session_id = s.id group by s.id, s.visitor_id),
  engaged as (
    -- DEFINITIONS: engaged session = ≥ 10 s engaged time, or ≥ 2 page views, or a goal conversion
    select s.*, (s.engaged_ms >= 10000 or s.pageviews >= 2 or f.converted) as is_engaged, f.converted,
      f.first_faq, f.last_support, f.friction, f.looped
    from day_sessions s join session_facts f on f.id = s.id)`;

const ROLLUP_TABLES = [
  'rollup_days',
  'rollup_visitor_days',
  'rollup_pages',
  'rollup_sources',
  'rollup_vitals',
  'rollup_friction',
  'rollup_faq',
  'rollup_searches',
  'rollup_shares',
  'rollup_goals',
  'session_journeys',
  'rollup_journeys',
  'rollup_paths',
];

const REBUILD = [
  // The overview's figures, and session outcomes (DEFINITIONS: self-service, escalation, frustration, loops).
  `with ${DAY}
   insert into rollup_days (site_id, day, visitors, sessions, engaged_sessions, returning_sessions, pageviews, engaged_ms,
     faq_sessions, self_served_sessions, escalations, support_sessions, frustrated_sessions, loop_sessions, bot_hits)
   select $1, $2::date, count(distinct visitor_id), count(*), count(*) filter (where is_engaged),
     count(*) filter (where is_returning), coalesce(sum(pageviews), 0), coalesce(sum(engaged_ms), 0),
     count(*) filter (where first_faq is not null),
     count(*) filter (where first_faq is not null and (last_support is null or last_support < first_faq)),
     count(*) filter (where first_faq is not null and last_support >= first_faq),
     count(*) filter (where last_support is not null),
     count(*) filter (where friction >= 3),
     count(*) filter (where looped),
     coalesce((select hits from bot_hits where site_id = $1 and day = $2), 0)
   from engaged`,

  // Per visitor and day: the visitors report, the engagement score and distinct counts.
  `with ${DAY},
   visitor_sessions as (
     select visitor_id, count(*) as sessions, count(*) filter (where is_returning) as returning_sessions,
       (array_agg(channel order by started_at))[1] as first_channel, (array_agg(source order by started_at))[1] as first_source
     from engaged group by visitor_id),
   visitor_events as (
     select e.visitor_id, min(e.ts) as first_seen, max(e.ts) as last_seen,
       count(*) filter (where e.type = 'pageview') as pageviews,
       coalesce(sum((e.data->>'engaged')::bigint) filter (where e.type = 'pageleave'), 0) as engaged_ms,
       -- custom events that are not goals: a goal counts once, as a conversion
       count(*) filter (where e.type = 'custom' and e.data->>'name' not in (select goal from goals)) as custom_events,
       count(*) filter (where e.type = 'faq' and e.data->>'action' = 'view') as faq_views,
       count(*) filter (where e.type = 'faq' and e.data->>'action' = 'vote') as faq_votes,
       count(*) filter (where e.type = 'faq' and e.data->>'action' = 'search') as searches,
       count(*) filter (where e.type = 'nps') as nps_answers,
       (array_agg((e.data->>'score')::int order by e.ts desc) filter (where e.type = 'nps'))[1] as nps_last,
       max(e.ts) filter (where e.type = 'nps') as nps_last_at,
       count(*) filter (where e.type = 'share') as shares,
       count(*) filter (where e.type = 'friction') as friction,
       count(*) filter (where (e.type = 'custom' and e.data->>'name' in (select goal from goals))
                           or (e.type = 'pageview' and e.path in (select goal from goals))) as goal_conversions
     from day_events e group by e.visitor_id)
   insert into rollup_visitor_days (site_id, day, visitor_id, customer_id, first_seen, last_seen, sessions, returning_sessions,
     pageviews, engaged_ms, custom_events, goal_conversions, faq_views, faq_votes, searches, nps_answers, nps_last, nps_last_at,
     shares, friction, first_channel, first_source)
   select $1, $2::date, e.visitor_id, v.customer_id, e.first_seen, e.last_seen, coalesce(s.sessions, 0),
     coalesce(s.returning_sessions, 0), e.pageviews, e.engaged_ms, e.custom_events, e.goal_conversions, e.faq_views,
     e.faq_votes, e.searches, e.nps_answers, e.nps_last, e.nps_last_at, e.shares, e.friction,
     coalesce(s.first_channel, 'Direct'), coalesce(s.first_source, '')
   from visitor_events e left join visitor_sessions s on s.visitor_id = e.visitor_id
   left join visitors v on v.site_id = $1 and v.id = e.visitor_id`,

  // Pages: views, visitors, engaged time and 404s from the day's events; entries and exits from its sessions.
  `with ${DAY},
   views as (
     select path, device, count(*) filter (where type = 'pageview') as pageviews,
       count(distinct visitor_id) filter (where type = 'pageview') as visitors,
       coalesce(sum((data->>'engaged')::bigint) filter (where type = 'pageleave'), 0) as engaged_ms,
       count(*) filter (where (type = 'friction' and data->>'kind' = 'not_found')) as not_found
     from day_events where type in ('pageview', 'pageleave', 'friction') group by path, device),
   entries as (select landing_path as path, device, count(*) as n from day_sessions where landing_path <> '' group by 1, 2),
   exits as (select exit_path as path, device, count(*) as n from day_sessions where exit_path <> '' group by 1, 2),
   keys as (select path, device from views union select path, device from entries union select path, device from exits)
   insert into rollup_pages (site_id, day, path, device, pageviews, visitors, entries, exits, engaged_ms, not_found)
   select $1, $2::date, k.path, k.device, coalesce(v.pageviews, 0), coalesce(v.visitors, 0), coalesce(en.n, 0),
     coalesce(ex.n, 0), coalesce(v.engaged_ms, 0), coalesce(v.not_found, 0)
   from keys k left join views v using (path, device) left join entries en using (path, device)
   left join exits ex using (path, device)`,

  // Acquisition: sessions by their landing's channel, source, campaign, network and landing page.
  `with ${DAY}
   insert into rollup_sources (site_id, day, channel, source, medium, campaign, network, in_app, landing_path,
     sessions, visitors, engaged_sessions, converted_sessions)
   select $1, $2::date, channel, source, medium, campaign, coalesce(network, ''), in_app, landing_path, count(*),
     count(distinct visitor_id), count(*) filter (where is_engaged), count(*) filter (where converted)
   from engaged group by channel, source, medium, campaign, coalesce(network, ''), in_app, landing_path`,

  // Web Vitals: one row per page, device and metric with its histogram as parallel arrays
  // (see rollupVitals in db/schema.ts for the bucket formula).
  `with ${DAY},
   samples as (
     -- rated here by the DEFINITIONS thresholds: the rating a browser sends is not trusted
     select path, device, data->>'name' as metric,
       case when v <= t.good then 'good' when v <= t.poor then 'needs-improvement' else 'poor' end as rating,
       floor(ln(1 + v * case when data->>'name' = 'CLS' then 1000 else 1 end) * 40)::int as bucket
     from (select *, (data->>'value')::float8 as v from day_events where type = 'vital') e
     join (values ('LCP', 2500, 4000), ('INP', 200, 500), ('CLS', 0.1, 0.25), ('FCP', 1800, 3000), ('TTFB', 800, 1800))
       as t(metric, good, poor) on t.metric = e.data->>'name'),
   histogram as (
     select path, device, metric, bucket, count(*)::int as n, count(*) filter (where rating = 'good')::int as good,
       count(*) filter (where rating = 'needs-improvement')::int as needs_improvement,
       count(*) filter (where rating = 'poor')::int as poor
     from samples group by path, device, metric, bucket)
   insert into rollup_vitals (site_id, day, path, device, metric, samples, good, needs_improvement, poor, buckets, counts)
   select $1, $2::date, path, device, metric, sum(n), sum(good), sum(needs_improvement), sum(poor),
     array_agg(bucket order by bucket), array_agg(n order by bucket)
   from histogram group by path, device, metric`,

  // Friction hot spots: page, kind, element selector.
  `with ${DAY}
   insert into rollup_friction (site_id, day, path, kind, selector, events, total, sessions)
   select $1, $2::date, path, data->>'kind', coalesce(data->>'selector', ''), count(*),
     coalesce(sum(coalesce((data->>'count')::int, 1)), 0), count(distinct session_id)
   from day_events where type = 'friction' group by path, data->>'kind', coalesce(data->>'selector', '')`,

  // FAQ articles: views and "was this helpful?" votes; an article is its data-kizuna-faq id, else its path.
  `with ${DAY}
   insert into rollup_faq (site_id, day, article, title, views, helpful, not_helpful)
   select $1, $2::date, coalesce(nullif(data->>'article', ''), path), 
     -- the item's own title, else the title of the page it was viewed on (a vote's page says nothing)
     coalesce(max(data->>'title'), max(title) filter (where data->>'action' = 'view')),
     count(*) filter (where data->>'action' = 'view'),
     count(*) filter (where data->>'action' = 'vote' and (data->>'helpful')::boolean),
     count(*) filter (where data->>'action' = 'vote' and not (data->>'helpful')::boolean)
   from day_events where type = 'faq' and data->>'action' in ('view', 'vote')
   group by coalesce(nullif(data->>'article', ''), path)`,

  // FAQ searches: the query trimmed, lower-cased, ≤ 200 characters; 0 results = a failed search.
  `with ${DAY}
   insert into rollup_searches (site_id, day, query, searches, zero_results)
   select $1, $2::date, left(lower(btrim(data->>'query')), 200), count(*),
     count(*) filter (where (data->>'results')::int = 0)
   from day_events where type = 'faq' and data->>'action' = 'search' and coalesce(btrim(data->>'query'), '') <> ''
   group by left(lower(btrim(data->>'query')), 200)`,

  `with ${DAY}
   insert into rollup_shares (site_id, day, network, shares)
   select $1, $2::date, data->>'network', count(*) from day_events where type = 'share' group by data->>'network'`,

  // Goal conversions, by converting visitor and the source of the session they converted in.
  `with ${DAY}
   insert into rollup_goals (site_id, day, goal, visitor_id, channel, source, conversions)
   select $1, $2::date, g.goal, g.visitor_id, s.channel, s.source, count(*)
   from goal_events g join engaged s on s.id = g.session_id group by g.goal, g.visitor_id, s.channel, s.source`,

  // Journeys: page paths in order, a page repeated in a row counted once, goal events as `event:Name`.
  `with ${DAY},
   steps as (
     select session_id, ts, case when type = 'pageview' then path else 'event:' || (data->>'name') end as step
     from session_events e
     where type = 'pageview' or (type = 'custom' and data->>'name' in (select goal from goals))),
   collapsed as (
     select session_id, ts, step, lag(step) over (partition by session_id order by ts) as previous from steps)
   insert into session_journeys (session_id, site_id, day, steps)
   select session_id, $1, $2::date, (array_agg(step order by ts))[1:50]
   from collapsed where previous is distinct from step group by session_id`,

  // The day's distinct journeys (funnels), from the session_journeys rows just written.
  // (Every statement takes the same parameters: the unused CTEs of DAY give $3 and $4 their types.)
  `with ${DAY}
   insert into rollup_journeys (site_id, day, steps, sessions)
   select $1, $2::date, steps, count(*) from session_journeys where site_id = $1 and day = $2::date group by steps`,

  // Top paths: each distinct journey's pages only (goal events dropped, then a page repeated in a
  // row once), reshaped once per distinct journey; journeys of goal events only have no path.
  `with ${DAY},
   journeys as (select steps, sessions from rollup_journeys where site_id = $1 and day = $2::date),
   paths as (
     select array(
       select t.step from (
         select u.step, u.n, lag(u.step) over (order by u.n) as previous
         from unnest(j.steps) with ordinality as u(step, n) where u.step not like 'event:%') t
       where t.previous is distinct from t.step order by t.n) as pages, j.sessions
     from journeys j)
   insert into rollup_paths (site_id, day, pages, sessions)
   select $1, $2::date, pages, sum(sessions) from paths where cardinality(pages) > 0 group by pages`,
];

async function rebuildDay(q: Query, p: DayParams): Promise<void> {
  const siteDay = [p.siteId, p.day];
  const params = [...siteDay, p.timezone, JSON.stringify(p.goals)];
  for (const table of ROLLUP_TABLES) await q(`delete from ${table} where site_id = $1 and day = $2::date`, siteDay);
  for (const statement of REBUILD) await q(statement, params);
  // Two processes rebuilding two days of one week would each merge the other's old figures (or
  // collide on the key): the week is rebuilt by one at a time, each seeing the other's commit.
  await q(`select pg_advisory_xact_lock(hashtextextended('rollup_vitals_weeks ' || $1 || date_trunc('week', $2::date)::date, 0))`, siteDay);
  await q(`delete from rollup_vitals_weeks where site_id = $1 and week = date_trunc('week', $2::date)::date`, siteDay);
  await q(WEEK_VITALS, siteDay);
}

/** The week (Monday to Sunday) of day $2, merged from its days in `rollup_vitals` (db/schema.ts, rollupVitalsWeeks). */
const WEEK_VITALS = `
  with w as (select date_trunc('week', $2::date)::date as week),
  days as (select v.* from rollup_vitals v, w where v.site_id = $1 and v.day between w.week and w.week + 6),
  pairs as (select path, device, metric, u.bucket, sum(u.n)::int as n
    from days, unnest(days.buckets, days.counts) as u(bucket, n) group by path, device, metric, u.bucket),
  histograms as (select path, device, metric, array_agg(bucket order by bucket) as buckets, array_agg(n order by bucket) as counts
    from pairs group by path, device, metric)
  insert into rollup_vitals_weeks (site_id, week, path, device, metric, samples, good, needs_improvement, poor, buckets, counts)
  select $1, w.week, t.path, t.device, t.metric, t.samples, t.good, t.needs_improvement, t.poor, h.buckets, h.counts
  from w, (select path, device, metric, sum(samples) as samples, sum(good) as good,
             sum(needs_improvement) as needs_improvement, sum(poor) as poor from days group by path, device, metric) t
  join histograms h using (path, device, metric)`;
