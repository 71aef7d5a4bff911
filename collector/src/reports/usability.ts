/**
 * `reports/usability` (CONTRACT §4): per page and device class, the 75th percentile of each Web
 * Vital with its good / needs-improvement / poor sample counts; friction counts per kind; friction
 * hot spots; 404 pages; the slowest pages; loop and frustrated sessions.
 * Definitions: docs/DEFINITIONS.md, "Page loads (usability)" and "Navigation friction". Reads the rollups
 * only, or with filters the rollups' groupings over the kept sessions (reports/filters.ts).
 */
import { FRICTION_KINDS, VITAL_NAMES } from '@kizuna/protocol';
import { sql } from 'drizzle-orm';
import { FRICTION, VITALS } from '../aggregate/registry.ts';
import { rollupFriction, rollupVitals, rollupVitalsWeeks } from '../db/schema.ts';
import { as, type Driver } from '../db/sql.ts';
import { addDays } from '../lib/dates.ts';
import type { DeviceClass } from '../lib/device.ts';
import { bucketValue, rateVital, vitalKey, vitalUnitSuffix, type VitalKey, type VitalName, type VitalRating } from '../lib/vitals.ts';
import { total } from './figures.ts';
import { hasFilters, overKept, rollupsOrFiltered, sessionOutcomes, type Filters } from './filters.ts';
import { inRange, type ReportRange } from './range.ts';
import { table } from './table.ts';

export type { DeviceClass, VitalKey, VitalName, VitalRating };
export type FrictionKind = (typeof FRICTION_KINDS)[number];

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
  /** by metric, its name in lower case (`lcp inp cls fcp ttfb`: CONTRACT §4, naming) */
  vitals: Record<VitalKey, VitalFigure>;
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
  lcpP75Ms: number;
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

export const HOT_SPOTS = 50;
export const SLOWEST = 10;
/** A page needs this many LCP samples to rank among the slowest. */
export const SLOWEST_MIN_SAMPLES = 1;

/**
 * The usability report over a range (DEFINITIONS: page loads, navigation friction, loop, frustrated
 * session), of the sessions the filters keep. Reads `rollup_vitals` (and its weeks), `rollup_friction`
 * and `rollup_days`, or their groupings over the kept sessions.
 */
export async function usabilityReport(driver: Driver, range: ReportRange, filters: Filters = {}): Promise<Usability> {
  const [pages, friction, hotSpots, notFound, [sessions]] = await overKept(driver, range, filters, (d) =>
    Promise.all([
      pageVitals(d, range, filters),
      FRICTION_BY_KIND(d, range, filters),
      HOT_SPOTS_OF(d, range, filters),
      NOT_FOUND(d, range, filters),
      OUTCOMES(d, range, filters),
    ]),
  );
  const byKind = new Map(friction.map((row) => [row.kind, row]));
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    pages,
    friction: FRICTION_KINDS.map((kind) => ({ kind, count: byKind.get(kind)?.count ?? 0, total: byKind.get(kind)?.total ?? 0 })),
    hotSpots: hotSpots.map((row) => ({ ...row, kind: row.kind as FrictionKind })),
    notFound,
    slowestPages: slowestPages(pages),
    loopSessions: sessions!.loopSessions,
    frustratedSessions: sessions!.frustratedSessions,
  };
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

/**
 * One row per series (page, device, metric), its histograms joined as text: the range's full weeks
 * (Monday to Sunday) from `rollup_vitals_weeks`, its other days from `rollup_vitals`. A 30-day range
 * at 10M events holds 13.5k series-days with 1M (bucket, count) pairs: as rows of arrays they took
 * 450 ms to cross from PGlite (it hands over each field separately) and 200 ms from PostgreSQL; four
 * weeks and a few days hold a third of the pairs, and 460 rows of text cross at once. Merged here
 * into a dense array per series, so that the p75 is that of every sample of the range, not a mix of
 * daily or weekly ones. `weeks`: the first and the last full week's Monday, nulls when the range
 * holds no full week. Each day's histogram is `{buckets}:{counts}`, joined by `;`.
 */
const PAGE_VITALS = (() => {
  const series = (t: typeof rollupVitals | typeof rollupVitalsWeeks) =>
    sql`${t.path}, ${t.device}, ${t.metric}, ${t.samples}, ${t.good}, ${t.needsImprovement}, ${t.poor}, ${t.buckets}, ${t.counts}`;
  const W = rollupVitalsWeeks;
  const D = rollupVitals;
  const [first, last] = [sql.placeholder('firstWeek'), sql.placeholder('lastWeek')];
  return sql`
  select path, device, metric, sum(samples) as samples, sum(good) as good,
    sum(needs_improvement) as needs_improvement, sum(poor) as poor,
    string_agg(buckets::text || ':' || counts::text, ';') as days
  from (
    select ${series(W)} from ${W} where ${W.siteId} = ${sql.placeholder('site')} and ${W.week} between ${first}::date and ${last}::date
    union all
    select ${series(D)} from ${D}
    where ${inRange(D)} and (${first}::date is null or ${D.day} not between ${first}::date and ${last}::date + 6)) v
  group by path, device, metric`;
})();

const SERIES_ROW = {
  path: as.text,
  device: as.text as (v: unknown) => DeviceClass,
  metric: as.text as (v: unknown) => VitalName,
  samples: as.number,
  good: as.number,
  needs_improvement: as.number,
  poor: as.number,
  days: as.text,
};
type VitalSeries = { [K in keyof typeof SERIES_ROW]: ReturnType<(typeof SERIES_ROW)[K]> };
const SERIES = rollupsOrFiltered(PAGE_VITALS, SERIES_ROW, VITALS);

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

