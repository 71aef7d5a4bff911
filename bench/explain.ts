/**
 * Where the time goes: runs the collector's own rollup job for one day (rolled back) or one report,
 * with every SQL statement it sends under `EXPLAIN (ANALYZE, BUFFERS)`, and prints each statement's
 * time (and plan with `--plans`). The statements are caught at the driver (PGlite's `query`,
 * postgres.js's `unsafe`), so what is explained is exactly what the product sends.
 *
 *   npx tsx bench/explain.ts [--database-url postgres://…|--data-dir DIR] [--site bench.example]
 *     --rollup-day 2026-11-20      that day's rollups, explained and rolled back
 *     [--report NAME [--query 'steps=…']]   one report for the 30 days up to today
 *     [--plans [--match TEXT]]
 */
import { PGlite } from '@electric-sql/pglite';
import { and, eq } from 'drizzle-orm';
import { createApp } from '@kizuna/collector/app.ts';
import { refreshRollups } from '@kizuna/collector/aggregate/rollups.ts';
import { openDb, postgresClient, type Db } from '@kizuna/collector/db/index.ts';
import { markDirty } from '@kizuna/collector/db/rollup-queue.ts';
import { rollupQueue } from '@kizuna/collector/db/schema.ts';
import { addDays } from '@kizuna/collector/lib/dates.ts';
import { getSite } from '@kizuna/collector/sites/index.ts';
import { createToken } from '@kizuna/collector/sites/tokens.ts';
import { fmtMs, parseArgs, str } from './lib.ts';

const args = parseArgs();
const siteId = str(args, 'site') ?? 'bench.example';
const plans = args.has('plans');
const match = str(args, 'match');
const url = str(args, 'database-url') ?? process.env.DATABASE_URL;
const dataDir = str(args, 'data-dir');

interface Timed {
  sql: string;
  /** execution time under EXPLAIN ANALYZE (inflated by its per-node timing) */
  ms: number;
  plan: string;
  /** a read's own run, without EXPLAIN */
  wall?: number;
}

/** A driver's way to run a statement: raw rows, each column in order. */
type Run = (text: string, params: unknown[]) => Promise<unknown[][]>;

const ROLLBACK = new Error('rollback');
const log: Timed[] = [];
/** while true, every transaction is rolled back at its end (the rollup job's writes stay unmade) */
let rollingBack = false;

/**
 * Explains `text` (select, with, insert; not the job's own bookkeeping) and tells what to do next:
 * an insert ran under EXPLAIN ANALYZE already and answers no rows; a read is run once more, timed.
 */
async function explain(run: Run, text: string, params: unknown[]): Promise<'ran' | 'time' | 'skip'> {
  const head = text.trimStart().slice(0, 12).toLowerCase();
  if (!/^(select|with|insert)/.test(head) || /pg_|rollup_queue/.test(text.slice(0, 200))) return 'skip';
  const plan = (await run(`explain (analyze, buffers) ${text}`, params)).map((r) => r[0]).join('\n');
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
  log.push({ sql: text, ms, plan });
  return /\binsert\s+into\b/i.test(text) && !/\breturning\b/i.test(text) ? 'ran' : 'time';
}

/** Runs a statement after its EXPLAIN: not at all (an insert ran under EXPLAIN ANALYZE), timed (a read), or as is. */
async function after<T>(what: 'ran' | 'time' | 'skip', run: () => Promise<T>, none: T): Promise<T> {
  if (what === 'ran') return none;
  if (what === 'skip') return run();
  const entry = log.at(-1)!;
  const t = performance.now();
  const result = await run();
  entry.wall = performance.now() - t;
  return result;
}

