/**
 * `reports/usability` (CONTRACT §4): per page and device class, the 75th percentile of each Web
 * Vital with its good / needs-improvement / poor sample counts; friction counts per kind; friction
 * hot spots; 404 pages; the slowest pages; loop and frustrated sessions.
 * Definitions: DEFINITIONS.md, "Page loads (usability)" and "Navigation friction". Reads the rollups only.
 */
import { FRICTION_KINDS, RATINGS, VITAL_NAMES } from '@kizuna/protocol';
import type { Db } from '../db/index.ts';
import { addDays } from '../lib/dates.ts';
import type { ReportRange } from './range.ts';

export type VitalName = (typeof VITAL_NAMES)[number];
export type VitalRating = (typeof RATINGS)[number];
export type FrictionKind = (typeof FRICTION_KINDS)[number];
/** DEFINITIONS (page loads): mobile is a viewport narrower than 768 px, set per session at ingest. */
export type DeviceClass = 'mobile' | 'desktop';

/** One metric of one page and device class over the range. */
export interface VitalFigure {
  /**
   * 75th percentile, nearest rank over the rollup histogram (see {@link p75Value}): ms, or unitless
   * for CLS; rounded to 1 ms (CLS: 0.001). null when the metric has no sample.
   */
  p75: number | null;
  /** the rating of `p75` itself by the DEFINITIONS thresholds; null when there is no sample */
  rating: VitalRating | null;
  samples: number;
  /** samples by their own rating (as each was rated when measured) */
  good: number;
  needsImprovement: number;
  poor: number;
}

/** The Web Vitals of one page path (grouped as DEFINITIONS says) on one device class. */
export interface PageVitals {
  path: string;
  device: DeviceClass;
  vitals: Record<VitalName, VitalFigure>;
}

export interface FrictionKindCount {
  kind: FrictionKind;
  /** friction events: one per rage burst, dead click, quick back … */
  count: number;
  /** the sum of the events' own counts (clicks in rage bursts, direction changes …) */
  total: number;
}

/** Friction on one element of one page; page-level kinds (quick_back, not_found) have selector ''. */
export interface FrictionHotSpot {
  path: string;
  selector: string;
  kind: FrictionKind;
  count: number;
  total: number;
}

export interface NotFoundPage {
  path: string;
  /** page views answered 404 (not_found friction events), both device classes */
  count: number;
}

export interface SlowPage {
  path: string;
  device: DeviceClass;
  lcpP75: number;
  rating: VitalRating;
  samples: number;
}

/** The usability report (CONTRACT §4 `reports/usability`) over a range of days. */
export interface Usability {
  from: string;
  to: string;
  timezone: string;
  /** every page and device class with ≥ 1 Web Vitals sample; most samples (all metrics together) first */
  pages: PageVitals[];
  /** every friction kind, in protocol order, 0 when none */
  friction: FrictionKindCount[];
  /** the {@link HOT_SPOTS} (page, selector, kind) with the most friction events */
  hotSpots: FrictionHotSpot[];
  /** pages with ≥ 1 not-found view, most first */
  notFound: NotFoundPage[];
  /** the {@link SLOWEST} page-device pairs by LCP p75 */
  slowestPages: SlowPage[];
  /** sessions that viewed one page ≥ 3 times */
  loopSessions: number;
  /** sessions with ≥ 3 friction events */
  frustratedSessions: number;
}

/** DEFINITIONS (page loads) [web.dev]: good ≤ `good`, poor > `poor`, needs improvement between. */
export const VITAL_THRESHOLDS: Record<VitalName, { good: number; poor: number }> = {
  LCP: { good: 2500, poor: 4000 },
  INP: { good: 200, poor: 500 },
  CLS: { good: 0.1, poor: 0.25 },
  FCP: { good: 1800, poor: 3000 },
  TTFB: { good: 800, poor: 1800 },
};

export const HOT_SPOTS = 50;
export const SLOWEST = 10;
/** A page needs this many LCP samples to rank among the slowest. */
export const SLOWEST_MIN_SAMPLES = 1;

/** Buckets per unit of ln(1 + value × scale) in `rollup_vitals` (db/schema.ts). */
const BUCKETS_PER_LN = 40;
/** CLS is unitless and small: scaled by 1000 before bucketing, like the rollup does. */
const scaleOf = (metric: VitalName) => (metric === 'CLS' ? 1000 : 1);

const inRange = `site_id = $1 and day between $2::date and $3::date`;

/**
 * The usability report over a range (DEFINITIONS: page loads, navigation friction, loop, frustrated
 * session). Reads `rollup_vitals`, `rollup_friction`, `rollup_pages` and `rollup_days` only.
 */
export async function usabilityReport(db: Db, range: ReportRange): Promise<Usability> {
  const params = [range.siteId, range.from, range.to];
  const [pages, friction, hotSpots, notFound, sessions] = await Promise.all([
    pageVitals(db, range),
    frictionByKind(db, params),
    frictionHotSpots(db, params),
    notFoundPages(db, params),
    sessionOutcomes(db, params),
  ]);
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    pages,
    friction,
    hotSpots,
    notFound,
    slowestPages: slowestPages(pages),
    ...sessions,
  };
}

