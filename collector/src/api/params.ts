/**
 * The report API's query parameters (CONTRACT §4), validated with zod: the range every report
 * takes, and each report's own. A bad parameter is a 400 that names it, never a 500.
 */
import { z } from 'zod';
import { CHANNELS } from '../lib/channels.ts';
import { addDays, daysIn, localDate } from '../lib/dates.ts';
import { DEVICE_CLASSES } from '../lib/device.ts';
import { invalid } from '../lib/errors.ts';
import { foldGoalPath, MAX_GOAL_LENGTH, MAX_GOALS } from '../sites/goals.ts';
import { RETENTION_DAYS } from '../sites/retention.ts';
import type { ReportName } from '../reports/index.ts';
import { MAX_FUNNEL_STEPS } from '../reports/journeys.ts';
import type { ReportRange } from '../reports/range.ts';
import { MAX_LIMIT, VISITOR_SORTS } from '../reports/visitors.ts';

/** The longest range a report covers. */
export const MAX_DAYS = 3660;
/** No analytics data is older; a range or its previous period before it is a mistake. */
const FIRST_DATE = '1970-01-01';
const LAST_DATE = '9999-12-31';
const MAX_OFFSET = 1_000_000_000;


/** `YYYY-MM-DD` that is a real calendar date (not 2026-02-31) between 1970 and 9999. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, 'not a calendar date')
  .refine((d) => d >= FIRST_DATE && d <= LAST_DATE, `expected a date from ${FIRST_DATE} to ${LAST_DATE}`);

/** A non-negative integer in a query string, within bounds. */
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'an integer')
    .transform(Number)
    .pipe(z.number().int().min(min, `an integer from ${min} to ${max}`).max(max, `an integer from ${min} to ${max}`));

/** Parses a query (or a body) with a schema; the first problem becomes a 400 naming its parameter (`whole` for the input itself). */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown, whole = 'query'): z.output<S> {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw invalid(String(issue.path[0] ?? whole), issue.message);
}

export const rangeQuery = z.object({
  from: isoDate.optional().meta({ description: 'first day, inclusive, in the site time zone; default: 29 days before `to`' }),
  to: isoDate.optional().meta({ description: "last day, inclusive, in the site time zone; default: the site's today" }),
});

/**
 * The range of a report from `from` and `to` (inclusive, the site's time zone); by default the 30
 * days up to the site's today. 400 when `from` is after `to`, the range is longer than
 * {@link MAX_DAYS}, or its previous period (the same number of days before) starts before 1970.
 */
export function parseRange(site: { id: string; timezone: string }, query: Record<string, string | undefined>, now: number): ReportRange {
  const parsed = parseQuery(rangeQuery, query);
  const to = parsed.to ?? localDate(now, site.timezone);
  const from = parsed.from ?? addDays(to, -29);
  const days = daysIn({ from, to });
  if (days < 1) throw invalid('from', 'after to');
  if (days > MAX_DAYS) throw invalid('from', `a range is at most ${MAX_DAYS} days`);
  if (addDays(from, -days) < FIRST_DATE) throw invalid('from', `the previous period would start before ${FIRST_DATE}`);
  return { siteId: site.id, timezone: site.timezone, from, to };
}

/**
 * `steps=/a,/b,event:Signup` → the steps as `session_journeys` holds them: page paths folded as
 * `events.path` is (query dropped, numeric and UUID-like segments → `:id`), `event:Name` as given.
 */
const funnelSteps = z
  .string()
  .optional()
  .transform((param, ctx) => {
    if (param === undefined || param.trim() === '') return undefined;
    const steps = param.split(',').map((s) => s.trim());
    if (steps.length > MAX_FUNNEL_STEPS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_FUNNEL_STEPS} steps` });
    const bad = steps.find((step) => !step.startsWith('/') && !/^event:.+/.test(step));
    if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `"${bad}" is neither a page path (/…) nor event:Name` });
    return steps.map((step) => (step.startsWith('/') ? foldGoalPath(step) : step));
  });

/**
 * The filters (reports/filters.ts): a session's channel (GA4's names), network id, device class,
 * country (ISO 3166 alpha-2, as the GeoIP database gives it) and landing page (folded as page paths are).
 */
export const filterQuery = z.object({
  channel: z.enum(CHANNELS, { error: `expected one of ${CHANNELS.join(', ')}` }).optional(),
  network: z.string().regex(/^[a-z0-9._-]{1,64}$/, 'expected a network id such as x, instagram or line').optional(),
  device: z.enum(DEVICE_CLASSES, { error: `expected ${DEVICE_CLASSES.join(' or ')}` }).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 country code such as JP').optional(),
  page: z.string().max(2048, 'at most 2048 characters').startsWith('/', 'expected a page path such as /pricing').transform(foldGoalPath).optional(),
});

/** Each report's own parameters, beside the range: every report takes the filters (CONTRACT §4). */
export const REPORT_PARAMS: { [K in ReportName]: z.ZodObject } = {
  overview: filterQuery,
  acquisition: filterQuery,
  goals: filterQuery,
  events: filterQuery,
  nps: filterQuery,
  usability: filterQuery,
  faq: filterQuery,
  visitors: filterQuery.extend({
    sort: z.enum(VISITOR_SORTS, { error: `expected one of ${VISITOR_SORTS.join(', ')}` }).default('score'),
    order: z.enum(['asc', 'desc'], { error: 'expected asc or desc' }).default('desc'),
    limit: integer(1, MAX_LIMIT).default(50),
    offset: integer(0, MAX_OFFSET).default(0),
  }),
  journeys: filterQuery.extend({ steps: funnelSteps }),
};

/** `format=json|csv` and `table=` (CONTRACT §4). */
export const outputQuery = z.object({
  format: z.enum(['json', 'csv'], { error: 'expected json or csv' }).default('json'),
  table: z.string().optional().meta({ description: "the table of a CSV answer (case-insensitive), one of the JSON's `tables`; default: the first" }),
});

/** `PUT settings/goals`: custom event names, or page paths starting with `/` (sites/goals.ts). */
export const goalsBody = z.object({
  goals: z.array(z.string().min(1).max(MAX_GOAL_LENGTH)).max(MAX_GOALS, `at most ${MAX_GOALS} goals`),
});

/** `PUT settings/retention`: days raw events and text are kept (sites/retention.ts). */
export const retentionBody = z.object({
  days: z
    .int(`a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}`)
    .min(RETENTION_DAYS.min, `a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}`)
    .max(RETENTION_DAYS.max, `a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}`),
});
