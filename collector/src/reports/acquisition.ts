/**
 * `reports/acquisition` (CONTRACT §4): channels (GA4's default channel group, in GA4's order),
 * social networks (with their in-app share), search engines, search terms, AI assistants, source /
 * medium, UTM campaigns with all their tags, landing pages (all, and per channel) and shares by network.
 * Definitions: docs/DEFINITIONS.md, "Acquisition and SNS" (a session's source is its landing's),
 * "Engaged session" and "Goal". Reads the rollups only.
 *
 * `visitors` here are visitor-days: the acquisition rollups keep the distinct visitors of each day
 * and key (channel, source, medium, campaign, network, in-app, search engine, AI assistant, landing
 * page; a campaign's tags; a search term), and distinct counts do not add up. A visitor is counted
 * once per day and key, so one who came on two days, or through two landing pages of a channel on
 * one day, counts twice. No rollup keeps visitors per source over a range; the overview's
 * `visitors` is the distinct count.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { rollupCampaigns, rollupSearchTerms, rollupShares, rollupSources } from '../db/schema.ts';
import { CAMPAIGNS, SEARCH_TERMS, SHARES, SOURCES, type Grouping } from '../aggregate/registry.ts';
import { as, type Driver } from '../db/sql.ts';
import { CHANNELS } from '../lib/channels.ts';
import { total } from './figures.ts';
import { overKept, rollupsOrFiltered, type Filters } from './filters.ts';
import { inRange, round, type ReportRange } from './range.ts';
import { table } from './table.ts';

/** The search terms listed: the most frequent (they are free text, and most engines send none). */
export const MAX_SEARCH_TERMS = 100;

/** Sessions and their outcomes, shared by every acquisition table but sharesByNetwork. */
export interface SessionFigures {
  sessions: number;
  /** visitor-days (see the module comment), not distinct visitors */
  visitors: number;
  /** ≥ 10 s engaged, or ≥ 2 page views, or a goal conversion */
  engagedSessions: number;
  /** engaged sessions / sessions */
  engagedRate: number;
  /** sessions with ≥ 1 goal conversion */
  conversions: number;
}

/** The columns of {@link SessionFigures}, in their order. */
const FIGURES = ['sessions', 'visitors', 'engagedSessions', 'engagedRate', 'conversions'] as const;

export interface ChannelRow extends SessionFigures {
  /** GA4 default channel group, as classified (`Direct`, `Organic Search`, `Paid Social` …) */
  channel: string;
}

export interface NetworkRow extends SessionFigures {
  /** social or video network id (`x`, `instagram`, `line`, `youtube` …), organic and paid */
  network: string;
  /** sessions that landed inside the network's in-app browser */
  inAppSessions: number;
  /** in-app sessions / sessions */
  inAppShare: number;
}

export interface SearchEngineRow extends SessionFigures {
  /** the engine's canonical name (`google`, `yahoo.co.jp`, `bing` …), organic and paid */
  searchEngine: string;
}

export interface SearchTermRow extends SearchEngineRow {
  /** what the engine's referrer carried (trimmed, lower-cased, ≤ 100 characters) */
  term: string;
}

export interface AiAssistantRow extends SessionFigures {
  /** the assistant's canonical name (`chatgpt`, `claude`, `perplexity` …) */
  aiAssistant: string;
}

export interface SourceMediumRow extends SessionFigures {
  source: string;
  medium: string;
}

export interface CampaignRow extends SourceMediumRow {
  campaign: string;
  /** utm_id */
  campaignId: string;
  /** utm_term */
  term: string;
  /** utm_content */
  content: string;
}

export interface LandingPageRow extends SessionFigures {
  path: string;
}

export interface ChannelLandingPageRow extends LandingPageRow {
  channel: string;
}

export interface ShareRow {
  /** network of the share link, or `native` for `navigator.share` */
  network: string;
  shares: number;
}

/** The acquisition report (CONTRACT §4 `reports/acquisition`) over a range of days. */
export interface Acquisition {
  from: string;
  to: string;
  timezone: string;
  /** channels with ≥ 1 session, in GA4's order (DEFINITIONS: channels) */
  channels: ChannelRow[];
  /** social and video networks with ≥ 1 session, most sessions first */
  networks: NetworkRow[];
  /** search engines with ≥ 1 session, most sessions first */
  searchEngines: SearchEngineRow[];
  /** search terms with their engine, most sessions first, at most {@link MAX_SEARCH_TERMS} */
  searchTerms: SearchTermRow[];
  /** AI assistants with ≥ 1 session, most sessions first */
  aiAssistants: AiAssistantRow[];
  /** sessions by source and medium ('' and '' for Direct), most first */
  sourceMedium: SourceMediumRow[];
  /** sessions with a `utm_campaign`, by its tags, most sessions first */
  campaigns: CampaignRow[];
  /** sessions by their landing page, most first */
  landingPages: LandingPageRow[];
  /** sessions by channel (GA4's order) and landing page (most first) */
  channelLandingPages: ChannelLandingPageRow[];
  /** share clicks by network, most first (`shares` is the count in each row) */
  sharesByNetwork: ShareRow[];
}

