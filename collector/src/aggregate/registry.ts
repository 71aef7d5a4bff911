/**
 * The rollup registry: every table the rollup job derives from raw events, with the statement that
 * rebuilds one site-day of it. The day rebuild (./rollups.ts), erasure (./erase.ts) and the
 * benchmarks' truncation all go through this list: adding a rollup is one entry here (and its table
 * in db/schema.ts).
 *
 * Rows belong to the local day (site time zone) of `day`; sessions to the day they started on.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  botHits,
  JOURNEY_STEPS,
  rollupDays,
  rollupEventProps,
  rollupEvents,
  rollupFaq,
  rollupFaqSegments,
  rollupFriction,
  rollupFrictionSegments,
  rollupGoals,
  rollupJourneys,
  rollupJourneysSegments,
  rollupOutcomeSegments,
  rollupPages,
  rollupPageViewsSegments,
  rollupCampaigns,
  rollupCampaignsSegments,
  rollupPaths,
  rollupPathsSegments,
  rollupSearches,
  rollupSearchesSegments,
  rollupSearchTerms,
  rollupSearchTermsSegments,
  rollupShares,
  rollupSharesSegments,
  rollupSources,
  rollupSourcesSegments,
  rollupVisitorDays,
  rollupVitals,
  rollupVitalsSegments,
  rollupVitalsWeeks,
  sessionJourneys,
  visitors,
  visitorWindows,
} from '../db/schema.ts';
import { insertSelect } from '../db/sql.ts';
import { bucketSql, ratingSql } from '../lib/vitals.ts';
import { day, dayScope, SEGMENT_COLUMNS, segmentsOf, SESSION_OUTCOMES, type DayParams } from './day.ts';

/** A table with one set of rows per site and day. */
type DayTable = PgTable & { siteId: AnyPgColumn; day: AnyPgColumn };

export interface Rollup {
  table: DayTable;
  /** the column naming a visitor, when rows are per visitor: erasure deletes the person's rows */
  visitor?: AnyPgColumn;
  /** the column naming the visitor's customer, where rows keep it: erasure by customer id looks there too */
  customer?: AnyPgColumn;
  /**
   * rows are counts keyed by the day and closed vocabularies only (no path, query, selector,
   * campaign or person): kept for ever. Every other rollup's rows go with the raw events at the
   * site's retention (./retention.ts).
   */
  countsOnly?: true;
  /** fills the table's rows of one site-day (they were deleted first) */
  rebuild: (p: DayParams) => SQL;
}

const DS = day.sessions;
const DE = day.events;
const SE = day.sessionEvents;
const GE = day.goalEvents;
const EN = day.engaged;

/** A day statement: the day's expressions (by segment: ./day.ts `dayScope`), then `body`. */
const onDay = (p: DayParams, body: SQL, bySegment = false) => sql`with ${dayScope(p, bySegment)} ${body}`;
/** The same, with more expressions after the day's. */
const onDayWith = (p: DayParams, more: SQL, body: SQL) => sql`with ${dayScope(p)}, ${more} ${body}`;
const siteDay = (p: DayParams) => ({ siteId: sql`${p.siteId}`, day: sql`${p.day}::date` });
const isGoal = (value: SQL) => sql`${value} in (select goal from goals)`;

/**
 * A day rollup written as one grouping over the day's expressions (./day.ts): its columns besides
 * the site and day (column → expression), its `from` clause and what it groups by. The rollup job
 * writes it for one site-day; a filtered report evaluates the same grouping over the filtered
 * sessions of a range (reports/filters.ts), where `day` gives each row's local day.
 */
export interface Grouping<T extends DayTable = DayTable> {
  table: T;
  columns: Partial<Record<keyof T['$inferInsert'], SQL>>;
  from: SQL;
  groupBy: SQL[];
  /** a row's local day where the expressions span a range (reports/filters.ts) */
  day: SQL;
}

const grouping = <T extends DayTable>(g: Grouping<T>) => g;

/** The segment and value of a row joined to its session's segments (./day.ts `segmentsOf`). */
const SEGMENT_OF_ROW = { segment: sql`segments.segment`, value: sql`segments.value` };

