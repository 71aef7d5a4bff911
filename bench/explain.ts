/**
 * Where the time goes: runs the collector's own code on a bench database with every SQL statement
 * it sends preceded by `EXPLAIN (ANALYZE, BUFFERS)` of it, and prints each statement's execution time
 * (and, with --plans, its plan). Reads are then run for real (and timed again, without EXPLAIN's
 * overhead); writes are only explained.
 *
 *   npx tsx bench/explain.ts [--database-url …|--data-dir …] [--site bench.example]
 *     [--rollup-day YYYY-MM-DD]   recompute one site-day's rollups (rolled back afterwards)
 *     [--report NAME [--query 'steps=…']]   one report for the 30 days up to today
 *     [--plans] [--match TEXT]    print the plans (of the statements containing TEXT)
 *
 * Nothing is changed: the rollup transaction is rolled back, reports only read.
 */
import type { Db, Query } from '../collector/src/db/index.ts';
import { refreshRollups } from '../collector/src/aggregate/rollups.ts';
import { createApp } from '../collector/src/app.ts';
import { addDays } from '../collector/src/lib/dates.ts';
import { createToken, getSite } from '../collector/src/sites.ts';
import { openBenchDb } from './db.ts';
import { fmtMs, parseArgs, str } from './lib.ts';

const args = parseArgs();
const siteId = str(args, 'site') ?? 'bench.example';
const plans = args.has('plans');
const match = str(args, 'match');

interface Timed {
  sql: string;
  /** execution time under EXPLAIN ANALYZE (inflated by its per-node timing) */
  ms: number;
  plan: string;
  /** a read's own run, without EXPLAIN */
  wall?: number;
}

/** A query function that explains instead of running (statements other than select/with/insert run as they are). */
function explaining(q: Query, log: Timed[]): Query {
  return (async (text: string, params?: unknown[]) => {
    const head = text.trimStart().slice(0, 12).toLowerCase();
    if (!/^(select|with|insert)/.test(head) || /pg_|rollup_queue/.test(text.slice(0, 200))) return q(text, params);
    const rows = await q<Record<string, string>>(`explain (analyze, buffers) ${text}`, params);
    const plan = rows.map((r) => Object.values(r)[0]).join('\n');
    const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
    if (/\binsert\s+into\b/i.test(text)) {
      log.push({ sql: text, ms, plan });
      return [];
    }
    // a read: run it for real too (the caller needs its rows), timed without EXPLAIN's overhead
    const t = performance.now();
    const result = await q(text, params);
    log.push({ sql: text, ms, plan, wall: performance.now() - t });
    return result;
  }) as Query;
}

const ROLLBACK = new Error('rollback');

async function main() {
  const bench = await openBenchDb(str(args, 'database-url') ?? process.env.DATABASE_URL, str(args, 'data-dir'));
  const { db } = bench;
  const site = await getSite(db, siteId);
  if (!site) throw new Error(`unknown site ${siteId}`);
  const log: Timed[] = [];

  const day = str(args, 'rollup-day');
  const report = str(args, 'report');
  if (day) {
    // put the day first in the queue, explain its recomputation, roll everything back
    const proxy: Db = {
      ...db,
      query: db.query,
      tx: async (fn) => {
        try {
          await db.tx(async (q) => {
            await fn(explaining(q, log));
            throw ROLLBACK;
          });
        } catch (e) {
          if (e !== ROLLBACK) throw e;
        }
        return undefined as never;
      },
    };
    await db.tx(async (q) => {
      await q(`insert into rollup_queue (site_id, day, dirtied_at) values ($1, $2::date, '2000-01-01')
               on conflict (site_id, day) do update set dirtied_at = '2000-01-01'`, [siteId, day]);
    });
    const t = performance.now();
    await refreshRollups(proxy, { siteId, limit: 1 });
    console.log(`rollups of ${day}: ${fmtMs(performance.now() - t)} ms in all (explained, rolled back)`);
    await db.query(`delete from rollup_queue where site_id = $1 and day = $2::date`, [siteId, day]);
  } else if (report) {
    const token = await createToken(db, siteId);
    const proxy: Db = { ...db, query: explaining(db.query, log) };
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: site.timezone }).format(Date.now());
    const extra = str(args, 'query');
    const res = await createApp({ db: proxy }).request(
      `/api/v1/sites/${siteId}/reports/${report}?from=${addDays(today, -29)}&to=${today}${extra ? '&' + extra : ''}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    console.log(`report ${report}: HTTP ${res.status} (each query explained, then run; times: under EXPLAIN ANALYZE / plain run)`);
  } else {
    throw new Error('give --rollup-day YYYY-MM-DD or --report NAME');
  }

  for (const [i, s] of log.entries()) {
    const first = s.sql.replace(/\s+/g, ' ').trim();
    const what = /insert into (\w+)/.exec(first)?.[1] ?? first.slice(0, 100);
    console.log(`${String(i + 1).padStart(2)}. ${fmtMs(s.ms).padStart(9)} ms${s.wall === undefined ? '' : ` / ${fmtMs(s.wall).padStart(7)} ms`}  ${what}`);
    if (plans && (!match || s.sql.includes(match))) console.log(s.plan.replace(/^/gm, '      ') + '\n');
  }
  await bench.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