const S = rollupSources;

type Table = typeof rollupSources | typeof rollupCampaigns | typeof rollupSearchTerms;

/** Sums of a session rollup (db/schema.ts `sessionFigures`) for one grouping. */
const figuresOf = (t: Table) => sql`${total(t.sessions)} as sessions, ${total(t.visitors)} as visitors,
  ${total(t.engagedSessions)} as engaged, ${total(t.convertedSessions)} as conversions`;
const FIGURE_ROW = { sessions: as.number, visitors: as.number, engaged: as.number, conversions: as.number };

type FigureRow = { sessions: number; visitors: number; engaged: number; conversions: number };

function figures(row: FigureRow): SessionFigures {
  return {
    sessions: row.sessions,
    visitors: row.visitors,
    engagedSessions: row.engaged,
    // every rollup row has ≥ 1 session, so a group never divides by 0
    engagedRate: round(row.engaged / row.sessions),
    conversions: row.conversions,
  };
}

/**
 * Sessions and their outcomes of a session rollup in the range, grouped by `keys` (result name →
 * column), most sessions first, then by the keys; with more conditions, columns and a limit. With
 * filters, over the filtered sessions (reports/filters.ts).
 */
function grouped<K extends string, M extends Record<string, (v: unknown) => unknown> = Record<never, never>>(
  rollup: Grouping<Table>,
  keys: Record<K, AnyPgColumn>,
  options: { where?: SQL; more?: { sql: SQL; shape: M }; limit?: number } = {},
) {
  const table = rollup.table;
  const columns = sql.join(
    Object.entries<AnyPgColumn>(keys).map(([key, column]) => sql`${column} as ${sql.identifier(key)}`),
    sql`, `,
  );
  const groups = sql.join(Object.values<AnyPgColumn>(keys), sql`, `);
  const shape = Object.fromEntries(Object.keys(keys).map((k) => [k, as.text])) as Record<K, (v: unknown) => string>;
  return rollupsOrFiltered(
    sql`select ${columns}, ${figuresOf(table)}${options.more ? sql`, ${options.more.sql}` : sql``} from ${table}
      where ${inRange(table)}${options.where ? sql` and ${options.where}` : sql``}
      group by ${groups} order by sessions desc, ${groups}${options.limit ? sql` limit ${sql.raw(String(options.limit))}` : sql``}`,
    { ...shape, ...FIGURE_ROW, ...(options.more?.shape ?? ({} as M)) },
    rollup,
  );
}

const CHANNELS_QUERY = grouped(SOURCES, { channel: S.channel });
const NETWORKS_QUERY = grouped(SOURCES, { network: S.network }, {
  where: sql`${S.network} <> ''`,
  more: { sql: sql`coalesce(sum(${S.sessions}) filter (where ${S.inApp}), 0) as in_app`, shape: { in_app: as.number } },
});
const SEARCH_ENGINES_QUERY = grouped(SOURCES, { searchEngine: S.searchEngine }, { where: sql`${S.searchEngine} <> ''` });
const AI_ASSISTANTS_QUERY = grouped(SOURCES, { aiAssistant: S.aiAssistant }, { where: sql`${S.aiAssistant} <> ''` });
const SOURCE_MEDIUM_QUERY = grouped(SOURCES, { source: S.source, medium: S.medium });
const C = rollupCampaigns;
const CAMPAIGNS_QUERY = grouped(CAMPAIGNS, { source: C.source, medium: C.medium, campaign: C.campaign, campaignId: C.campaignId, term: C.term, content: C.content });
const T = rollupSearchTerms;
const SEARCH_TERMS_QUERY = grouped(SEARCH_TERMS, { searchEngine: T.searchEngine, term: T.term }, { limit: MAX_SEARCH_TERMS });
// A session that has not sent its landing page view yet has no landing page to list.
const LANDING_PAGES_QUERY = grouped(SOURCES, { path: S.landingPath }, { where: sql`${S.landingPath} <> ''` });
const CHANNEL_LANDING_PAGES_QUERY = grouped(SOURCES, { channel: S.channel, path: S.landingPath }, { where: sql`${S.landingPath} <> ''` });
const SHARES_QUERY = rollupsOrFiltered(
  sql`select ${rollupShares.network}, ${total(rollupShares.shares)} as shares from ${rollupShares} where ${inRange(rollupShares)}
    group by ${rollupShares.network} order by shares desc, ${rollupShares.network}`,
  { network: as.text, shares: as.number },
  SHARES,
);