/** Tables of sessions grouped by a key, with their figures (db/schema.ts `sessionFigures`). */
type SessionTable =
  | typeof rollupSources
  | typeof rollupSourcesSegments
  | typeof rollupCampaigns
  | typeof rollupCampaignsSegments
  | typeof rollupSearchTerms
  | typeof rollupSearchTermsSegments;

/**
 * The day's sessions grouped by `keys` (each a column of `table` and its expression over `engaged`),
 * with their figures (db/schema.ts `sessionFigures`); only the sessions `where` admits. `bySegment`:
 * per segment of each session too (./day.ts `segmentsOf`), into a segment rollup.
 */
const sessionsBy = <T extends SessionTable>(table: T, keys: Record<string, SQL>, where?: SQL, bySegment = false) => {
  const all = bySegment ? { ...keys, ...SEGMENT_OF_ROW } : keys;
  return grouping({
    table,
    columns: {
      ...all,
      sessions: sql`count(*)`,
      visitors: sql`count(distinct ${EN.visitorId})`,
      engagedSessions: sql`count(*) filter (where is_engaged)`,
      convertedSessions: sql`count(*) filter (where converted)`,
    } as Grouping<T>['columns'],
    from: sql`from engaged${bySegment ? sql` ${segmentsOf('engaged')}` : sql``}${where ? sql` where ${where}` : sql``}`,
    groupBy: Object.values(all),
    day: sql`engaged.day`,
  });
};

/** A grouping of the day's sessions ({@link sessionsBy}) and its twin per segment. */
const sessionsAndSegments = <T extends SessionTable, U extends SessionTable>(table: T, twin: U, keys: Record<string, SQL>, where?: SQL) =>
  [sessionsBy(table, keys, where), sessionsBy(twin, keys, where, true)] as const;

/**
 * Acquisition: sessions by their landing's channel, source, medium, campaign, network (and whether
 * in-app), search engine, AI assistant and landing page.
 */
export const [SOURCES, SOURCES_BY_SEGMENT] = sessionsAndSegments(rollupSources, rollupSourcesSegments, {
  channel: sql`${EN.channel}`,
  source: sql`${EN.source}`,
  medium: sql`${EN.medium}`,
  campaign: sql`${EN.campaign}`,
  network: sql`coalesce(${EN.network}, '')`,
  inApp: sql`${EN.inApp}`,
  searchEngine: sql`coalesce(${EN.searchEngine}, '')`,
  aiAssistant: sql`coalesce(${EN.aiAssistant}, '')`,
  landingPath: sql`${EN.landingPath}`,
});

/** UTM campaigns with all their tags (utm_id, utm_term, utm_content). */
export const [CAMPAIGNS, CAMPAIGNS_BY_SEGMENT] = sessionsAndSegments(
  rollupCampaigns,
  rollupCampaignsSegments,
  {
    source: sql`${EN.source}`,
    medium: sql`${EN.medium}`,
    campaign: sql`${EN.campaign}`,
    campaignId: sql`${EN.campaignId}`,
    term: sql`${EN.term}`,
    content: sql`${EN.content}`,
  },
  sql`${EN.campaign} <> ''`,
);

/** Search terms a search engine's referrer carried (free text: retention.ts deletes them with the raw events). */
export const [SEARCH_TERMS, SEARCH_TERMS_BY_SEGMENT] = sessionsAndSegments(
  rollupSearchTerms,
  rollupSearchTermsSegments,
  { searchEngine: sql`${EN.searchEngine}`, term: sql`${EN.searchTerm}` },
  sql`${EN.searchEngine} is not null and ${EN.searchTerm} <> ''`,
);

/** Goal conversions, by converting visitor and the source of the session they converted in. */
export const GOALS = grouping({
  table: rollupGoals,
  columns: {
    goal: sql`goal_events.goal`,
    visitorId: sql`${GE.visitorId}`,
    channel: sql`${EN.channel}`,
    source: sql`${EN.source}`,
    conversions: sql`count(*)`,
  },
  from: sql`from goal_events join engaged on ${EN.id} = ${GE.sessionId}`,
  groupBy: [sql`goal_events.goal`, sql`${GE.visitorId}`, sql`${EN.channel}`, sql`${EN.source}`],
  day: sql`engaged.day`,
});

