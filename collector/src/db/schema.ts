/**
 * The one place Kizuna's tables are declared. Migrations in `collector/drizzle/` are generated from
 * this file by `pnpm --filter @kizuna/collector db:generate` (numbered, additive) and applied at
 * start-up; `db/schema.test.ts` checks that the migrations build exactly these tables.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  type PgColumnBuilderBase,
} from 'drizzle-orm/pg-core';

/** What a site may set (sites/). */
export interface SiteSettings {
  /** custom event names, or page paths (starting with `/`), that count as goal conversions */
  goals?: string[];
  /** events requests the site may receive from all its visitors together (default: the collector's) */
  rateLimit?: { perSecond: number; burst: number };
  /** accept events requests without an Origin header (sent by a server, not a browser); off by default */
  acceptServerSide?: boolean;
}

/** The longest search term a session keeps (the classifier's bound: enrich/acquisition/text.ts). */
export const MAX_SEARCH_TERM = 100;

const bytea = customType<{ data: Uint8Array }>({ dataType: () => 'bytea' });
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A site registered in the collector: its id is the `data-site` of the script tag. */
export const sites = pgTable('sites', {
  id: text('id').primaryKey(),
  /** origins allowed to send events (CORS), e.g. https://example.com */
  origins: text('origins').array().notNull().default(sql`'{}'::text[]`),
  timezone: text('timezone').notNull().default('UTC'),
  /** days raw events are kept; aggregates are kept for ever */
  retentionDays: integer('retention_days').notNull().default(400),
  /** thresholds and goals a site may change (DEFINITIONS); read through sites/ */
  settings: jsonb('settings').$type<SiteSettings>().notNull().default(sql`'{}'::jsonb`),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Report API tokens: only a SHA-256 of the token is kept (its first 12 hex digits name it: sites/tokens.ts). */
export const tokens = pgTable('tokens', {
  hash: text('hash').primaryKey(),
  siteId: text('site_id').notNull().references(() => sites.id, { onDelete: 'cascade' }),
  /** who or what uses it, as the operator wrote it (`token list`) */
  label: text('label').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** refused from this instant; null: never expires */
  expiresAt: ts('expires_at'),
  /** the last report request it authenticated, to the minute (auth records it at most once a minute) */
  lastUsedAt: ts('last_used_at'),
});

/** Every event id ever stored (while it may still arrive): the idempotency key of ingest. */
export const eventIds = pgTable('event_ids', {
  id: uuid('id').primaryKey(),
  ts: ts('ts').notNull(),
});

/** Raw events, as validated and enriched at ingest; partitioned by month (migration 0001, aggregate/retention.ts). */
export const events = pgTable(
  'events',
  {
    id: uuid('id').notNull(),
    siteId: text('site_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    type: text('type').notNull(),
    ts: ts('ts').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    url: text('url').notNull(),
    /** url path with the query string dropped and ids folded (DEFINITIONS: page grouping) */
    path: text('path').notNull(),
    referrer: text('referrer'),
    title: text('title'),
    /** the event type's `data`, as the wire protocol validated it */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index('events_site_ts').on(t.siteId, t.ts),
    index('events_session').on(t.sessionId),
    index('events_visitor').on(t.siteId, t.visitorId, t.ts),
    // the NPS answers and the custom events of a site's period, a few rows among millions: what a
    // filtered overview and events report read (reports/filters.ts; bench/reports.ts at 1M events:
    // 1.3 s → 0.29 s and 1.1 s → 0.19 s p50), partial so that no other event pays for them
    index('events_nps').on(t.siteId, t.ts).where(sql`${t.type} = 'nps'`),
    index('events_custom').on(t.siteId, t.ts).where(sql`${t.type} = 'custom'`),
    // the share clicks of a period: a filtered acquisition report's shares (reports/filters.ts
    // `day_events`) read these instead of every event of the kept sessions (bench/README.md)
    index('events_share').on(t.siteId, t.ts).where(sql`${t.type} = 'share'`),
  ],
);

/** Sessions, computed by the collector at ingest (30-minute and campaign-change rules). */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    siteId: text('site_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at').notNull(),
    landingUrl: text('landing_url').notNull(),
    landingPath: text('landing_path').notNull(),
    exitPath: text('exit_path').notNull(),
    referrer: text('referrer'),
    /** utm_source|utm_medium|utm_campaign of the landing, '' if none: a change starts a new session */
    campaignKey: text('campaign_key').notNull().default(''),
    pageviews: integer('pageviews').notNull().default(0),
    events: integer('events').notNull().default(0),
    engagedMs: bigint('engaged_ms', { mode: 'number' }).notNull().default(0),
    isReturning: boolean('is_returning').notNull().default(false),
    // Acquisition of the landing (DEFINITIONS: Acquisition and SNS), set when the session starts.
    source: text('source').notNull().default(''),
    medium: text('medium').notNull().default(''),
    campaign: text('campaign').notNull().default(''),
    channel: text('channel').notNull().default('Direct'),
    network: text('network'),
    inApp: boolean('in_app').notNull().default(false),
    campaignId: text('campaign_id').notNull().default(''),
    term: text('term').notNull().default(''),
    content: text('content').notNull().default(''),
    /** search, social, video, shopping, ai or email; null when no list knows the source */
    sourceCategory: text('source_category'),
    searchEngine: text('search_engine'),
    aiAssistant: text('ai_assistant'),
    /**
     * the terms a search engine's referrer carried ('' when none): typed by the visitor, so free
     * text, cleared with the raw events at the site's retention (aggregate/retention.ts)
     */
    searchTerm: text('search_term').notNull().default(''),
    /**
     * the in-app browser the landing was seen in (its network: `line`, `instagram` …), null in a
     * plain browser: what `kizuna reclassify` needs besides the landing URL and referrer. The user
     * agent itself is never stored (DEFINITIONS: privacy); null too for sessions classified before
     * migration 0006, whose in-app result reclassification then keeps
     */
    inAppNetwork: text('in_app_network'),
    /** `ACQUISITION_RULES_VERSION` of the rules that classified the landing; '' before migration 0004 */
    rulesVersion: text('rules_version').notNull().default(''),
    // Client, from the user agent and the first page view's viewport; country from the IP (never stored).
    device: text('device').notNull().default('desktop'),
    browser: text('browser').notNull().default(''),
    os: text('os').notNull().default(''),
    country: text('country'),
  },
  (t) => [
    index('sessions_site_started').on(t.siteId, t.startedAt),
    index('sessions_visitor').on(t.siteId, t.visitorId, t.startedAt),
    // what a browser sends is bounded before it is stored (enrich/acquisition); these say so to every writer
    check('sessions_search_term_length', sql`char_length(${t.searchTerm}) <= ${sql.raw(String(MAX_SEARCH_TERM))}`),
  ],
);

/** Visitors with first / last seen; `identify` ties them to a customer id. */
export const visitors = pgTable(
  'visitors',
  {
    siteId: text('site_id').notNull(),
    id: text('id').notNull(),
    firstSeen: ts('first_seen').notNull(),
    lastSeen: ts('last_seen').notNull(),
    customerId: text('customer_id'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] }), index('visitors_customer').on(t.siteId, t.customerId)],
);

