/**
 * The report API (CONTRACT §4), under `/api/v1/sites/:site/`. Each report is a query module of
 * `reports/` (listed in reports/index.ts); this file authenticates, validates the parameters
 * (./params.ts) and answers JSON or one of the report's tables as CSV. Also one visitor's timeline,
 * erasure, and goals.
 *
 * Reports read the rollups as the maintenance job left them (it refreshes dirty days every few
 * seconds): rebuilding a busy day inside a request would cost seconds at scale (bench/README.md).
 * Each answer says how many days of its range are still waiting (`pendingDays`).
 */
import { sql } from 'drizzle-orm';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { erase } from '../aggregate/erase.ts';
import { setRetention } from '../sites/retention.ts';
import { rollupQueue } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
import type { AppDeps } from '../deps.ts';
import { attachment } from '../lib/csv.ts';
import { invalid } from '../lib/errors.ts';
import { REPORTS, type ReportName } from '../reports/index.ts';
import { inRange, rangeValues, type ReportRange } from '../reports/range.ts';
import { tableCsv, type Table } from '../reports/table.ts';
import { visitorTimeline } from '../reports/visitor.ts';
import { goalsOf, setGoals } from '../sites/goals.ts';
import { requireSiteToken, type AuthEnv } from './auth.ts';
import { goalsBody, outputQuery, parseQuery, parseRange, REPORT_PARAMS, retentionBody } from './params.ts';

/**
 * The routes, behind the bearer token by default; the dashboard mounts them read-only behind its
 * session (dashboard/routes.tsx), so its CSV downloads are exactly the API's.
 */
export function reportRoutes(deps: AppDeps, authorize: MiddlewareHandler<AuthEnv> = requireSiteToken(deps)) {
  const app = new Hono<AuthEnv>();
  app.use('/:site/*', authorize);

  app.get('/:site/reports/:name', async (c) => {
    const name = c.req.param('name');
    if (!Object.hasOwn(REPORTS, name)) throw new HTTPException(404, { message: `unknown report: ${name}` });
    const report = REPORTS[name as ReportName];
    const site = c.get('site');
    const query = c.req.query();
    const range = parseRange(site, query, deps.now());
    const output = parseQuery(outputQuery, query);
    const tables = Object.keys(report.tables);
    const table = output.table === undefined ? tables[0]! : tables.find((t) => t.toLowerCase() === output.table!.toLowerCase());
    if (table === undefined) throw invalid('table', `expected one of ${tables.join(', ')}`);
    const params = parseQuery(REPORT_PARAMS[name as ReportName], query);
    const run = report.run as (driver: Driver, range: ReportRange, params: unknown) => Promise<object>;
    const [body, pendingDays] = await Promise.all([run(deps.db.driver, range, params), pendingDaysOf(deps.db.driver, range)]);
    if (output.format === 'csv') {
      c.header('Content-Disposition', attachment(`${site.id}-${name}-${range.from}-${range.to}.csv`));
      return c.body(tableCsv((report.tables as Record<string, Table<object>>)[table]!, body), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    // the tables `format=csv&table=…` can download (CONTRACT §4)
    return c.json({ site: site.id, report: name, pendingDays, ...body, tables });
  });

  app.get('/:site/visitors/:id', async (c) => {
    const site = c.get('site');
    const timeline = await visitorTimeline(deps.db.driver, site.id, visitorId(c.req.param('id')), deps.now());
    if (!timeline) throw new HTTPException(404, { message: 'unknown visitor' });
    return c.json({ site: site.id, ...timeline });
  });

  // CONTRACT §4: the right to erasure, by visitor id or by customer id. Answering the counts (zeros
  // too) makes a repeat harmless; the person's own rows go at once, the days' counts follow with the
  // next rollup refresh.
  app.delete('/:site/visitors/:id', async (c) => {
    const site = c.get('site');
    return c.json({ site: site.id, erased: await erase(deps.db, site.id, { visitorId: visitorId(c.req.param('id')) }, deps.now()) });
  });
  app.delete('/:site/customers/:id', async (c) => {
    const site = c.get('site');
    return c.json({ site: site.id, erased: await erase(deps.db, site.id, { customerId: customerId(c.req.param('id')) }, deps.now()) });
  });

  app.get('/:site/settings/goals', (c) => c.json({ goals: goalsOf(c.get('site').settings) }));
  app.put('/:site/settings/goals', async (c) => {
    const { goals } = parseQuery(goalsBody, await c.req.json().catch(() => null), 'goals');
    const stored = await setGoals(deps.db.sql, c.get('site').id, goals, deps.now());
    deps.site.forget(c.get('site').id);
    return c.json({ goals: stored });
  });
  app.get('/:site/settings/retention', (c) => c.json({ days: c.get('site').retentionDays }));
  app.put('/:site/settings/retention', async (c) => {
    const body = parseQuery(retentionBody, await c.req.json().catch(() => null), 'days');
    const days = await setRetention(deps.db.sql, c.get('site').id, body.days);
    deps.site.forget(c.get('site').id);
    return c.json({ days });
  });
  return app;
}

/** An id as the wire protocol allows it (visitor ids 64 characters, customer ids 256), without NUL (PostgreSQL refuses it in text). */
const idParam = (max: number, what: string) => (id: string) => {
  if (id.length > max || id.includes('\u0000')) throw invalid('id', `a ${what} id is 1 to ${max} characters, without NUL`);
  return id;
};
const visitorId = idParam(64, 'visitor');
const customerId = idParam(256, 'customer');

const PENDING = query(sql`select count(distinct ${rollupQueue.day}) as n from ${rollupQueue} where ${inRange(rollupQueue)}`, { n: as.number });

/** Days of the range whose rollups wait for the maintenance job. */
const pendingDaysOf = async (driver: Driver, r: ReportRange) => (await PENDING(driver, rangeValues(r)))[0]!.n;