/**
 * The page views of `rollup_pages` (its rollup below writes them with the pages' other figures) as
 * a grouping: what a statement with filters reads of it (the dashboard's insights).
 */
export const PAGE_VIEWS = grouping({
  table: rollupPages,
  columns: { path: sql`${DE.path}`, device: sql`device`, pageviews: sql`count(*)` },
  from: sql`from day_events where ${DE.type} = 'pageview'`,
  groupBy: [sql`${DE.path}`, sql`device`],
  day: sql`day_events.day`,
});

/** Share clicks by network, on the day they were made. */
export const SHARES = grouping({
  table: rollupShares,
  columns: { network: sql`${DE.data}->>'network'`, shares: sql`count(*)` },
  from: sql`from day_events where ${DE.type} = 'share'`,
  groupBy: [sql`${DE.data}->>'network'`],
  day: sql`day_events.day`,
});

/** A journey's pages: its goal events dropped, then a page repeated in a row once. */
const pagesOf = (steps: SQL) => sql`array(
  select t.step from (
    select u.step, u.n, lag(u.step) over (order by u.n) as previous
    from unnest(${steps}) with ordinality as u(step, n) where u.step not like 'event:%') t
  where t.previous is distinct from t.step order by t.n)`;

const DJ = day.journeys;
/** The day's journeys; by segment, once per segment of their session ({@link SEGMENT_OF_ROW}). */
const journeyRows = (bySegment: boolean) =>
  bySegment ? sql`from day_journeys join day_sessions on ${DS.id} = ${DJ.sessionId} ${segmentsOf('day_sessions')}` : sql`from day_journeys`;

/** The distinct journeys (funnels), from the `session_journeys` rows written before; `bySegment`: per segment too. */
const journeysOf = <T extends typeof rollupJourneys | typeof rollupJourneysSegments>(table: T, bySegment = false) => {
  const keys = { steps: sql`${DJ.steps}`, ...(bySegment ? SEGMENT_OF_ROW : {}) };
  return grouping({
    table,
    columns: { ...keys, sessions: sql`count(*)` } as Grouping<T>['columns'],
    from: journeyRows(bySegment),
    groupBy: Object.values(keys),
    day: sql`${DJ.day}`,
  });
};
export const JOURNEYS = journeysOf(rollupJourneys);

/**
 * Top paths: each journey's pages only ({@link pagesOf}), reshaped once per distinct journey of a
 * day (and segment); a journey of goal events only has no path.
 */
const pathsOf = <T extends typeof rollupPaths | typeof rollupPathsSegments>(table: T, bySegment = false) => {
  const keys = sql.join([sql`${DJ.day}`, sql`${DJ.steps}`, ...(bySegment ? Object.values(SEGMENT_OF_ROW) : [])], sql`, `);
  const segment = bySegment ? { segment: sql`j.segment`, value: sql`j.value` } : {};
  return grouping({
    table,
    columns: { pages: sql`x.pages`, ...segment, sessions: sql`sum(j.sessions)` } as Grouping<T>['columns'],
    from: sql`from (select ${keys}, count(*) as sessions ${journeyRows(bySegment)} group by ${keys}) j,
      lateral (select ${pagesOf(sql`j.steps`)} as pages) x where cardinality(x.pages) > 0`,
    groupBy: [sql`x.pages`, ...Object.values(segment)],
    day: sql`j.day`,
  });
};
export const PATHS = pathsOf(rollupPaths);

/**
 * Web Vitals: one row per page, device and metric with its histogram as parallel arrays (lib/vitals.ts:
 * the rating and the bucket of each sample), from the samples counted per bucket. `bySegment`: the
 * samples of `segment_events` are counted per bucket and session segments first, then a row of counts
 * per segment ({@link segmentsOf}): each sample is rated, bucketed and grouped once, not once per
 * segment of its session (the rollup job's costliest statement, bench/README.md).
 */