/** Daily salts of cookieless visitor hashes; yesterday's is deleted at 00:00 UTC (aggregate/maintenance.ts). */
export const salts = pgTable('salts', {
  day: text('day').primaryKey(),
  salt: bytea('salt').notNull(),
});

/** Bot and crawler hits per site and day: counted, never stored as visitors. */
export const botHits = pgTable(
  'bot_hits',
  {
    siteId: text('site_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day] })],
);

/**
 * Site-days whose rollups must be recomputed, as marks: every transaction that changes a day's raw
 * rows (an ingest flush, a goal change, an erasure) adds one mark per site and day, and the rollup
 * job (safe to re-run) recomputes each marked day from its raw events and sessions, then deletes the
 * marks it read — not those added since, whose rows it may not have seen. Marks are only ever
 * inserted: concurrent writers never wait for one another here (an upserted row per site-day made
 * every ingest transaction of a site wait for the previous one's commit).
 */
export const rollupQueue = pgTable(
  'rollup_queue',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    siteId: text('site_id').notNull(),
    /** local date in the site's time zone */
    day: date('day', { mode: 'string' }).notNull(),
    dirtiedAt: ts('dirtied_at').notNull().defaultNow(),
  },
  (t) => [index('rollup_queue_site_day').on(t.siteId, t.day)],
);

// ---------------------------------------------------------------------------------------------
// Rollups: one row per site, local day (site time zone) and key, recomputed whole for a dirty
// site-day by the rollup job (aggregate/rollups.ts), each from its statement in the rollup registry
// (aggregate/registry.ts). Reports read these, never the raw events, for their ranges. Sessions
// belong to the day they started on.
// ---------------------------------------------------------------------------------------------
const day = () => date('day', { mode: 'string' }).notNull();
const count = (name: string) => integer(name).notNull().default(0);
const ms = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

/** Session outcomes (DEFINITIONS), counted per day of the sessions' start. */
const sessionOutcomes = () => ({
  /** sessions with ≥ 1 FAQ view */
  faqSessions: count('faq_sessions'),
  /** FAQ sessions with no support contact after the first FAQ view */
  selfServedSessions: count('self_served_sessions'),
  /** sessions with a FAQ view followed by a support contact */
  escalations: count('escalations'),
  /** sessions with a support contact */
  supportSessions: count('support_sessions'),
  /** sessions with ≥ 3 friction events */
  frustratedSessions: count('frustrated_sessions'),
  /** sessions that viewed one page ≥ 3 times */
  loopSessions: count('loop_sessions'),
});

/** Per site and day: the overview's figures and the session-level FAQ / friction outcomes. */
export const rollupDays = pgTable(
  'rollup_days',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    visitors: count('visitors'),
    sessions: count('sessions'),
    engagedSessions: count('engaged_sessions'),
    returningSessions: count('returning_sessions'),
    pageviews: count('pageviews'),
    engagedMs: ms('engaged_ms'),
    ...sessionOutcomes(),
    botHits: count('bot_hits'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day] })],
);

