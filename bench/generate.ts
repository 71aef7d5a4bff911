/**
 * Writes N synthetic, realistic events straight into the collector's database (not through HTTP),
 * as ingest would have stored them: events (path folded, session id), event_ids, sessions (30-minute
 * rule, landing / exit, acquisition, client, counts, is_returning) and visitors (first / last
 * seen, customer id). Then marks every site-day dirty and recomputes the rollups, timing both.
 *
 *   npx tsx bench/generate.ts --events 1000000 [--site bench.example] [--days 30] [--seed 1]
 *     [--database-url postgres://…] [--data-dir /tmp/kizuna-bench]  (PGlite when no URL)
 *     [--reset]  (empty the data tables first when the database holds only the bench site)
 *     [--no-vacuum]  (skip the closing VACUUM ANALYZE)
 *     [--rollups-only]  (keep the data, mark every day dirty again and time the rollup job)
 *
 * See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { count, countDistinct, eq, max, min, ne, sql, sum } from 'drizzle-orm';
import { DERIVED_TABLES } from '@kizuna/collector/aggregate/registry.ts';
import { preparePartitions } from '@kizuna/collector/aggregate/retention.ts';
import { refreshRollups } from '@kizuna/collector/aggregate/rollups.ts';
import { botHits, eventIds, events as eventsTable, rollupQueue, sessions, sites, visitors } from '@kizuna/collector/db/schema.ts';
import { markDirty } from '@kizuna/collector/db/rollup-queue.ts';
import { execute, insertRecords } from '@kizuna/collector/db/sql.ts';
import { generateSession, GOALS, TIMEZONE, clientOf, type Emit, type Page } from '@kizuna/collector/demo/model.ts';
import { planTraffic, type TrafficPlan } from '@kizuna/collector/demo/plan.ts';
import { Rng } from '@kizuna/collector/demo/random.ts';
import { ACQUISITION_COLUMNS, acquisitionColumns } from '@kizuna/collector/enrich/session-acquisition.ts';
import { deviceClass } from '@kizuna/collector/enrich/user-agent.ts';
import { localDate } from '@kizuna/collector/lib/dates.ts';
import { fmtDuration, fmtInt, Progress } from '@kizuna/collector/lib/progress.ts';
import { campaignKey } from '@kizuna/collector/sessions/sessionize.ts';
import { setGoals } from '@kizuna/collector/sites/goals.ts';
import { addSite, getSite } from '@kizuna/collector/sites/index.ts';
import { createToken } from '@kizuna/collector/sites/tokens.ts';
import { bulkWriter } from '@kizuna/collector/store/bulk.ts';
import { databaseSize, openBenchDb, type BenchDb } from './db.ts';
import { fmtBytes, num, parseArgs, str } from './lib.ts';

const DAY = 86_400_000;

const args = parseArgs();
const target = Math.round(num(args, 'events', 1_000_000));
const siteId = str(args, 'site') ?? 'bench.example';
const days = num(args, 'days', 30);
const seed = num(args, 'seed', 1);
const url = str(args, 'database-url') ?? process.env.DATABASE_URL;
const dataDir = str(args, 'data-dir');
const timezone = str(args, 'timezone') ?? TIMEZONE;
if (target < 1 || days < 1) throw new Error('--events and --days must be ≥ 1');

const origin = `https://${siteId}`;
const now = Date.now();
const T0 = now - days * DAY;

// ---------------------------------------------------------------------------------------------
// 1. Plan: visitors and their sessions (start, seed), until the sessions hold N events
// ---------------------------------------------------------------------------------------------

function plan(): TrafficPlan {
  const progress = new Progress('planning', target);
  const p = planTraffic({ seed, origin, from: T0, to: now, timezone, events: target, onProgress: (n) => progress.update(n) });
  const ms = progress.finish(p.events);
  console.error(`planned ${fmtInt(p.events)} events in ${fmtInt(p.sStart.length)} sessions of ${fmtInt(p.visitors.length)} visitors (${fmtDuration(ms)})`);
  return p;
}

// ---------------------------------------------------------------------------------------------
// 2. Write
// ---------------------------------------------------------------------------------------------

/** The session columns a bulk write fills (the rest take their defaults). */
const SESSION_KEYS = [
  'id', 'siteId', 'visitorId', 'startedAt', 'endedAt', 'landingUrl', 'landingPath', 'exitPath', 'referrer', 'campaignKey',
  'pageviews', 'events', 'engagedMs', 'isReturning', ...ACQUISITION_COLUMNS, 'device', 'browser', 'os', 'country',
] as const;

const iso = (t: number) => new Date(t).toISOString();

interface Ev {
  type: string;
  ts: number;
  page: Page;
  referrer: string | null;
  data: Record<string, unknown>;
}