const vitalsOf = <T extends typeof rollupVitals | typeof rollupVitalsSegments>(table: T, bySegment = false) => {
  const e = bySegment ? day.segmentEvents : DE;
  const keys = sql.join((bySegment ? SEGMENT_COLUMNS : ['device']).map((k) => sql`, ${sql.identifier(k)}`));
  const samples = sql`select ${e.path} as path, day${keys}, ${e.data}->>'name' as metric, (${e.data}->>'value')::float8 as v
    from ${sql.identifier(bySegment ? 'segment_events' : 'day_events')} where ${e.type} = 'vital'`;
  const rated = sql`select *, ${ratingSql(sql`metric`, sql`v`)} as rating, ${bucketSql(sql`metric`, sql`v`)} as bucket from (${samples}) e`;
  const counted = sql`
      select day, path${keys}, metric, bucket, count(*)::int as n, count(*) filter (where rating = 'good')::int as good,
        count(*) filter (where rating = 'needs-improvement')::int as needs_improvement, count(*) filter (where rating = 'poor')::int as poor
      from (${rated}) r group by day, path${keys}, metric, bucket`;
  const segmentKeys = sql`day, path, device, segments.segment, segments.value, session_day, metric, bucket`;
  const histograms = bySegment
    ? sql`select ${segmentKeys}, sum(n)::int as n, sum(good)::int as good, sum(needs_improvement)::int as needs_improvement,
        sum(poor)::int as poor from (${counted}) c ${segmentsOf('c')} group by ${segmentKeys}`
    : counted;
  return grouping({
    table,
    columns: {
      path: sql`h.path`,
      device: sql`h.device`,
      metric: sql`h.metric`,
      samples: sql`sum(h.n)`,
      good: sql`sum(h.good)`,
      needsImprovement: sql`sum(h.needs_improvement)`,
      poor: sql`sum(h.poor)`,
      buckets: sql`array_agg(h.bucket order by h.bucket)`,
      counts: sql`array_agg(h.n order by h.bucket)`,
    } as Grouping<T>['columns'],
    from: sql`from (${histograms}) h`,
    groupBy: [sql`h.path`, sql`h.device`, sql`h.metric`],
    day: sql`h.day`,
  });
};
export const VITALS = vitalsOf(rollupVitals);

const frictionKind = sql`${DE.data}->>'kind'`;
const frictionSelector = sql`coalesce(${DE.data}->>'selector', '')`;
/** Friction hot spots: page, kind, element selector. */
export const FRICTION = grouping({
  table: rollupFriction,
  columns: {
    path: sql`${DE.path}`,
    kind: frictionKind,
    selector: frictionSelector,
    events: sql`count(*)`,
    total: sql`coalesce(sum(coalesce((${DE.data}->>'count')::int, 1)), 0)`,
    sessions: sql`count(distinct ${DE.sessionId})`,
  },
  from: sql`from day_events where ${DE.type} = 'friction'`,
  groupBy: [sql`${DE.path}`, frictionKind, frictionSelector],
  day: sql`day_events.day`,
});

const faqArticle = sql`coalesce(nullif(${DE.data}->>'article', ''), ${DE.path})`;
const faqAction = sql`${DE.data}->>'action'`;
/** FAQ articles: views and "was this helpful?" votes; an article is its data-kizuna-faq id, else its path. */
export const FAQ_ARTICLES = grouping({
  table: rollupFaq,
  columns: {
    article: faqArticle,
    // the item's own title, else the title of the page it was viewed on (a vote's page says nothing)
    title: sql`coalesce(max(${DE.data}->>'title'), max(${DE.title}) filter (where ${faqAction} = 'view'))`,
    views: sql`count(*) filter (where ${faqAction} = 'view')`,
    helpful: sql`count(*) filter (where ${faqAction} = 'vote' and (${DE.data}->>'helpful')::boolean)`,
    notHelpful: sql`count(*) filter (where ${faqAction} = 'vote' and not (${DE.data}->>'helpful')::boolean)`,
  },
  from: sql`from day_events where ${DE.type} = 'faq' and ${faqAction} in ('view', 'vote')`,
  groupBy: [faqArticle],
  day: sql`day_events.day`,
});