/**
 * The representative value of a histogram bucket: the middle of its log-scale interval, so it is
 * within 1.3 % of every sample in the bucket. Inverse of the rollup's
 * bucket = floor(ln(1 + value × scale) × 40).
 */
export function bucketValue(metric: VitalName, bucket: number): number {
  return (Math.exp((bucket + 0.5) / BUCKETS_PER_LN) - 1) / scaleOf(metric);
}

/**
 * The p75 shown for a metric: the representative value of the p75 bucket, rounded to 1 ms (CLS: 0.001).
 *
 * p75 is the nearest-rank percentile over the histogram summed across the range: the lowest bucket
 * whose cumulative sample count reaches ≥ 75 % of the samples (with 4 samples, the 3rd smallest;
 * no interpolation). Buckets are 2.5 % wide, so a p75 within 1.3 % of a threshold may land on either
 * side of it.
 */
export function p75Value(metric: VitalName, bucket: number): number {
  const value = bucketValue(metric, bucket);
  return metric === 'CLS' ? Math.round(value * 1000) / 1000 : Math.round(value);
}

/** DEFINITIONS (page loads) rating of a value: good ≤ good threshold < needs improvement ≤ poor threshold < poor. */
export function rateVital(metric: VitalName, value: number): VitalRating {
  const t = VITAL_THRESHOLDS[metric];
  return value <= t.good ? 'good' : value <= t.poor ? 'needs-improvement' : 'poor';
}

/** One series (page, device, metric) over the range: its counts, and its histogram merged across days. */
interface VitalSeries {
  path: string;
  device: DeviceClass;
  metric: VitalName;
  /** sums: bigint, a string from postgres.js */
  samples: string | number;
  good: string | number;
  needs_improvement: string | number;
  poor: string | number;
  /** each day's histogram as `{buckets}:{counts}` (ascending bucket numbers, the samples in each), joined by `;` */
  days: string;
}

/**
 * One row per series, its histograms joined as text: the range's full weeks (Monday to Sunday) from
 * `rollup_vitals_weeks`, its other days from `rollup_vitals`. A 30-day range at 10M events holds
 * 13.5k series-days with 1M (bucket, count) pairs: as rows of arrays they took 450 ms to cross from
 * PGlite (it hands over each field separately) and 200 ms from PostgreSQL; four weeks and a few days
 * hold a third of the pairs, and 460 rows of text cross at once. Merged here into a dense array per
 * series, so that the p75 is that of every sample of the range, not a mix of daily or weekly ones.
 * $4 / $5: the first and the last full week's Monday, null when the range holds no full week.
 */
const PAGE_VITALS = `
  select path, device, metric, sum(samples) as samples, sum(good) as good,
    sum(needs_improvement) as needs_improvement, sum(poor) as poor,
    string_agg(buckets::text || ':' || counts::text, ';') as days
  from (
    select path, device, metric, samples, good, needs_improvement, poor, buckets, counts
    from rollup_vitals_weeks where site_id = $1 and week between $4::date and $5::date
    union all
    select path, device, metric, samples, good, needs_improvement, poor, buckets, counts
    from rollup_vitals where ${inRange} and ($4::date is null or day not between $4::date and $5::date + 6)) v
  group by path, device, metric`;

const weekday = (date: string) => new Date(date + 'T00:00:00Z').getUTCDay(); // 0 Sunday, 1 Monday

/** The Mondays of the first and the last week (Monday to Sunday) that lie whole in the range, or nulls. */
export function fullWeeks(range: { from: string; to: string }): [string, string] | [null, null] {
  const first = addDays(range.from, (8 - weekday(range.from)) % 7);
  const last = addDays(range.to, -weekday(range.to) - 6); // the last Sunday's Monday
  return first <= last ? [first, last] : [null, null];
}

/** The merged histogram of a series: samples per bucket number. */
function histogramOf(days: string): number[] {
  const histogram: number[] = [];
  for (const day of days.split(';')) {
    const [buckets, counts] = day.split(':') as [string, string];
    if (buckets.length < 3) continue; // {}
    const b = buckets.slice(1, -1).split(',');
    const c = counts.slice(1, -1).split(',');
    for (let i = 0; i < b.length; i++) histogram[+b[i]!] = (histogram[+b[i]!] ?? 0) + +c[i]!;
  }
  return histogram;
}

async function pageVitals(db: Db, range: ReportRange): Promise<PageVitals[]> {
  const series = await db.query<VitalSeries>(PAGE_VITALS, [range.siteId, range.from, range.to, ...fullWeeks(range)]);
  const pages = new Map<string, PageVitals>();
  const samples = new Map<PageVitals, number>();
  for (const s of series) {
    if (Number(s.samples) === 0) continue;
    const key = `${s.device} ${s.path}`;
    let page = pages.get(key);
    if (!page) pages.set(key, (page = { path: s.path, device: s.device, vitals: noVitals() }));
    page.vitals[s.metric] = vitalFigure(s);
    samples.set(page, (samples.get(page) ?? 0) + Number(s.samples));
  }
  return [...pages.values()].sort(
    (a, b) => samples.get(b)! - samples.get(a)! || compare(a.path, b.path) || compare(a.device, b.device),
  );
}

