/**
 * `reports/acquisition` (CONTRACT §4): channels, social networks (with their in-app share), UTM
 * campaigns, landing pages and shares by network.
 * Definitions: DEFINITIONS.md, "Acquisition and SNS" (a session's source is its landing's),
 * "Engaged session" and "Goal". Reads the rollups only.
 *
 * `visitors` here are visitor-days: `rollup_sources` keeps the distinct visitors of each day and
 * acquisition key (channel, source, medium, campaign, network, in-app, landing page), and distinct
 * counts do not add up. A visitor is counted once per day and key, so one who came on two days,
 * or through two landing pages of a channel on one day, counts twice. No rollup keeps visitors per
 * source over a range; the overview's `visitors` is the distinct count.
 */
import type { Db } from '../db/index.ts';
import { round } from './overview.ts';
import type { ReportRange } from './range.ts';

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

const inRange = `site_id = $1 and day between $2::date and $3::date`;

/** Sums of `rollup_sources` for one grouping. */
const FIGURES = `sum(sessions) as sessions, sum(visitors) as visitors, sum(engaged_sessions) as engaged,
  sum(converted_sessions) as conversions`;

type FigureRow = Record<'sessions' | 'visitors' | 'engaged' | 'conversions', string | number>;

function figures(row: FigureRow): SessionFigures {
  const [sessions, engaged] = [Number(row.sessions), Number(row.engaged)];
  return {
    sessions,
    visitors: Number(row.visitors),
    engagedSessions: engaged,
    // every rollup row has ≥ 1 session, so a group never divides by 0
    engagedRate: round(engaged / sessions),
    conversions: Number(row.conversions),
  };
}

/**
 * The acquisition report over a range (DEFINITIONS: acquisition and SNS, channels, social networks,
 * in-app browsers, share; engaged session; goal). Reads `rollup_sources` and `rollup_shares` only.
 */
export async function acquisitionReport(db: Db, range: ReportRange): Promise<Acquisition> {
  const params = [range.siteId, range.from, range.to];
  const [channels, networks, campaigns, landingPages, shares] = await Promise.all([
    channelsOf(db, params),
    networksOf(db, params),
    campaignsOf(db, params),
    landingPagesOf(db, params),
    sharesOf(db, params),
  ]);
  return { from: range.from, to: range.to, timezone: range.timezone, channels, networks, campaigns, landingPages, shares };
}

async function channelsOf(db: Db, params: unknown[]): Promise<ChannelRow[]> {
  const rows = await db.query<FigureRow & { channel: string }>(
    `select channel, ${FIGURES} from rollup_sources where ${inRange} group by channel order by sessions desc, channel`,
    params,
  );
  return rows.map((r) => ({ channel: r.channel, ...figures(r) }));
}

async function networksOf(db: Db, params: unknown[]): Promise<NetworkRow[]> {
  const rows = await db.query<FigureRow & { network: string; in_app: string | number }>(
    `select network, ${FIGURES}, coalesce(sum(sessions) filter (where in_app), 0) as in_app
     from rollup_sources where ${inRange} and network <> '' group by network order by sessions desc, network`,
    params,
  );
  return rows.map((r) => {
    const f = figures(r);
    const inApp = Number(r.in_app);
    return { network: r.network, ...f, inAppSessions: inApp, inAppShare: round(inApp / f.sessions) };
  });
}

async function campaignsOf(db: Db, params: unknown[]): Promise<CampaignRow[]> {
  const rows = await db.query<FigureRow & { source: string; medium: string; campaign: string }>(
    `select source, medium, campaign, ${FIGURES} from rollup_sources where ${inRange} and campaign <> ''
     group by source, medium, campaign order by sessions desc, campaign, source, medium`,
    params,
  );
  return rows.map((r) => ({
    source: r.source,
    medium: r.medium,
    campaign: r.campaign,
    sessions: Number(r.sessions),
    visitors: Number(r.visitors),
    conversions: Number(r.conversions),
  }));
}

async function landingPagesOf(db: Db, params: unknown[]): Promise<LandingPageRow[]> {
  // A session that has not sent its landing page view yet has no landing page to list.
  const rows = await db.query<FigureRow & { path: string }>(
    `select landing_path as path, ${FIGURES} from rollup_sources where ${inRange} and landing_path <> ''
     group by landing_path order by sessions desc, landing_path`,
    params,
  );
  return rows.map((r) => {
    const { sessions, engagedSessions, engagedRate, conversions } = figures(r);
    return { path: r.path, sessions, engagedSessions, engagedRate, conversions };
  });
}

async function sharesOf(db: Db, params: unknown[]): Promise<ShareRow[]> {
  const rows = await db.query<{ network: string; shares: string | number }>(
    `select network, sum(shares) as shares from rollup_shares where ${inRange} group by network order by shares desc, network`,
    params,
  );
  return rows.map((r) => ({ network: r.network, shares: Number(r.shares) }));
}

/** The CSV of the acquisition report: the channels table. */
export function csvRows(report: Acquisition): ChannelRow[] {
  return report.channels;
}