async function main() {
  const bench = await openBenchDb(url, dataDir);
  const { db } = bench;
  console.error(`database: ${db.kind === 'postgres' ? url!.replace(/\/\/[^@/]*@/, '//…@') : `PGlite in ${dataDir}`}`);
  const started = performance.now();
  const rollupsOnly = args.has('rollups-only');
  let writeMs = 0;

  if (!rollupsOnly) {
    const [existing] = await db.sql.select({ n: count() }).from(sessions).where(eq(sessions.siteId, siteId));
    if (existing!.n > 0) {
      if (!args.has('reset')) throw new Error(`site ${siteId} already has ${existing!.n} sessions: use a fresh database, --reset or --rollups-only`);
      const [others] = await db.sql.select({ n: count() }).from(sites).where(ne(sites.id, siteId));
      if (others!.n > 0) throw new Error('--reset empties whole tables: only on a database that holds the bench site alone');
      console.error('--reset: emptying the data tables');
      const tables = [eventsTable, eventIds, sessions, visitors, rollupQueue, botHits, ...DERIVED_TABLES];
      await execute(db.sql, sql`truncate ${sql.join(tables.map((t) => sql`${t}`), sql`, `)}`);
    }
    await addSite(db.sql, { id: siteId, origins: [origin], timezone });
    await setGoals(db.sql, siteId, GOALS, now);
    await preparePartitions(db, now);
    writeMs = await load(bench);
    // Statistics, as autovacuum would gather them on a live database; the rollup queries need them.
    const t = performance.now();
    await execute(db.sql, sql`analyze`);
    console.error(`analyze: ${fmtDuration(performance.now() - t)}`);
  }
  const site = await getSite(db.sql, siteId);
  if (!site) throw new Error(`unknown site ${siteId}`);
  const [range] = await db.sql
    .select({
      lo: min(sessions.startedAt),
      hi: max(sessions.endedAt),
      sessions: count(),
      events: sum(sessions.events).mapWith(Number),
      visitors: countDistinct(sessions.visitorId),
    })
    .from(sessions)
    .where(eq(sessions.siteId, siteId));
  if (!range?.sessions) throw new Error(`site ${siteId} has no sessions`);

  // Rollups: every local day of the data dirty (oldest first), bot hits per day, then the job, a day at a time.
  const dayList: string[] = [];
  for (let d = localDate(+range.lo!, site.timezone), guard = 0; d <= localDate(+range.hi!, site.timezone) && guard < 10_000; guard++) {
    dayList.push(d);
    d = new Date(Date.parse(d) + DAY).toISOString().slice(0, 10);
  }
  if (!rollupsOnly) {
    const hits = new Rng(seed + 7);
    await execute(
      db.sql,
      insertRecords(botHits, { siteId }, ['day', 'hits'], dayList.map((day) => ({ day, hits: hits.range(150, 900) }))),
    );
  }
  await markDirty(db.sql, siteId, dayList);
  const rollupStarted = performance.now();
  const perDay: number[] = [];
  for (const day of dayList) {
    const t = performance.now();
    if ((await refreshRollups(db, { siteId, from: day, to: day })) === 0) continue;
    perDay.push(performance.now() - t);
    const total = performance.now() - rollupStarted;
    const eta = (total / perDay.length) * Math.max(0, dayList.length - perDay.length);
    console.error(`rollups ${day} (${perDay.length}/${dayList.length}) ${fmtDuration(perDay.at(-1)!)} · elapsed ${fmtDuration(total)} · ETA ${fmtDuration(eta)}`);
  }
  const rollupMs = performance.now() - rollupStarted;

  // What autovacuum does on a live PostgreSQL (it is off on some servers, and PGlite has none):
  // statistics and visibility maps, so that reports can use index-only scans.
  let t = performance.now();
  if (!args.has('no-vacuum')) await execute(db.sql, sql`vacuum analyze`);
  const vacuumMs = performance.now() - t;

  const token = await createToken(db.sql, siteId);
  const sorted = [...perDay].sort((a, b) => a - b);
  const summary = [
    ['site', `${siteId} (${site.timezone})`],
    ['database', db.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${dataDir})`],
    ['events', fmtInt(range.events)],
    ['sessions', fmtInt(range.sessions)],
    ['visitors', fmtInt(range.visitors)],
    ['data range', `${iso(+range.lo!).slice(0, 16)} → ${iso(+range.hi!).slice(0, 16)} UTC`],
    ['write time', rollupsOnly ? 'skipped (--rollups-only)' : `${fmtDuration(writeMs)} (${fmtInt(range.events / (writeMs / 1000))} events/s, all four tables)`],
    [
      'rollup time',
      `${fmtDuration(rollupMs)} for ${perDay.length} days (median ${fmtDuration(sorted[sorted.length >> 1] ?? 0)}/day, max ${fmtDuration(sorted.at(-1) ?? 0)})`,
    ],
    ['vacuum', args.has('no-vacuum') ? 'skipped (--no-vacuum)' : `vacuum analyze: ${fmtDuration(vacuumMs)}`],
    ['total', fmtDuration(performance.now() - started)],
    ['report token', token],
  ];
  console.log('\n' + summary.map(([k, v]) => `${k!.padEnd(13)} ${v}`).join('\n'));
  const size = await databaseSize(db);
  console.log(`${'db size'.padEnd(13)} ${fmtBytes(size)} (${fmtBytes(size / (range.events / 1e6))} per million events)`);
  await bench.close();
}

/** Plans the visitors and sessions, then writes them with their events; returns the time spent writing. */
async function load(bench: BenchDb): Promise<number> {
  const { db } = bench;
  const p = plan();
  const siteHosts = [new URL(origin).hostname, siteId];
  const order = Array.from(p.sStart, (_, i) => i).sort((a, b) => p.sStart[a]! - p.sStart[b]!);

  // the four tables load in parallel on PostgreSQL, each its own COPY stream
  const [visitorsW, sessionsW, eventsW, idsW] = await Promise.all([
    bulkWriter(db, visitors, ['siteId', 'id', 'firstSeen', 'lastSeen', 'customerId']),
    bulkWriter(db, sessions, SESSION_KEYS, 2000),
    bulkWriter(db, eventsTable, ['id', 'siteId', 'visitorId', 'sessionId', 'type', 'ts', 'receivedAt', 'url', 'path', 'referrer', 'title', 'data']),
    bulkWriter(db, eventIds, ['id', 'ts'], 20_000),
  ]);
  const writers = [visitorsW, sessionsW, eventsW, idsW];
  const flushFull = async () => {
    for (const w of writers) if (w.full) await w.flush();
  };

  for (let v = 0; v < p.visitors.length; v++) {
    const visitor = p.visitors[v]!;
    visitorsW.add({
      siteId, id: visitor.id, firstSeen: new Date(p.vFirst[v]!), lastSeen: new Date(p.vLast[v]!),
      customerId: p.vIdentified[v] ? visitor.customerId : null,
    });
    if (visitorsW.full) await visitorsW.flush();
  }

  const progress = new Progress('writing ', p.events);
  let written = 0;
  let events: Ev[] = [];
  const collect: Emit = (type, ts, page, referrer, data) => void events.push({ type, ts, page, referrer, data });
  for (const i of order) {
    const visitor = p.visitors[p.sVisitor[i]!]!;
    events = [];
    const info = generateSession(new Rng(p.sSeed[i]!), { origin, visitor, start: p.sStart[i]!, ordinal: p.sOrdinal[i]! }, collect);
    const sessionId = randomUUID();
    const vid = visitor.id;
    let pageviews = 0;
    let engagedMs = 0;
    let exitPath = '';
    for (const e of events) {
      const id = randomUUID();
      if (e.type === 'pageview') {
        pageviews++;
        exitPath = e.page.path;
      } else if (e.type === 'pageleave') engagedMs += Number(e.data.engaged) || 0;
      const ts = new Date(e.ts);
      eventsW.add({
        id, siteId, visitorId: vid, sessionId, type: e.type, ts, receivedAt: new Date(e.ts + 400 + (e.ts % 9000)),
        url: e.page.url, path: e.page.path, referrer: e.referrer, title: e.page.title, data: e.data,
      });
      idsW.add({ id, ts });
    }
    const land = events[0]!; // every session starts with its landing page view
    const client = clientOf(info.ua);
    sessionsW.add({
      id: sessionId, siteId, visitorId: vid, startedAt: new Date(land.ts), endedAt: new Date(events[events.length - 1]!.ts),
      landingUrl: land.page.url, landingPath: land.page.path, exitPath, referrer: land.referrer, campaignKey: campaignKey(land.page.url),
      pageviews, events: events.length, engagedMs, isReturning: p.sOrdinal[i]! > 0,
      ...acquisitionColumns({ landingUrl: land.page.url, referrer: land.referrer, userAgent: info.ua, siteHosts }),
      device: deviceClass(visitor.vw, visitor.mobile ? 'mobile' : 'desktop'), browser: client.browser, os: client.os, country: visitor.country,
    });
    written += events.length;
    await flushFull();
    progress.update(written);
  }
  for (const w of writers) await w.close();
  const writeMs = progress.finish(written);
  console.error(`wrote ${fmtInt(written)} events, ${fmtInt(sessionsW.rows)} sessions, ${fmtInt(visitorsW.rows)} visitors in ${fmtDuration(writeMs)} (${fmtInt(written / (writeMs / 1000))} events/s)`);
  return writeMs;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
