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
import { sql, type SQL } from 'drizzle-orm';
import { rollupShares, rollupSources } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import { total } from './figures.ts';
import { inRange, rangeValues, round, type ReportRange } from './range.ts';

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

const S = rollupSources;

/** Sums of `rollup_sources` for one grouping. */
const FIGURES = sql`${total(S.sessions)} as sessions, ${total(S.visitors)} as visitors, ${total(S.engagedSessions)} as engaged,
  ${total(S.convertedSessions)} as conversions`;
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

/** Sessions and their outcomes grouped by `keys` (most sessions first), with more conditions and columns. */
const grouped = <K extends Record<string, (v: unknown) => unknown>>(
  keys: K,
  columns: SQL,
  options: { where?: SQL; more?: SQL; order?: SQL } = {},
) =>
  query(
    sql`select ${columns}, ${FIGURES}${options.more ? sql`, ${options.more}` : sql``} from ${S}
      where ${inRange(S)}${options.where ? sql` and ${options.where}` : sql``}
      group by ${columns} order by sessions desc, ${options.order ?? columns}`,
    { ...keys, ...FIGURE_ROW },
  );

const CHANNELS = grouped({ channel: as.text }, sql`${S.channel}`);
const NETWORKS = grouped({ network: as.text, in_app: as.number }, sql`${S.network}`, {
  where: sql`${S.network} <> ''`,
  more: sql`coalesce(sum(${S.sessions}) filter (where ${S.inApp}), 0) as in_app`,
});
const CAMPAIGNS = grouped({ source: as.text, medium: as.text, campaign: as.text }, sql`${S.source}, ${S.medium}, ${S.campaign}`, {
  where: sql`${S.campaign} <> ''`,
  order: sql`${S.campaign}, ${S.source}, ${S.medium}`,
});
// A session that has not sent its landing page view yet has no landing page to list.
const LANDING_PAGES = grouped({ landing_path: as.text }, sql`${S.landingPath}`, { where: sql`${S.landingPath} <> ''` });
const SHARES = query(
  sql`select ${rollupShares.network}, ${total(rollupShares.shares)} as shares from ${rollupShares} where ${inRange(rollupShares)}
    group by ${rollupShares.network} order by shares desc, ${rollupShares.network}`,
  { network: as.text, shares: as.number },
);

/**
 * The acquisition report over a range (DEFINITIONS: acquisition and SNS, channels, social networks,
 * in-app browsers, share; engaged session; goal). Reads `rollup_sources` and `rollup_shares` only.
 */
export async function acquisitionReport(driver: Driver, range: ReportRange): Promise<Acquisition> {
  const values = rangeValues(range);
  const [channels, networks, campaigns, landingPages, shares] = await Promise.all([
    CHANNELS(driver, values),
    NETWORKS(driver, values),
    CAMPAIGNS(driver, values),
    LANDING_PAGES(driver, values),
    SHARES(driver, values),
  ]);
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    channels: channels.map((row) => ({ channel: row.channel, ...figures(row) })),
    networks: networks.map((row) => {
      const f = figures(row);
      return { network: row.network, ...f, inAppSessions: row.in_app, inAppShare: round(row.in_app / f.sessions) };
    }),
    campaigns: campaigns.map(({ source, medium, campaign, sessions, visitors, conversions }) => ({ source, medium, campaign, sessions, visitors, conversions })),
    landingPages: landingPages.map((row) => {
      const { sessions, engagedSessions, engagedRate, conversions } = figures(row);
      return { path: row.landing_path, sessions, engagedSessions, engagedRate, conversions };
    }),
    shares,
  };
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  channels: (r: Acquisition) => r.channels,
  networks: (r: Acquisition) => r.networks,
  campaigns: (r: Acquisition) => r.campaigns,
  landingPages: (r: Acquisition) => r.landingPages,
  shares: (r: Acquisition) => r.shares,
};