const searchQuery = sql`left(lower(btrim(${DE.data}->>'query')), 200)`;
/** FAQ searches: the query trimmed, lower-cased, ≤ 200 characters; 0 results = a failed search. */
export const FAQ_SEARCHES = grouping({
  table: rollupSearches,
  columns: { query: searchQuery, searches: sql`count(*)`, zeroResults: sql`count(*) filter (where (${DE.data}->>'results')::int = 0)` },
  from: sql`from day_events where ${DE.type} = 'faq' and ${faqAction} = 'search' and coalesce(btrim(${DE.data}->>'query'), '') <> ''`,
  groupBy: [searchQuery],
  day: sql`day_events.day`,
});

/** A visitor's NPS answers among their `day_events`: how many, the latest score and when (visitor-days). */
export const NPS_ANSWERS = {
  npsAnswers: sql`count(*) filter (where ${DE.type} = 'nps')`,
  npsLast: sql`(array_agg((${DE.data}->>'score')::int order by ${DE.ts} desc) filter (where ${DE.type} = 'nps'))[1]`,
  npsLastAt: sql`max(${DE.ts}) filter (where ${DE.type} = 'nps')`,
};

/** A grouping's rows of one site-day; `bySegment`: over the day's events by segment (./day.ts `dayScope`). */
const rebuildOf =
  (g: Grouping, bySegment = false) =>
  (p: DayParams) =>
    onDay(p, insertSelect(g.table, { ...siteDay(p), ...g.columns }, sql`${g.from} group by ${sql.join(g.groupBy, sql`, `)}`), bySegment);

/**
 * The key of a segment rollup's rows of events (db/schema.ts `eventSegmentKey`): the columns the
 * day's events have by segment.
 */
const EVENT_SEGMENT_KEY = { segment: sql`segment`, value: sql`value`, sessionDay: sql`session_day` };
/** A grouping of `day_events` per segment, into `table` (its rows keyed by {@link EVENT_SEGMENT_KEY} too). */
const bySegment = <T extends DayTable>(g: Grouping, table: T): Grouping<T> =>
  grouping({
    table,
    columns: { ...g.columns, ...EVENT_SEGMENT_KEY } as Grouping<T>['columns'],
    from: g.from,
    groupBy: [...g.groupBy, ...Object.values(EVENT_SEGMENT_KEY)],
    day: g.day,
  });

/**
 * The segment rollups: each rollup a report with one filter reads (reports/filters.ts), and its rows
 * per session segment (db/schema.ts `segmentKey`), written by the same grouping over the day's
 * events by segment ({@link bySegment}; the day's scope by segment, ./day.ts) or over its sessions
 * per segment ({@link sessionsBy}, which reads no events).
 */
const SEGMENT_GROUPINGS = new Map<Grouping, Grouping>([
  [PAGE_VIEWS, bySegment(PAGE_VIEWS, rollupPageViewsSegments)],
  [VITALS, bySegment(vitalsOf(rollupVitalsSegments, true), rollupVitalsSegments)],
  [SOURCES, SOURCES_BY_SEGMENT],
  [CAMPAIGNS, CAMPAIGNS_BY_SEGMENT],
  [SEARCH_TERMS, SEARCH_TERMS_BY_SEGMENT],
  [SHARES, bySegment(SHARES, rollupSharesSegments)],
  [JOURNEYS, journeysOf(rollupJourneysSegments, true)],
  [PATHS, pathsOf(rollupPathsSegments, true)],
  [FRICTION, bySegment(FRICTION, rollupFrictionSegments)],
  [FAQ_ARTICLES, bySegment(FAQ_ARTICLES, rollupFaqSegments)],
  [FAQ_SEARCHES, bySegment(FAQ_SEARCHES, rollupSearchesSegments)],
]);

/** A grouping's segment rollup, if it has one. */
const twinOf = (g: Grouping): Rollup[] => {
  const twin = SEGMENT_GROUPINGS.get(g);
  return twin ? [{ table: twin.table, rebuild: rebuildOf(twin, true) }] : [];
};
/** A grouping's rollup, then its segment rollup (from the same day's rows it reads). */
const rollupsOf = (g: Grouping): Rollup[] => [{ table: g.table, rebuild: rebuildOf(g) }, ...twinOf(g)];