/** A row's keys and its figures. */
const withFigures = <R extends FigureRow>({ sessions, visitors, engaged, conversions, ...keys }: R) => ({
  ...(keys as Omit<R, keyof FigureRow>),
  ...figures({ sessions, visitors, engaged, conversions }),
});

/** GA4's place of a channel (DEFINITIONS: channels); a name no rule gives any more comes last. */
const channelRank = (channel: string) => {
  const i = (CHANNELS as readonly string[]).indexOf(channel);
  return i < 0 ? CHANNELS.length : i;
};
/** In GA4's channel order; rows of one channel keep their order (most sessions first). */
const inChannelOrder = <R extends { channel: string }>(rows: R[]) => rows.sort((a, b) => channelRank(a.channel) - channelRank(b.channel));

/**
 * The acquisition report over a range (DEFINITIONS: acquisition and SNS, channels, social networks,
 * in-app browsers, share; engaged session; goal). Reads `rollup_sources`, `rollup_campaigns`,
 * `rollup_search_terms` and `rollup_shares` only.
 */
export function acquisitionReport(driver: Driver, range: ReportRange, filters: Filters = {}): Promise<Acquisition> {
  return overKept(driver, range, filters, (d) => acquisitionOf(d, range, filters));
}

async function acquisitionOf(driver: Driver, range: ReportRange, filters: Filters): Promise<Acquisition> {
  const [channels, networks, searchEngines, searchTerms, aiAssistants, sourceMedium, campaigns, landingPages, channelLandingPages, shares] =
    await Promise.all([
      CHANNELS_QUERY(driver, range, filters),
      NETWORKS_QUERY(driver, range, filters),
      SEARCH_ENGINES_QUERY(driver, range, filters),
      SEARCH_TERMS_QUERY(driver, range, filters),
      AI_ASSISTANTS_QUERY(driver, range, filters),
      SOURCE_MEDIUM_QUERY(driver, range, filters),
      CAMPAIGNS_QUERY(driver, range, filters),
      LANDING_PAGES_QUERY(driver, range, filters),
      CHANNEL_LANDING_PAGES_QUERY(driver, range, filters),
      SHARES_QUERY(driver, range, filters),
    ]);
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    channels: inChannelOrder(channels.map(withFigures)),
    networks: networks.map(({ in_app, ...row }) => {
      const r = withFigures(row);
      return { ...r, inAppSessions: in_app, inAppShare: round(in_app / r.sessions) };
    }),
    searchEngines: searchEngines.map(withFigures),
    searchTerms: searchTerms.map(withFigures),
    aiAssistants: aiAssistants.map(withFigures),
    sourceMedium: sourceMedium.map(withFigures),
    campaigns: campaigns.map(withFigures),
    landingPages: landingPages.map(withFigures),
    channelLandingPages: inChannelOrder(channelLandingPages.map(withFigures)),
    sharesByNetwork: shares,
  };
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  channels: table(['channel', ...FIGURES], (r: Acquisition) => r.channels),
  networks: table(['network', ...FIGURES, 'inAppSessions', 'inAppShare'], (r: Acquisition) => r.networks),
  searchEngines: table(['searchEngine', ...FIGURES], (r: Acquisition) => r.searchEngines),
  searchTerms: table(['searchEngine', 'term', ...FIGURES], (r: Acquisition) => r.searchTerms),
  aiAssistants: table(['aiAssistant', ...FIGURES], (r: Acquisition) => r.aiAssistants),
  sourceMedium: table(['source', 'medium', ...FIGURES], (r: Acquisition) => r.sourceMedium),
  campaigns: table(['source', 'medium', 'campaign', 'campaignId', 'term', 'content', ...FIGURES], (r: Acquisition) => r.campaigns),
  landingPages: table(['path', ...FIGURES], (r: Acquisition) => r.landingPages),
  channelLandingPages: table(['channel', 'path', ...FIGURES], (r: Acquisition) => r.channelLandingPages),
  sharesByNetwork: table(['network', 'shares'], (r: Acquisition) => r.sharesByNetwork),
};
