/**
 * The report API (CONTRACT §4), under `/api/v1/sites/:site/`. Each report is a query module in
 * `reports/`; this file only authenticates, parses the range and answers JSON or CSV. Also one
 * visitor's timeline, erasure, and goals.
 *
 * Reports read the rollups as the maintenance job left them (it refreshes dirty days every few
 * seconds): rebuilding a busy day inside a request would cost seconds at scale (bench/README.md).
 * Each answer says how many days of its range are still waiting (`pendingDays`).
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from '../app.ts';
import { goalsOf } from '../aggregate/rollups.ts';
import type { Db } from '../db/index.ts';
import { setGoals } from '../goals.ts';
import { toCsv } from '../lib/csv.ts';
import * as acquisition from '../reports/acquisition.ts';
import * as faq from '../reports/faq.ts';
import * as goals from '../reports/goals.ts';
import * as journeys from '../reports/journeys.ts';
import * as overview from '../reports/overview.ts';
import { parseRange, type ReportRange } from '../reports/range.ts';
import * as usability from '../reports/usability.ts';
import { visitorTimeline } from '../reports/visitor.ts';
import * as visitors from '../reports/visitors.ts';
import { eraseVisitor } from '../store/erase.ts';
import { requireSiteToken, type AuthEnv } from './auth.ts';

type Query = Record<string, string | undefined>;

/** A report: its JSON from the range and the query, and the rows its CSV is made of. */
interface ReportDef<T> {
  run: (db: Db, range: ReportRange, query: Query) => Promise<T>;
  csvRows: (report: T) => readonly object[];
}
const report = <T,>(def: ReportDef<T>) => def as ReportDef<unknown>;

const REPORTS: Record<string, ReportDef<unknown>> = {
  overview: report({ run: overview.overviewReport, csvRows: overview.csvRows }),
  acquisition: report({ run: acquisition.acquisitionReport, csvRows: acquisition.csvRows }),
  usability: report({ run: usability.usabilityReport, csvRows: usability.csvRows }),
  faq: report({ run: faq.faqReport, csvRows: faq.csvRows }),
  visitors: report({
    run: (db, range, query) => visitors.visitorsReport(db, range, visitors.parseVisitorsParams(query)),
    csvRows: visitors.csvRows,
  }),
  journeys: report({ run: (db, range, query) => journeys.journeysReport(db, range, { steps: query.steps }), csvRows: journeys.csvRows }),
  goals: report({ run: goals.goalsReport, csvRows: goals.csvRows }),
};

export function reportRoutes(deps: AppDeps) {
  const app = new Hono<AuthEnv>();
  app.use('/:site/*', requireSiteToken(deps));

  app.get('/:site/reports/:name', async (c) => {
    const name = c.req.param('name');
    const def = REPORTS[name];
    if (!def) throw new HTTPException(404, { message: `unknown report: ${name}` });
    const site = c.get('site');
    const range = parseRange(site.id, site.timezone, c.req.query(), deps.now());
    const [body, pendingDays] = await Promise.all([def.run(deps.db, range, c.req.query()), pendingDaysOf(deps.db, range)]);
    if (c.req.query('format') === 'csv') {
      c.header('Content-Disposition', `attachment; filename="${site.id}-${name}-${range.from}-${range.to}.csv"`);
      return c.body(toCsv(def.csvRows(body)), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    return c.json({ site: site.id, report: name, pendingDays, ...(body as object) });
  });

  app.get('/:site/visitors/:id', async (c) => {
    const site = c.get('site');
    const timeline = await visitorTimeline(deps.db, site.id, c.req.param('id'), deps.now());
    if (!timeline) throw new HTTPException(404, { message: 'unknown visitor' });
    return c.json({ site: site.id, ...timeline });
  });

  // CONTRACT §4: the right to erasure. Answering the counts (zeros too) makes a repeat harmless.
  app.delete('/:site/visitors/:id', async (c) => {
    const site = c.get('site');
    // the visitor's own rows go at once; the days' counts follow with the next rollup refresh
    const erased = await eraseVisitor(deps.db, site.id, c.req.param('id'), deps.now());
    return c.json({ site: site.id, erased });
  });

  app.get('/:site/settings/goals', (c) => c.json({ goals: goalsOf(c.get('site').settings) }));
  app.put('/:site/settings/goals', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { goals?: unknown } | null;
    if (!body || !Array.isArray(body.goals) || !body.goals.every((g) => typeof g === 'string'))
      throw new HTTPException(400, { message: 'invalid goals: expected {"goals": ["Signup", "/thank-you"]}' });
    const stored = await setGoals(deps.db, c.get('site').id, body.goals, deps.now());
    deps.site.forget(c.get('site').id);
    return c.json({ goals: stored });
  });
  return app;
}

/** Days of the range whose rollups wait for the maintenance job. */
async function pendingDaysOf(db: Db, r: ReportRange): Promise<number> {
  const [row] = await db.query<{ n: string | number }>(
    `select count(*) as n from rollup_queue where site_id = $1 and day between $2::date and $3::date`,
    [r.siteId, r.from, r.to],
  );
  return Number(row?.n ?? 0);
}