/** In rebuild order: later statements may read what earlier ones wrote (journeys → paths). */
export const ROLLUPS: Rollup[] = [
  {
    // The overview's figures, and session outcomes (DEFINITIONS: self-service, escalation, frustration, loops).
    table: rollupDays,
    countsOnly: true,
    rebuild: (p) =>
      onDay(
        p,
        insertSelect(
          rollupDays,
          {
            ...siteDay(p),
            visitors: sql`count(distinct ${EN.visitorId})`,
            sessions: sql`count(*)`,
            engagedSessions: sql`count(*) filter (where is_engaged)`,
            returningSessions: sql`count(*) filter (where ${EN.isReturning})`,
            pageviews: sql`coalesce(sum(${EN.pageviews}), 0)`,
            engagedMs: sql`coalesce(sum(${EN.engagedMs}), 0)`,
            ...SESSION_OUTCOMES,
            botHits: sql`coalesce((select ${botHits.hits} from ${botHits} where ${botHits.siteId} = ${p.siteId} and ${botHits.day} = ${p.day}::date), 0)`,
          },
          sql`from engaged`,
        ),
      ),
  },
  {
    // The session outcomes by segment: usability and FAQ with one filter.
    table: rollupOutcomeSegments,
    rebuild: (p) =>
      onDay(
        p,
        insertSelect(
          rollupOutcomeSegments,
          { ...siteDay(p), ...SEGMENT_OF_ROW, ...SESSION_OUTCOMES },
          sql`from engaged ${segmentsOf('engaged')} group by segments.segment, segments.value`,
        ),
      ),
  },
  {
    // Per visitor and day: the visitors report, the engagement score and distinct counts.
    table: rollupVisitorDays,
    visitor: rollupVisitorDays.visitorId,
    customer: rollupVisitorDays.customerId,
    rebuild: (p) =>
      onDayWith(
        p,
        sql`visitor_sessions as (
          select ${EN.visitorId}, count(*) as sessions, count(*) filter (where ${EN.isReturning}) as returning_sessions,
            (array_agg(${EN.channel} order by ${EN.startedAt}))[1] as first_channel,
            (array_agg(${EN.source} order by ${EN.startedAt}))[1] as first_source
          from engaged group by ${EN.visitorId}),
        visitor_events as (
          select ${DE.visitorId}, min(${DE.ts}) as first_seen, max(${DE.ts}) as last_seen,
            count(*) filter (where ${DE.type} = 'pageview') as pageviews,
            coalesce(sum((${DE.data}->>'engaged')::bigint) filter (where ${DE.type} = 'pageleave'), 0) as engaged_ms,
            -- custom events that are not goals: a goal counts once, as a conversion
            count(*) filter (where ${DE.type} = 'custom' and not ${isGoal(sql`${DE.data}->>'name'`)}) as custom_events,
            count(*) filter (where ${DE.type} = 'faq' and ${DE.data}->>'action' = 'view') as faq_views,
            count(*) filter (where ${DE.type} = 'faq' and ${DE.data}->>'action' = 'vote') as faq_votes,
            count(*) filter (where ${DE.type} = 'faq' and ${DE.data}->>'action' = 'search') as searches,
            ${NPS_ANSWERS.npsAnswers} as nps_answers, ${NPS_ANSWERS.npsLast} as nps_last, ${NPS_ANSWERS.npsLastAt} as nps_last_at,
            count(*) filter (where ${DE.type} = 'share') as shares,
            count(*) filter (where ${DE.type} = 'friction') as friction,
            count(*) filter (where (${DE.type} = 'custom' and ${isGoal(sql`${DE.data}->>'name'`)})
                                or (${DE.type} = 'pageview' and ${isGoal(sql`${DE.path}`)})) as goal_conversions
          from day_events group by ${DE.visitorId})`,
        insertSelect(
          rollupVisitorDays,
          {
            ...siteDay(p),
            visitorId: sql`e.visitor_id`,
            customerId: sql`${visitors.customerId}`,
            firstSeen: sql`e.first_seen`,
            lastSeen: sql`e.last_seen`,
            sessions: sql`coalesce(s.sessions, 0)`,
            returningSessions: sql`coalesce(s.returning_sessions, 0)`,
            pageviews: sql`e.pageviews`,
            engagedMs: sql`e.engaged_ms`,
            customEvents: sql`e.custom_events`,
            goalConversions: sql`e.goal_conversions`,
            faqViews: sql`e.faq_views`,
            faqVotes: sql`e.faq_votes`,
            searches: sql`e.searches`,
            npsAnswers: sql`e.nps_answers`,
            npsLast: sql`e.nps_last`,
            npsLastAt: sql`e.nps_last_at`,
            shares: sql`e.shares`,
            friction: sql`e.friction`,
            firstChannel: sql`coalesce(s.first_channel, 'Direct')`,
            firstSource: sql`coalesce(s.first_source, '')`,
          },
          sql`from visitor_events e left join visitor_sessions s on s.visitor_id = e.visitor_id
            left join ${visitors} on ${visitors.siteId} = ${p.siteId} and ${visitors.id} = e.visitor_id`,
        ),
      ),
  },
  {
    // Pages: views, visitors and engaged time from the day's events (404s: FRICTION's not_found); entries and exits from its sessions.
    table: rollupPages,
    rebuild: (p) =>
      onDayWith(
        p,
        sql`views as (
          select ${DE.path} as path, device, count(*) filter (where ${DE.type} = 'pageview') as pageviews,
            count(distinct ${DE.visitorId}) filter (where ${DE.type} = 'pageview') as visitors,
            coalesce(sum((${DE.data}->>'engaged')::bigint) filter (where ${DE.type} = 'pageleave'), 0) as engaged_ms
          from day_events where ${DE.type} in ('pageview', 'pageleave') group by ${DE.path}, device),
        entries as (select ${DS.landingPath} as path, ${DS.device} as device, count(*) as n from day_sessions
          where ${DS.landingPath} <> '' group by 1, 2),
        exits as (select ${DS.exitPath} as path, ${DS.device} as device, count(*) as n from day_sessions
          where ${DS.exitPath} <> '' group by 1, 2),
        keys as (select path, device from views union select path, device from entries union select path, device from exits)`,
        insertSelect(
          rollupPages,
          {
            ...siteDay(p),
            path: sql`k.path`,
            device: sql`k.device`,
            pageviews: sql`coalesce(v.pageviews, 0)`,
            visitors: sql`coalesce(v.visitors, 0)`,
            entries: sql`coalesce(en.n, 0)`,
            exits: sql`coalesce(ex.n, 0)`,
            engagedMs: sql`coalesce(v.engaged_ms, 0)`,
          },
          sql`from keys k left join views v using (path, device) left join entries en using (path, device)
            left join exits ex using (path, device)`,
        ),
      ),
  },
  ...twinOf(PAGE_VIEWS),
  ...[SOURCES, CAMPAIGNS, SEARCH_TERMS, VITALS, FRICTION, FAQ_ARTICLES, FAQ_SEARCHES, SHARES].flatMap(rollupsOf),
  { table: rollupGoals, visitor: rollupGoals.visitorId, rebuild: rebuildOf(GOALS) },
  {
    // Custom events by name and visitor, every name: the events report (no goal declaration needed).
    table: rollupEvents,
    visitor: rollupEvents.visitorId,
    rebuild: (p) =>
      onDay(
        p,
        insertSelect(
          rollupEvents,
          { ...siteDay(p), name: sql`${DE.data}->>'name'`, visitorId: sql`${DE.visitorId}`, events: sql`count(*)` },
          sql`from day_events where ${DE.type} = 'custom' and ${DE.data}->>'name' is not null group by ${DE.data}->>'name', ${DE.visitorId}`,
        ),
      ),
  },
  {
    // Custom events by name, prop, value (as text: a number or boolean as JSON writes it) and visitor:
    // the events report's breakdowns. Values are free text: retention deletes them with the raw events.
    table: rollupEventProps,
    visitor: rollupEventProps.visitorId,
    rebuild: (p) =>
      onDay(
        p,
        insertSelect(
          rollupEventProps,
          {
            ...siteDay(p),
            name: sql`${DE.data}->>'name'`,
            prop: sql`kv.key`,
            value: sql`kv.value`,
            visitorId: sql`${DE.visitorId}`,
            events: sql`count(*)`,
          },
          sql`from day_events cross join lateral jsonb_each_text(${DE.data}->'props') kv
            where ${DE.type} = 'custom' and ${DE.data}->>'name' is not null and jsonb_typeof(${DE.data}->'props') = 'object'
              and kv.value is not null
            group by ${DE.data}->>'name', kv.key, kv.value, ${DE.visitorId}`,
        ),
      ),
  },
  {
    // Journeys: page paths in order, a page repeated in a row counted once, goal events as `event:Name`;
    // with the session's facts (./day.ts SESSION_FACTS, as `engaged` has them), which filtered reports
    // count outcomes from.
    table: sessionJourneys,
    rebuild: (p) =>
      onDayWith(
        p,
        sql`steps as (
          select ${SE.sessionId} as session_id, ${SE.ts} as ts,
            case when ${SE.type} = 'pageview' then ${SE.path} else 'event:' || (${SE.data}->>'name') end as step
          from session_events
          where ${SE.type} = 'pageview' or (${SE.type} = 'custom' and ${isGoal(sql`${SE.data}->>'name'`)})),
        collapsed as (
          select session_id, ts, step, lag(step) over (partition by session_id order by ts) as previous from steps)`,
        insertSelect(
          sessionJourneys,
          {
            sessionId: sql`session_id`,
            ...siteDay(p),
            steps: sql`(array_agg(step order by ts))[1:${sql.raw(String(JOURNEY_STEPS))}]`,
            // one facts row per session: each aggregate below is that row's value
            firstFaq: sql`min(f.first_faq)`,
            lastSupport: sql`min(f.last_support)`,
            friction: sql`min(f.friction)`,
            looped: sql`bool_or(f.looped)`,
          },
          sql`from collapsed join engaged f on f.id = collapsed.session_id where previous is distinct from step group by session_id`,
        ),
      ),
  },
  ...[JOURNEYS, PATHS].flatMap(rollupsOf),
];