/**
 * The key of a rollup's rows per session segment: a report filter (CONTRACT §4) and the value a
 * session has of it (aggregate/day.ts SEGMENTS). A report with one filter reads these rows
 * (reports/filters.ts) instead of regrouping the sessions the filter keeps. A session without the
 * value (no network) has no row for that filter.
 */
const segmentKey = () => ({ segment: text('segment').notNull(), value: text('value').notNull() });
/**
 * More of the key for rows of events: a filter keeps the sessions that started in the range, so an
 * event's row is also keyed by the local day its session started on (a session that runs past midnight).
 */
const eventSegmentKey = () => ({ sessionDay: date('session_day', { mode: 'string' }).notNull() });
/**
 * A segment rollup: `columns` per site, day and segment ({@link segmentKey}, or {@link eventSegmentKey}
 * for `columns` that start with it), indexed by segment (what a report reads: one segment's days) and
 * by site-day (what the rollup job deletes and rewrites). Rows are unique by construction (the rollup
 * groups by their key); no primary key, for the reason given at {@link rollupCampaigns}: a landing page
 * as the value beside a page and a selector of up to 512 characters each (1.5 kB of UTF-8) comes within
 * a few dozen bytes of the 2.7 kB a btree entry holds, and an entry too large would fail its day.
 */
const segmentRollup = <N extends string, C extends Record<string, PgColumnBuilderBase>>(name: N, columns: C) =>
  pgTable(name, { siteId: text('site_id').notNull(), day: day(), ...segmentKey(), ...columns }, (t) => [
    index(`${name}_segment`).on(t.siteId, t.segment, t.value, t.day),
    index(`${name}_site_day`).on(t.siteId, t.day),
  ]);

/** {@link rollupDays}' session outcomes per segment ({@link segmentKey}): usability and FAQ with one filter. */
export const rollupOutcomeSegments = segmentRollup('rollup_outcome_segments', sessionOutcomes());

