/**
 * Web Vitals ratings and histograms (DEFINITIONS: page loads), defined once: the thresholds, the
 * rating of a value and the log-scale histogram bucket of a sample. The rollup job's SQL is
 * generated from these constants ({@link ratingSql}, {@link bucketSql}) and the usability report
 * reads the buckets back with {@link bucketValue}, so the two sides cannot disagree.
 */
import { VITAL_NAMES, type RATINGS } from '@kizuna/protocol';
import { sql, type SQL } from 'drizzle-orm';

export type VitalName = (typeof VITAL_NAMES)[number];
export type VitalRating = (typeof RATINGS)[number];
/** A metric as reports name it in JSON and CSV: lower case (CONTRACT §4, naming). */
export type VitalKey = Lowercase<VitalName>;
export const vitalKey = (metric: VitalName) => metric.toLowerCase() as VitalKey;
/** Every metric is in ms but CLS, which is unitless: CSV columns of ms figures end in `Ms`. */
export const vitalUnitSuffix = (metric: VitalName) => (metric === 'CLS' ? '' : 'Ms');

/** [web.dev]: good ≤ `good`, poor > `poor`, needs improvement between. */
export const VITAL_THRESHOLDS: Record<VitalName, { good: number; poor: number }> = {
  LCP: { good: 2500, poor: 4000 },
  INP: { good: 200, poor: 500 },
  CLS: { good: 0.1, poor: 0.25 },
  FCP: { good: 1800, poor: 3000 },
  TTFB: { good: 800, poor: 1800 },
};

/**
 * Buckets per unit of ln(1 + value × scale): a bucket is 2.5 % wide, so a p75 over any range is
 * read within 2.5 %. CLS is unitless and small: scaled by 1000 first; ms metrics by 1.
 */
export const BUCKETS_PER_LN = 40;
export const scaleOf = (metric: VitalName) => (metric === 'CLS' ? 1000 : 1);

/** DEFINITIONS rating of a value: good ≤ good threshold < needs improvement ≤ poor threshold < poor. */
export function rateVital(metric: VitalName, value: number): VitalRating {
  const t = VITAL_THRESHOLDS[metric];
  return value <= t.good ? 'good' : value <= t.poor ? 'needs-improvement' : 'poor';
}

/**
 * The representative value of a histogram bucket: the middle of its log-scale interval, within
 * 1.3 % of every sample in it. Inverse of {@link bucketSql}.
 */
export function bucketValue(metric: VitalName, bucket: number): number {
  return (Math.exp((bucket + 0.5) / BUCKETS_PER_LN) - 1) / scaleOf(metric);
}

/** `case metric when 'LCP' then … end`: one value per metric, in SQL. */
const perMetric = (metric: SQL, value: (m: VitalName) => number) =>
  sql`case ${metric} ${sql.join(VITAL_NAMES.map((m) => sql`when ${m} then ${sql.raw(String(value(m)))}`), sql` `)} end`;

/** The rating of a sample in SQL, by {@link VITAL_THRESHOLDS} (the rating a browser sends is not trusted). */
export const ratingSql = (metric: SQL, value: SQL) =>
  sql`case when ${value} <= ${perMetric(metric, (m) => VITAL_THRESHOLDS[m].good)} then 'good'
    when ${value} <= ${perMetric(metric, (m) => VITAL_THRESHOLDS[m].poor)} then 'needs-improvement' else 'poor' end`;

/** The histogram bucket of a sample in SQL: floor(ln(1 + value × scale) × {@link BUCKETS_PER_LN}). */
export const bucketSql = (metric: SQL, value: SQL) =>
  sql`floor(ln(1 + ${value} * ${perMetric(metric, scaleOf)}) * ${sql.raw(String(BUCKETS_PER_LN))})::int`;