async function pageVitals(driver: Driver, range: ReportRange, filters: Filters): Promise<PageVitals[]> {
  // the kept sessions' histograms are by day only
  const [firstWeek, lastWeek] = hasFilters(filters) ? [null, null] : fullWeeks(range);
  const series = await SERIES(driver, range, filters, { firstWeek, lastWeek });
  const pages = new Map<string, PageVitals>();
  const samples = new Map<PageVitals, number>();
  for (const s of series) {
    if (s.samples === 0) continue;
    const key = `${s.device} ${s.path}`;
    let page = pages.get(key);
    if (!page) pages.set(key, (page = { path: s.path, device: s.device, vitals: noVitals() }));
    page.vitals[vitalKey(s.metric)] = vitalFigure(s);
    samples.set(page, (samples.get(page) ?? 0) + s.samples);
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
  const p75 = p75Value(s.metric, p75Bucket(histogramOf(s.days), s.samples));
  return {
    p75,
    // the figure shown is the one rated, so the two never disagree
    rating: rateVital(s.metric, p75),
    samples: s.samples,
    good: s.good,
    needsImprovement: s.needs_improvement,
    poor: s.poor,
  };
}

/** A metric without a sample. */
const NO_FIGURE: VitalFigure = { p75: null, rating: null, samples: 0, good: 0, needsImprovement: 0, poor: 0 };
const noVitals = () => Object.fromEntries(VITAL_NAMES.map((m) => [vitalKey(m), { ...NO_FIGURE }])) as Record<VitalKey, VitalFigure>;

/** Code-point order: the same on every database collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The slowest page-device pairs: highest LCP p75 first (mobile and desktop apart, as DEFINITIONS
 * splits them), then the most sampled.
 */
function slowestPages(pages: PageVitals[]): SlowPage[] {
  return pages
    .filter((p) => p.vitals.lcp.samples >= SLOWEST_MIN_SAMPLES)
    .map((p) => ({ path: p.path, device: p.device, lcpP75Ms: p.vitals.lcp.p75!, rating: p.vitals.lcp.rating!, samples: p.vitals.lcp.samples }))
    .sort((a, b) => b.lcpP75Ms - a.lcpP75Ms || b.samples - a.samples || compare(a.path, b.path) || compare(a.device, b.device))
    .slice(0, SLOWEST);
}

const F = rollupFriction;
const FRICTION_BY_KIND = rollupsOrFiltered(
  sql`select ${F.kind}, ${total(F.events)} as count, ${total(F.total)} as total from ${F} where ${inRange(F)} group by ${F.kind}`,
  { kind: as.text, count: as.number, total: as.number },
  FRICTION,
);
const HOT_SPOTS_OF = rollupsOrFiltered(
  sql`select ${F.path}, ${F.selector}, ${F.kind}, ${total(F.events)} as count, ${total(F.total)} as total from ${F} where ${inRange(F)}
    group by ${F.path}, ${F.selector}, ${F.kind} order by count desc, total desc, ${F.path}, ${F.kind}, ${F.selector}
    limit ${sql.raw(String(HOT_SPOTS))}`,
  { path: as.text, selector: as.text, kind: as.text, count: as.number, total: as.number },
  FRICTION,
);
const NOT_FOUND_KIND: FrictionKind = 'not_found';
const NOT_FOUND = rollupsOrFiltered(
  sql`select ${F.path}, ${total(F.events)} as count from ${F} where ${inRange(F)} and ${F.kind} = ${NOT_FOUND_KIND}
    group by ${F.path} order by count desc, ${F.path}`,
  { path: as.text, count: as.number },
  FRICTION,
);
const OUTCOMES = sessionOutcomes('loopSessions', 'frustratedSessions');

/** One CSV row per page and device class: `lcpP75Ms`, `lcpRating`, `lcpSamples`, `lcpGood` … for each metric (`clsP75`: unitless). */
export type UsabilityCsvRow = { path: string; device: DeviceClass } & Record<string, string | number | null>;

/** A metric's columns of the per-page table, each with its figure. */
const metricCells = (metric: VitalName, v: VitalFigure) => {
  const m = vitalKey(metric);
  return {
    [`${m}P75${vitalUnitSuffix(metric)}`]: v.p75,
    [`${m}Rating`]: v.rating,
    [`${m}Samples`]: v.samples,
    [`${m}Good`]: v.good,
    [`${m}NeedsImprovement`]: v.needsImprovement,
    [`${m}Poor`]: v.poor,
  };
};
/** The per-page table's columns, from the same cells as its rows. */
const PAGE_COLUMNS = ['path', 'device', ...VITAL_NAMES.flatMap((metric) => Object.keys(metricCells(metric, NO_FIGURE)))];

/** The per-page table, each metric's figures as columns. */
function pageRows(report: Usability): UsabilityCsvRow[] {
  return report.pages.map((page) =>
    Object.assign({ path: page.path, device: page.device }, ...VITAL_NAMES.map((metric) => metricCells(metric, page.vitals[vitalKey(metric)]))),
  );
}

/** The report's tables, each downloadable as CSV (`table=`); the first is the default. */
export const tables = {
  pages: table(PAGE_COLUMNS, pageRows),
  friction: table(['kind', 'count', 'total'], (r: Usability) => r.friction),
  hotSpots: table(['path', 'selector', 'kind', 'count', 'total'], (r: Usability) => r.hotSpots),
  notFound: table(['path', 'count'], (r: Usability) => r.notFound),
  slowestPages: table(['path', 'device', 'lcpP75Ms', 'rating', 'samples'], (r: Usability) => r.slowestPages),
};