/** Per site, day and visitor: what the visitors report, the score and distinct counts read. */
export const rollupVisitorDays = pgTable(
  'rollup_visitor_days',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    visitorId: text('visitor_id').notNull(),
    customerId: text('customer_id'),
    firstSeen: ts('first_seen').notNull(),
    lastSeen: ts('last_seen').notNull(),
    sessions: count('sessions'),
    returningSessions: count('returning_sessions'),
    pageviews: count('pageviews'),
    engagedMs: ms('engaged_ms'),
    /** custom events other than goals */
    customEvents: count('custom_events'),
    goalConversions: count('goal_conversions'),
    faqViews: count('faq_views'),
    faqVotes: count('faq_votes'),
    searches: count('searches'),
    npsAnswers: count('nps_answers'),
    /** the visitor's latest NPS score that day, and when it was given */
    npsLast: integer('nps_last'),
    npsLastAt: ts('nps_last_at'),
    shares: count('shares'),
    friction: count('friction'),
    /** channel and source of the visitor's first session that day */
    firstChannel: text('first_channel').notNull().default('Direct'),
    firstSource: text('first_source').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.visitorId] }), // returning_sessions last: the overview's distinct counts read this index alone
    index('rollup_visitor_days_visitor').on(t.siteId, t.visitorId, t.day, t.returningSessions)],
);

/**
 * Per site and visitor: the 30-day window of `rollup_visitor_days` up to `as_of` (the site's local
 * today when the rollup job ran), summed and scored by the score's SQL (aggregate/score.ts), kept by
 * aggregate/visitor-windows.ts. The visitors report reads it when its `to` is `as_of`; other dates
 * group the rollups with the same SQL.
 */
export const visitorWindows = pgTable(
  'visitor_windows',
  {
    siteId: text('site_id').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    visitorId: text('visitor_id').notNull(),
    customerId: text('customer_id'),
    firstSeen: ts('first_seen').notNull(),
    lastSeen: ts('last_seen').notNull(),
    sessions: ms('sessions'),
    /** sessions that were not the visitor's first (the overview's returning visitors) */
    returningSessions: ms('returning_sessions'),
    pageviews: ms('pageviews'),
    engagedMs: ms('engaged_ms'),
    customEvents: ms('custom_events'),
    goalConversions: ms('goal_conversions'),
    faqVotes: ms('faq_votes'),
    npsAnswers: ms('nps_answers'),
    searches: ms('searches'),
    shares: ms('shares'),
    faqViews: ms('faq_views'),
    friction: ms('friction'),
    latestNps: integer('latest_nps'),
    firstChannel: text('first_channel'),
    firstSource: text('first_source'),
    daysSince: doublePrecision('days_since').notNull(),
    recency: doublePrecision('recency').notNull(),
    frequency: doublePrecision('frequency').notNull(),
    depth: doublePrecision('depth').notNull(),
    interaction: doublePrecision('interaction').notNull(),
    advocacy: doublePrecision('advocacy').notNull(),
    total: doublePrecision('total').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.asOf, t.visitorId] }),
    index('visitor_windows_total').on(t.siteId, t.asOf, t.total.desc(), t.visitorId),
    index('visitor_windows_last_seen').on(t.siteId, t.asOf, t.lastSeen.desc(), t.visitorId),
  ],
);

/** Per site, day, page path and device class. */
export const rollupPages = pgTable(
  'rollup_pages',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    path: text('path').notNull(),
    device: text('device').notNull(),
    pageviews: count('pageviews'),
    visitors: count('visitors'),
    entries: count('entries'),
    exits: count('exits'),
    engagedMs: ms('engaged_ms'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.path, t.device] })],
);
/** The page views of {@link rollupPages} per segment ({@link eventSegmentKey}): the insights with one filter. */
export const rollupPageViewsSegments = segmentRollup('rollup_page_views_segments', {
  ...eventSegmentKey(),
  path: text('path').notNull(),
  device: text('device').notNull(),
  pageviews: count('pageviews'),
});

/** Sessions of a rollup row and their outcomes (DEFINITIONS: engaged session, goal): fresh builders per table. */
const sessionFigures = () => ({
  sessions: count('sessions'),
  /** distinct visitors of the row's day and key */
  visitors: count('visitors'),
  engagedSessions: count('engaged_sessions'),
  /** sessions with a goal conversion */
  convertedSessions: count('converted_sessions'),
});

/** A session's acquisition, the key of {@link rollupSources}: fresh builders per table. */
const acquisition = () => ({
  channel: text('channel').notNull(),
  source: text('source').notNull(),
  medium: text('medium').notNull(),
  campaign: text('campaign').notNull(),
  network: text('network').notNull().default(''),
  inApp: boolean('in_app').notNull(),
  searchEngine: text('search_engine').notNull().default(''),
  aiAssistant: text('ai_assistant').notNull().default(''),
  landingPath: text('landing_path').notNull(),
});