/** Runs `fn` in the driver's transaction, rolled back at its end when {@link rollingBack}. */
async function maybeRolledBack<T>(begin: (fn: (tx: unknown) => Promise<T>) => Promise<T>, fn: (tx: unknown) => Promise<T>): Promise<T> {
  if (!rollingBack) return begin(fn);
  try {
    await begin(async (tx) => {
      await fn(tx);
      throw ROLLBACK;
    });
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return undefined as T;
}

function explainingPglite(pg: PGlite): PGlite {
  const wrap = <Q extends Pick<PGlite, 'query'>>(target: Q): Q =>
    new Proxy(target, {
      get: (t, key) => {
        if (key === 'query')
          return async (text: string, params: unknown[] = [], options?: Parameters<PGlite['query']>[2]) => {
            const run: Run = async (q, p) => (await t.query<unknown[]>(q, p, { rowMode: 'array' })).rows;
            const what = await explain(run, text, params);
            return after(what, () => t.query(text, params, options), { rows: [], fields: [], affectedRows: 0 });
          };
        if (key === 'transaction')
          return (fn: (tx: unknown) => Promise<unknown>) =>
            maybeRolledBack((f) => (t as unknown as PGlite).transaction((tx) => f(wrap(tx))), fn);
        const value = Reflect.get(t, key);
        return typeof value === 'function' ? value.bind(t) : value;
      },
    });
  return wrap(pg);
}

function explainingPostgres(client: ReturnType<typeof postgresClient>): ReturnType<typeof postgresClient> {
  type Client = ReturnType<typeof postgresClient>;
  const wrap = <C extends Pick<Client, 'unsafe'>>(target: C): C =>
    new Proxy(target, {
      get: (t, key) => {
        if (key === 'unsafe')
          return (text: string, params: unknown[] = [], options?: object) => {
            const run: Run = (q, p) => t.unsafe(q, p as never[]).values() as Promise<unknown[][]>;
            // drizzle either awaits the query (rows as objects) or asks for `.values()` (rows as arrays)
            const answer = async (values: boolean) => {
              const what = await explain(run, text, params);
              return after<unknown>(what, async () => {
                const q = t.unsafe(text, params as never[], options);
                return values ? q.values() : q;
              }, []);
            };
            return { then: (ok: (v: unknown) => unknown, fail: (e: unknown) => unknown) => answer(false).then(ok, fail), values: () => answer(true) };
          };
        if (key === 'begin')
          return (fn: (tx: unknown) => Promise<unknown>) => maybeRolledBack((f) => (t as unknown as Client).begin((tx) => f(wrap(tx))) as never, fn);
        return Reflect.get(t, key);
      },
    });
  return wrap(client);
}

async function openExplaining(): Promise<Db> {
  if (url) return openDb({ postgres: explainingPostgres(postgresClient(url, 2)) });
  if (!dataDir) throw new Error('give --database-url postgres://… or --data-dir DIR (PGlite)');
  return openDb({ pglite: explainingPglite(await PGlite.create(dataDir)) });
}

async function main() {
  const db = await openExplaining();
  const site = await getSite(db.sql, siteId);
  if (!site) throw new Error(`unknown site ${siteId}`);
  log.length = 0; // opening the database is not the subject

  const day = str(args, 'rollup-day');
  const report = str(args, 'report');
  if (day) {
    // mark the day, explain its recomputation (rolled back), then clear the mark
    await markDirty(db.sql, siteId, [day]);
    log.length = 0;
    rollingBack = true;
    const t = performance.now();
    await refreshRollups(db, { siteId, from: day, to: day, limit: 1 });
    rollingBack = false;
    await db.sql.delete(rollupQueue).where(and(eq(rollupQueue.siteId, siteId), eq(rollupQueue.day, day)));
    console.log(`rollups of ${day}: ${fmtMs(performance.now() - t)} ms in all (explained, rolled back)`);
  } else if (report) {
    const token = await createToken(db.sql, siteId);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: site.timezone }).format(Date.now());
    const extra = str(args, 'query');
    log.length = 0;
    const res = await createApp({ db }).request(
      `/api/v1/sites/${siteId}/reports/${report}?from=${addDays(today, -29)}&to=${today}${extra ? '&' + extra : ''}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    console.log(`report ${report}: HTTP ${res.status} (each query explained, then run; times: under EXPLAIN ANALYZE / plain run)`);
  } else {
    throw new Error('give --rollup-day YYYY-MM-DD or --report NAME');
  }

  for (const [i, s] of log.entries()) {
    const first = s.sql.replace(/\s+/g, ' ').trim();
    const what = /insert into "?(\w+)/.exec(first)?.[1] ?? first.slice(0, 100);
    console.log(`${String(i + 1).padStart(2)}. ${fmtMs(s.ms).padStart(9)} ms${s.wall === undefined ? '' : ` / ${fmtMs(s.wall).padStart(7)} ms`}  ${what}`);
    if (plans && (!match || s.sql.includes(match))) console.log(s.plan.replace(/^/gm, '      ') + '\n');
  }
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