/**
 * Each rollup a report with one filter reads, and its rows per segment (reports/filters.ts).
 * `rollup_pages`' are its page views only ({@link PAGE_VIEWS}).
 */
export const SEGMENT_ROLLUPS = new Map<PgTable, PgTable>([
  [rollupDays, rollupOutcomeSegments],
  ...[...SEGMENT_GROUPINGS].map(([of, twin]) => [of.table, twin.table] as const),
]);

/**
 * Rows per visitor, whichever job keeps them: the day rollups keyed by visitor and `visitor_windows`
 * (./visitor-windows.ts). Erasure deletes a person's rows from each.
 */
export const PER_VISITOR: { table: PgTable & { siteId: AnyPgColumn }; visitor: AnyPgColumn; customer?: AnyPgColumn }[] = [
  ...ROLLUPS.flatMap((r) => (r.visitor ? [{ table: r.table, visitor: r.visitor, customer: r.customer }] : [])),
  { table: visitorWindows, visitor: visitorWindows.visitorId, customer: visitorWindows.customerId },
];

/**
 * Rows that go at a site's retention boundary with its raw events (./retention.ts): every rollup but
 * those of counts only, the weekly Web Vitals (by the week's Monday) and the visitor windows.
 */
export const FORGOTTEN_AT_RETENTION: { table: PgTable & { siteId: AnyPgColumn }; day: AnyPgColumn }[] = [
  ...ROLLUPS.flatMap((r) => (r.countsOnly ? [] : [{ table: r.table, day: r.table.day }])),
  { table: rollupVitalsWeeks, day: rollupVitalsWeeks.week },
  { table: visitorWindows, day: visitorWindows.asOf },
];

/** Every table derived from the raw events: the day rollups, the weekly Web Vitals (./rollups.ts) and the visitor windows. */
export const DERIVED_TABLES: PgTable[] = [...ROLLUPS.map((r) => r.table), rollupVitalsWeeks, visitorWindows];