/**
 * Per site, day and acquisition (channel, source, medium, campaign, network, in-app, search engine,
 * AI assistant, landing page). Network, search engine and AI assistant are names from the
 * classification data ('' when none), never a browser's text.
 */
export const rollupSources = pgTable(
  'rollup_sources',
  { siteId: text('site_id').notNull(), day: day(), ...acquisition(), ...sessionFigures() },
  (t) => [
    primaryKey({
      columns: [t.siteId, t.day, t.channel, t.source, t.medium, t.campaign, t.network, t.inApp, t.searchEngine, t.aiAssistant, t.landingPath],
    }),
  ],
);
/** {@link rollupSources} per segment ({@link segmentKey}): acquisition with one filter. */
export const rollupSourcesSegments = segmentRollup('rollup_sources_segments', { ...acquisition(), ...sessionFigures() });

/** A campaign's UTM tags: fresh builders per table. */
const campaignTags = () => ({
  source: text('source').notNull(),
  medium: text('medium').notNull(),
  campaign: text('campaign').notNull(),
  campaignId: text('campaign_id').notNull(),
  term: text('term').notNull(),
  content: text('content').notNull(),
});

/**
 * Per site, day and UTM tags of the sessions that carry a utm_campaign: source, medium, campaign,
 * utm_id, utm_term, utm_content. Unique per key by construction (the rollup groups by it); no primary
 * key, for the reason given at {@link rollupPaths}: six tags of up to 100 characters each (up to 400
 * bytes in UTF-8) come near the 2.7 kB a btree entry holds, and a hostile landing would fail its day.
 */
export const rollupCampaigns = pgTable(
  'rollup_campaigns',
  { siteId: text('site_id').notNull(), day: day(), ...campaignTags(), ...sessionFigures() },
  (t) => [index('rollup_campaigns_site_day').on(t.siteId, t.day)],
);
/** {@link rollupCampaigns} per segment ({@link segmentKey}). */
export const rollupCampaignsSegments = segmentRollup('rollup_campaigns_segments', { ...campaignTags(), ...sessionFigures() });

/** A search engine and the terms its referrer carried: fresh builders per table. */
const searchTerms = () => ({ searchEngine: text('search_engine').notNull(), term: text('term').notNull() });

/**
 * Per site, day, search engine and the search terms its referrer carried. The terms are what
 * visitors typed: rows are deleted with the raw events at the site's retention (aggregate/retention.ts).
 */
export const rollupSearchTerms = pgTable(
  'rollup_search_terms',
  { siteId: text('site_id').notNull(), day: day(), ...searchTerms(), ...sessionFigures() },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.searchEngine, t.term] })],
);
/** {@link rollupSearchTerms} per segment ({@link segmentKey}). */
export const rollupSearchTermsSegments = segmentRollup('rollup_search_terms_segments', { ...searchTerms(), ...sessionFigures() });

/** A Web Vitals series (page, device, metric), its counts by rating and its histogram: fresh builders per table. */
const vitalsSeries = () => ({
  path: text('path').notNull(),
  device: text('device').notNull(),
  metric: text('metric').notNull(),
  samples: count('samples'),
  good: count('good'),
  needsImprovement: count('needs_improvement'),
  poor: count('poor'),
  buckets: integer('buckets').array().notNull(),
  counts: integer('counts').array().notNull(),
});

/**
 * Web Vitals samples per site, day, page, device and metric, with their counts by rating and their
 * histogram as two parallel arrays: `buckets` (ascending) and `counts` (samples in each). A bucket is
 * floor(ln(1 + value × scale) × 40) (2.5 % wide), so p75 over any range is read within 2.5 %.
 * scale is 1 for ms metrics and 1000 for CLS.
 */
export const rollupVitals = pgTable(
  'rollup_vitals',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    ...vitalsSeries(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.path, t.device, t.metric] })],
);

/** {@link rollupVitals} per segment ({@link eventSegmentKey}). */
export const rollupVitalsSegments = segmentRollup('rollup_vitals_segments', { ...eventSegmentKey(), ...vitalsSeries() });