/**
 * The p75 bucket of a histogram: the lowest bucket whose cumulative count reaches ≥ 75 % of the
 * samples (integer arithmetic, below × 4 ≥ samples × 3, keeps "≥ 75 %" exact).
 */
function p75Bucket(histogram: number[], samples: number): number {
  let below = 0;
  for (let b = 0; b < histogram.length; b++) {
    below += histogram[b] ?? 0;
    if (below * 4 >= samples * 3) return b;
  }
  return histogram.length - 1;
}

function vitalFigure(s: VitalSeries): VitalFigure {
  const samples = Number(s.samples);
  const p75 = p75Value(s.metric, p75Bucket(histogramOf(s.days), samples));
  return {
    p75,
    // the figure shown is the one rated, so the two never disagree
    rating: rateVital(s.metric, p75),
    samples,
    good: Number(s.good),
    needsImprovement: Number(s.needs_improvement),
    poor: Number(s.poor),
  };
}

const noVitals = () =>
  Object.fromEntries(
    VITAL_NAMES.map((m) => [m, { p75: null, rating: null, samples: 0, good: 0, needsImprovement: 0, poor: 0 }]),
  ) as Record<VitalName, VitalFigure>;

/** Code-point order: the same on every database collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The slowest page-device pairs: highest LCP p75 first (mobile and desktop apart, as DEFINITIONS
 * splits them), then the most sampled.
 */
function slowestPages(pages: PageVitals[]): SlowPage[] {
  return pages
    .filter((p) => p.vitals.LCP.samples >= SLOWEST_MIN_SAMPLES)
    .map((p) => ({ path: p.path, device: p.device, lcpP75: p.vitals.LCP.p75!, rating: p.vitals.LCP.rating!, samples: p.vitals.LCP.samples }))
    .sort((a, b) => b.lcpP75 - a.lcpP75 || b.samples - a.samples || compare(a.path, b.path) || compare(a.device, b.device))
    .slice(0, SLOWEST);
}

async function frictionByKind(db: Db, params: unknown[]): Promise<FrictionKindCount[]> {
  const rows = await db.query<{ kind: FrictionKind; count: string | number; total: string | number }>(
    `select kind, sum(events) as count, sum(total) as total from rollup_friction where ${inRange} group by kind`,
    params,
  );
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return FRICTION_KINDS.map((kind) => ({ kind, count: Number(byKind.get(kind)?.count ?? 0), total: Number(byKind.get(kind)?.total ?? 0) }));
}

async function frictionHotSpots(db: Db, params: unknown[]): Promise<FrictionHotSpot[]> {
  const rows = await db.query<{ path: string; selector: string; kind: FrictionKind; count: string | number; total: string | number }>(
    `select path, selector, kind, sum(events) as count, sum(total) as total from rollup_friction where ${inRange}
     group by path, selector, kind order by count desc, total desc, path, kind, selector limit ${HOT_SPOTS}`,
    params,
  );
  return rows.map((r) => ({ path: r.path, selector: r.selector, kind: r.kind, count: Number(r.count), total: Number(r.total) }));
}

async function notFoundPages(db: Db, params: unknown[]): Promise<NotFoundPage[]> {
  const rows = await db.query<{ path: string; count: string | number }>(
    `select path, sum(not_found) as count from rollup_pages where ${inRange}
     group by path having sum(not_found) > 0 order by count desc, path`,
    params,
  );
  return rows.map((r) => ({ path: r.path, count: Number(r.count) }));
}

async function sessionOutcomes(db: Db, params: unknown[]): Promise<Pick<Usability, 'loopSessions' | 'frustratedSessions'>> {
  const [row] = await db.query<{ loops: string | number; frustrated: string | number }>(
    `select coalesce(sum(loop_sessions), 0) as loops, coalesce(sum(frustrated_sessions), 0) as frustrated
     from rollup_days where ${inRange}`,
    params,
  );
  return { loopSessions: Number(row!.loops), frustratedSessions: Number(row!.frustrated) };
}

/** One CSV row per page and device class: `lcpP75`, `lcpRating`, `lcpSamples`, `lcpGood` … for each metric. */
export type UsabilityCsvRow = { path: string; device: DeviceClass } & Record<string, string | number | null>;

/** The CSV of the usability report: the per-page table, each metric's figures as columns. */
export function csvRows(report: Usability): UsabilityCsvRow[] {
  return report.pages.map((page) => {
    const row: UsabilityCsvRow = { path: page.path, device: page.device };
    for (const metric of VITAL_NAMES) {
      const v = page.vitals[metric];
      const m = metric.toLowerCase();
      Object.assign(row, {
        [`${m}P75`]: v.p75,
        [`${m}Rating`]: v.rating,
        [`${m}Samples`]: v.samples,
        [`${m}Good`]: v.good,
        [`${m}NeedsImprovement`]: v.needsImprovement,
        [`${m}Poor`]: v.poor,
      });
    }
    return row;
  });
}
