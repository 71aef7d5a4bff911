/**
 * `reports/acquisition` (CONTRACT §4): channels, social networks (with their in-app share), UTM
 * campaigns, landing pages and shares by network.
 * Definitions: docs/DEFINITIONS.md, "Acquisition and SNS" (a session's source is its landing's),
 * "Engaged session" and "Goal". Reads the rollups only.
 *
 * `visitors` here are visitor-days: `rollup_sources` keeps the distinct visitors of each day and
 * acquisition key (channel, source, medium, campaign, network, in-app, landing page), and distinct
 * counts do not add up. A visitor is counted once per day and key, so one who came on two days,
 * or through two landing pages of a channel on one day, counts twice. No rollup keeps visitors per
 * source over a range; the overview's `visitors` is the distinct count.
 */
import { and, desc, ne, sql } from 'drizzle-orm';
import { rollupShares, rollupSources } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
import { count, total } from './figures.ts';
import { inRange, round, type ReportRange } from './range.ts';

/** Sessions and their outcomes, shared by every acquisition table. */
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

export interface ChannelRow extends SessionFigures {
  /** GA4 default channel group, as classified at ingest (`Direct`, `Organic Search`, `Paid Social` …) */
  channel: string;
}

export interface NetworkRow extends SessionFigures {
  /** social network id (`x`, `instagram`, `line` …), organic and paid */
  network: string;
  /** sessions that landed inside the network's in-app browser */
  inAppSessions: number;
  /** in-app sessions / sessions */
  inAppShare: number;
}

export interface CampaignRow {
  source: string;
  medium: string;
  campaign: string;
  sessions: number;
  visitors: number;
  conversions: number;
}

export interface LandingPageRow {
  path: string;
  sessions: number;
  engagedSessions: number;
  engagedRate: number;
  conversions: number;
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
  /** channels with ≥ 1 session, most sessions first */
  channels: ChannelRow[];
  /** social networks with ≥ 1 session, most sessions first */
  networks: NetworkRow[];
  /** sessions with a `utm_campaign`, by source, medium and campaign, most sessions first */
  campaigns: CampaignRow[];
  /** sessions by their landing page, most first */
  landingPages: LandingPageRow[];
  /** share clicks by network, most first */
  shares: ShareRow[];
}

/** Sums of `rollup_sources` for one grouping. */
const FIGURES = {
  sessions: total(rollupSources.sessions),
  visitors: total(rollupSources.visitors),
  engaged: total(rollupSources.engagedSessions),
  conversions: total(rollupSources.convertedSessions),
};

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
 * The acquisition report over a range (DEFINITIONS: acquisition and SNS, channels, social networks,
 * in-app browsers, share; engaged session; goal). Reads `rollup_sources` and `rollup_shares` only.
 */
export async function acquisitionReport(ex: Executor, range: ReportRange): Promise<Acquisition> {
  const [channels, networks, campaigns, landingPages, shares] = await Promise.all([
    channelsOf(ex, range),
    networksOf(ex, range),
    campaignsOf(ex, range),
    landingPagesOf(ex, range),
    sharesOf(ex, range),
  ]);
  return { from: range.from, to: range.to, timezone: range.timezone, channels, networks, campaigns, landingPages, shares };
}

const S = rollupSources;

async function channelsOf(ex: Executor, r: ReportRange): Promise<ChannelRow[]> {
  const rows = await ex
    .select({ channel: S.channel, ...FIGURES })
    .from(S)
    .where(inRange(S, r))
    .groupBy(S.channel)
    .orderBy(desc(FIGURES.sessions), S.channel);
  return rows.map((row) => ({ channel: row.channel, ...figures(row) }));
}

async function networksOf(ex: Executor, r: ReportRange): Promise<NetworkRow[]> {
  const inApp = count(sql`coalesce(sum(${S.sessions}) filter (where ${S.inApp}), 0)`);
  const rows = await ex
    .select({ network: S.network, ...FIGURES, inApp })
    .from(S)
    .where(and(inRange(S, r), ne(S.network, '')))
    .groupBy(S.network)
    .orderBy(desc(FIGURES.sessions), S.network);
  return rows.map((row) => {
    const f = figures(row);
    return { network: row.network, ...f, inAppSessions: row.inApp, inAppShare: round(row.inApp / f.sessions) };
  });
}

async function campaignsOf(ex: Executor, r: ReportRange): Promise<CampaignRow[]> {
  const rows = await ex
    .select({ source: S.source, medium: S.medium, campaign: S.campaign, ...FIGURES })
    .from(S)
    .where(and(inRange(S, r), ne(S.campaign, '')))
    .groupBy(S.source, S.medium, S.campaign)
    .orderBy(desc(FIGURES.sessions), S.campaign, S.source, S.medium);
  return rows.map(({ source, medium, campaign, sessions, visitors, conversions }) => ({ source, medium, campaign, sessions, visitors, conversions }));
}

async function landingPagesOf(ex: Executor, r: ReportRange): Promise<LandingPageRow[]> {
  // A session that has not sent its landing page view yet has no landing page to list.
  const rows = await ex
    .select({ path: S.landingPath, ...FIGURES })
    .from(S)
    .where(and(inRange(S, r), ne(S.landingPath, '')))
    .groupBy(S.landingPath)
    .orderBy(desc(FIGURES.sessions), S.landingPath);
  return rows.map((row) => {
    const { sessions, engagedSessions, engagedRate, conversions } = figures(row);
    return { path: row.path, sessions, engagedSessions, engagedRate, conversions };
  });
}

async function sharesOf(ex: Executor, r: ReportRange): Promise<ShareRow[]> {
  const shares = total(rollupShares.shares);
  return ex
    .select({ network: rollupShares.network, shares })
    .from(rollupShares)
    .where(inRange(rollupShares, r))
    .groupBy(rollupShares.network)
    .orderBy(desc(shares), rollupShares.network);
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  channels: (r: Acquisition) => r.channels,
  networks: (r: Acquisition) => r.networks,
  campaigns: (r: Acquisition) => r.campaigns,
  landingPages: (r: Acquisition) => r.landingPages,
  shares: (r: Acquisition) => r.shares,
};