/**
 * `rollup_vitals` merged per week, Monday to Sunday (local days): a 30-day range reads its four full
 * weeks here and only the days around them from `rollup_vitals`, a third of the histogram pairs
 * (bench/README.md, finding 10). Rebuilt by the rollup job with each of its days.
 */
export const rollupVitalsWeeks = pgTable(
  'rollup_vitals_weeks',
  {
    siteId: text('site_id').notNull(),
    /** the week's Monday */
    week: date('week', { mode: 'string' }).notNull(),
    ...vitalsSeries(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.week, t.path, t.device, t.metric] })],
);

/** Friction per site, day, page, kind and element selector (the hot spots). */
const frictionSpots = () => ({
  path: text('path').notNull(),
  kind: text('kind').notNull(),
  selector: text('selector').notNull(),
  events: count('events'),
  /** sum of the events' counts (clicks in rage bursts, direction changes …) */
  total: count('total'),
  sessions: count('sessions'),
});
export const rollupFriction = pgTable(
  'rollup_friction',
  { siteId: text('site_id').notNull(), day: day(), ...frictionSpots() },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.path, t.kind, t.selector] })],
);
/** {@link rollupFriction} per segment ({@link eventSegmentKey}). */
export const rollupFrictionSegments = segmentRollup('rollup_friction_segments', { ...eventSegmentKey(), ...frictionSpots() });

/** FAQ articles per site and day: views and votes. */
const faqArticles = () => ({
  article: text('article').notNull(),
  title: text('title'),
  views: count('views'),
  helpful: count('helpful'),
  notHelpful: count('not_helpful'),
});
export const rollupFaq = pgTable(
  'rollup_faq',
  { siteId: text('site_id').notNull(), day: day(), ...faqArticles() },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.article] })],
);
/** {@link rollupFaq} per segment ({@link eventSegmentKey}). */
export const rollupFaqSegments = segmentRollup('rollup_faq_segments', { ...eventSegmentKey(), ...faqArticles() });

/** FAQ searches per site, day and normalized query. */
const faqSearches = () => ({ query: text('query').notNull(), searches: count('searches'), zeroResults: count('zero_results') });
export const rollupSearches = pgTable(
  'rollup_searches',
  { siteId: text('site_id').notNull(), day: day(), ...faqSearches() },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.query] })],
);
/** {@link rollupSearches} per segment ({@link eventSegmentKey}). */
export const rollupSearchesSegments = segmentRollup('rollup_searches_segments', { ...eventSegmentKey(), ...faqSearches() });

/** Share clicks by network: fresh builders per table. */
const sharesByNetwork = () => ({ network: text('network').notNull(), shares: count('shares') });
/** Share clicks per site, day and network. */
export const rollupShares = pgTable(
  'rollup_shares',
  { siteId: text('site_id').notNull(), day: day(), ...sharesByNetwork() },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.network] })],
);
/** {@link rollupShares} per segment ({@link eventSegmentKey}). */
export const rollupSharesSegments = segmentRollup('rollup_shares_segments', { ...eventSegmentKey(), ...sharesByNetwork() });

/** Goal conversions per site, day, goal, converting visitor and the source of the session. */
export const rollupGoals = pgTable(
  'rollup_goals',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    goal: text('goal').notNull(),
    visitorId: text('visitor_id').notNull(),
    channel: text('channel').notNull(),
    source: text('source').notNull(),
    conversions: count('conversions'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.goal, t.visitorId, t.channel, t.source] })],
);

/**
 * Custom events per site, day, event name and visitor, every name (no goal declaration needed): the
 * events report's counts, and its visitors distinct over any range.
 */
export const rollupEvents = pgTable(
  'rollup_events',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    name: text('name').notNull(),
    visitorId: text('visitor_id').notNull(),
    events: count('events'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.name, t.visitorId] })],
);

/** Custom events per site, day, event name, prop, its value (as text) and visitor: the events report's breakdowns. */
export const rollupEventProps = pgTable(
  'rollup_event_props',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    name: text('name').notNull(),
    prop: text('prop').notNull(),
    value: text('value').notNull(),
    visitorId: text('visitor_id').notNull(),
    events: count('events'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.name, t.prop, t.value, t.visitorId] })],
);

/** The steps a session's journey keeps: its first 50. */
export const JOURNEY_STEPS = 50;

/**
 * Each session's journey: its page paths in order (repeats of the same page in a row collapsed)
 * with its goal events as `event:Name`, at most {@link JOURNEY_STEPS} steps. Top paths, funnels and
 * filtered reports (whether a session converted) read these.
 *
 * And the session's facts (aggregate/day.ts SESSION_FACTS), from which a filtered report counts its
 * outcomes (FAQ, self-served, escalated, support, frustrated and loop sessions) without reading the
 * sessions' events again. `friction` is null on a row written before these columns existed (until
 * the rollup job rewrites its day): its facts are then read from the events.
 */
export const sessionJourneys = pgTable(
  'session_journeys',
  {
    sessionId: uuid('session_id').primaryKey(),
    siteId: text('site_id').notNull(),
    day: day(),
    steps: text('steps').array().notNull(),
    /** the session's first FAQ view */
    firstFaq: ts('first_faq'),
    /** its last support contact */
    lastSupport: ts('last_support'),
    /** its friction events; null: the facts were not written */
    friction: integer('friction'),
    /** whether it viewed one page ≥ 3 times */
    looped: boolean('looped'),
  },
  (t) => [index('session_journeys_site_day').on(t.siteId, t.day)],
);

/**
 * Per site and day, the page-only path of each journey of `session_journeys` (goal `event:` steps
 * dropped, then a page repeated in a row once; empty paths left out) and how many sessions took it.
 * The journeys report's top paths read these. Rows are unique per (site_id, day, pages) by
 * construction (the rollup groups by them); there is no primary key on the arrays, because a btree
 * entry holds at most about 2.7 kB and a path of up to 50 pages of up to 512 characters would not
 * fit: one such session would fail its whole day's rollup.
 */
export const rollupPaths = pgTable(
  'rollup_paths',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    pages: text('pages').array().notNull(),
    sessions: count('sessions'),
  },
  (t) => [index('rollup_paths_site_day').on(t.siteId, t.day)],
);
/** {@link rollupPaths} per segment ({@link segmentKey}): journeys with one filter. */
export const rollupPathsSegments = segmentRollup('rollup_paths_segments', { pages: text('pages').array().notNull(), sessions: count('sessions') });

/**
 * Per site and day, the distinct journeys of `session_journeys` and how many sessions took each
 * (funnels read these). Unique per (site_id, day, steps) by construction; no primary key on the
 * arrays, for the reason given at {@link rollupPaths}.
 */
export const rollupJourneys = pgTable(
  'rollup_journeys',
  {
    siteId: text('site_id').notNull(),
    day: day(),
    steps: text('steps').array().notNull(),
    sessions: count('sessions'),
  },
  (t) => [index('rollup_journeys_site_day').on(t.siteId, t.day)],
);
/** {@link rollupJourneys} per segment ({@link segmentKey}). */
export const rollupJourneysSegments = segmentRollup('rollup_journeys_segments', { steps: text('steps').array().notNull(), sessions: count('sessions') });

/**
 * Dashboard sessions (sites/dashboard-sessions.ts): a browser signed in with a report token. Only a
 * SHA-256 of the cookie is kept; the row goes with its token (revoked: cascade; expired: refused).
 */
export const dashboardSessions = pgTable(
  'dashboard_sessions',
  {
    hash: text('hash').primaryKey(),
    tokenHash: text('token_hash')
      .notNull()
      .references(() => tokens.hash, { onDelete: 'cascade' }),
    /** the session's CSRF token, sent back in a hidden field of every form */
    csrf: text('csrf').notNull(),
    createdAt: ts('created_at').notNull(),
    /** the last request, to the minute: the idle expiry counts from it */
    seenAt: ts('seen_at').notNull(),
  },
  (t) => [index('dashboard_sessions_token').on(t.tokenHash)],
);

/** One-time dashboard sign-in links (the CLI prints them): only a SHA-256 of the link's secret is kept. */
export const dashboardLinks = pgTable('dashboard_links', {
  hash: text('hash').primaryKey(),
  tokenHash: text('token_hash')
    .notNull()
    .references(() => tokens.hash, { onDelete: 'cascade' }),
  expiresAt: ts('expires_at').notNull(),
});
