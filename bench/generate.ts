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
import { campaignKey } from '../collector/src/aggregate/sessionize.ts';
import { refreshRollups } from '../collector/src/aggregate/rollups.ts';
import { localDate } from '../collector/src/lib/dates.ts';
import { preparePartitions } from '../collector/src/aggregate/retention.ts';
import { classifySource } from '../collector/src/enrich/acquisition.ts';
import { deviceClass } from '../collector/src/enrich/user-agent.ts';
import { addSite, createToken, getSite } from '../collector/src/sites.ts';
import { esc, openBenchDb, pgCopyWriter, pgliteCopyWriter, type BenchDb, type TableWriter } from './db.ts';
import { fmtBytes, fmtDuration, fmtInt, num, parseArgs, Progress, Rng, str } from './lib.ts';
import { clientOf, generateSession, GOALS, makeVisitor, TIMEZONE, type Emit, type Page, type Visitor } from './model.ts';

const DAY = 86_400_000;
const MIN = 60_000;

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

/** Local hour weights (site time zone ≈ JST): quiet nights, a lunch bump, evening peak. */
const HOUR = [3, 2, 1.2, 0.8, 0.6, 0.7, 1.2, 2, 2.8, 3, 3.2, 3.4, 4, 3.5, 3.2, 3.2, 3.3, 3.5, 3.8, 4.2, 4.8, 5.2, 4.8, 4];
const offsetMs = tzOffset(timezone);
function traffic(t: number): number {
  const local = new Date(t + offsetMs);
  const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6 ? 1.15 : 1;
  const growth = 0.85 + 0.3 * ((t - T0) / (now - T0)); // a growing site
  return HOUR[local.getUTCHours()]! * weekend * growth;
}
const MAX_TRAFFIC = 5.2 * 1.15 * 1.15;
function sampleTime(rng: Rng): number {
  for (let i = 0; i < 200; i++) {
    const t = T0 + rng.next() * (now - T0);
    if (rng.next() * MAX_TRAFFIC < traffic(t)) return t;
  }
  return T0 + rng.next() * (now - T0);
}

interface Plan {
  visitors: Visitor[];
  vFirst: number[];
  vLast: number[];
  vIdentified: boolean[];
  sVisitor: number[];
  sStart: number[];
  sSeed: number[];
  sOrdinal: number[];
  events: number;
}

function plan(): Plan {
  const master = new Rng(seed);
  const p: Plan = { visitors: [], vFirst: [], vLast: [], vIdentified: [], sVisitor: [], sStart: [], sSeed: [], sOrdinal: [], events: 0 };
  const customers: string[] = [];
  let count = 0;
  let first = 0;
  let last = 0;
  let identified = false;
  const counting: Emit = (type, ts) => {
    count++;
    last = Math.max(last, ts);
    first = Math.min(first, ts);
    if (type === 'identify') identified = true;
  };
  const progress = new Progress('planning', target);
  for (let guard = 0; p.events < target && guard < 100_000_000; guard++) {
    const vr = new Rng(master.u32());
    // power law: most visitors come once, a few come back often
    const k = Math.min(40, Math.floor(Math.pow(vr.next() || 1e-9, -1 / 1.6)));
    const customer = vr.chance(k >= 2 ? 0.35 : 0.06);
    let customerId: string | undefined;
    if (customer) {
      // a customer seen on another device (cross-device identify) …
      if (customers.length > 10 && vr.chance(0.2)) customerId = customers[customers.length - 1 - vr.int(Math.min(1000, customers.length))];
      else customers.push((customerId = `cus_${(customers.length + 1).toString(36).padStart(6, '0')}`));
    }
    const visitor = makeVisitor(vr, randomUUID(), customerId);
    const starts = Array.from({ length: k }, () => sampleTime(vr)).sort((a, b) => a - b);
    const vi = p.visitors.length;
    let ordinal = 0;
    let prevEnd = -Infinity;
    let vFirst = 0;
    let vLast = 0;
    let vIdentified = false;
    for (const s0 of starts) {
      // a new session only after 30 minutes without an event (DEFINITIONS: session)
      const start = Math.round(Math.max(s0, prevEnd + 30 * MIN + vr.range(1, 180) * MIN));
      if (start > now - 2 * MIN) break;
      const sessionSeed = vr.u32();
      count = 0;
      first = start;
      last = start;
      identified = false;
      generateSession(new Rng(sessionSeed), { origin, visitor, start, ordinal }, counting);
      if (last > now) break; // it would end in the future
      p.sVisitor.push(vi);
      p.sStart.push(start);
      p.sSeed.push(sessionSeed);
      p.sOrdinal.push(ordinal);
      p.events += count;
      if (ordinal === 0) vFirst = first;
      vLast = last;
      vIdentified ||= identified;
      prevEnd = last;
      ordinal++;
      if (p.events >= target) break;
    }
    if (ordinal === 0) continue;
    p.visitors.push(visitor);
    p.vFirst.push(vFirst);
    p.vLast.push(vLast);
    p.vIdentified.push(vIdentified);
    progress.update(p.events);
  }
  const ms = progress.finish(p.events);
  console.error(`planned ${fmtInt(p.events)} events in ${fmtInt(p.sStart.length)} sessions of ${fmtInt(p.visitors.length)} visitors (${fmtDuration(ms)})`);
  return p;
}

// ---------------------------------------------------------------------------------------------
// 2. Write
// ---------------------------------------------------------------------------------------------

const EVENT_COLUMNS = ['id', 'site_id', 'visitor_id', 'session_id', 'type', 'ts', 'received_at', 'url', 'path', 'referrer', 'title', 'data'];
const SESSION_COLUMNS = [
  'id', 'site_id', 'visitor_id', 'started_at', 'ended_at', 'landing_url', 'landing_path', 'exit_path', 'referrer', 'campaign_key',
  'pageviews', 'events', 'engaged_ms', 'is_returning', 'source', 'medium', 'campaign', 'channel', 'network', 'in_app',
  'device', 'browser', 'os', 'country',
];
const VISITOR_COLUMNS = ['site_id', 'id', 'first_seen', 'last_seen', 'customer_id'];

const iso = (t: number) => new Date(t).toISOString();
const bool = (b: boolean) => (b ? 't' : 'f');

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
    const existing = await db.query<{ n: number }>(`select count(*)::int as n from sessions where site_id = $1`, [siteId]);
    if (existing[0]!.n > 0) {
      if (!args.has('reset')) throw new Error(`site ${siteId} already has ${existing[0]!.n} sessions: use a fresh database, --reset or --rollups-only`);
      const others = await db.query<{ n: number }>(`select count(*)::int as n from sites where id <> $1`, [siteId]);
      if (others[0]!.n > 0) throw new Error('--reset empties whole tables: only on a database that holds the bench site alone');
      console.error('--reset: emptying the data tables');
      await db.query(
        `truncate events, event_ids, sessions, visitors, rollup_queue, bot_hits, rollup_days, rollup_visitor_days, rollup_pages,
           rollup_sources, rollup_vitals, rollup_vitals_weeks, rollup_friction, rollup_faq, rollup_searches, rollup_shares, rollup_goals, session_journeys, rollup_journeys, rollup_paths`,
      );
    }
    await addSite(db, { id: siteId, origins: [origin], timezone });
    await db.query(`update sites set settings = $2::jsonb where id = $1`, [siteId, JSON.stringify({ goals: GOALS })]);
    await preparePartitions(db, now);
    writeMs = await load(bench);
    // Statistics, as autovacuum would gather them on a live database; the rollup queries need them.
    const t = performance.now();
    await db.query('analyze');
    console.error(`analyze: ${fmtDuration(performance.now() - t)}`);
  }
  const site = await getSite(db, siteId);
  if (!site) throw new Error(`unknown site ${siteId}`);
  const [range] = await db.query<{ lo: number; hi: number; events: number; sessions: number; visitors: number }>(
    `select extract(epoch from min(started_at)) * 1000 as lo, extract(epoch from max(ended_at)) * 1000 as hi, count(*)::int as sessions,
       sum(events)::int as events, count(distinct visitor_id)::int as visitors from sessions where site_id = $1`,
    [siteId],
  );
  if (!range?.sessions) throw new Error(`site ${siteId} has no sessions`);

  // Rollups: every local day of the data dirty (oldest first), bot hits per day, then the job, a day at a time.
  const dayList: string[] = [];
  for (let d = localDate(Number(range.lo), site.timezone), guard = 0; d <= localDate(Number(range.hi), site.timezone) && guard < 10_000; guard++) {
    dayList.push(d);
    d = new Date(Date.parse(d) + DAY).toISOString().slice(0, 10);
  }
  if (!rollupsOnly) {
    const hits = new Rng(seed + 7);
    await db.query(
      `insert into bot_hits (site_id, day, hits) select $1, d::date, h from json_to_recordset($2::json) as t(d text, h int)
       on conflict (site_id, day) do update set hits = excluded.hits`,
      [siteId, JSON.stringify(dayList.map((d) => ({ d, h: hits.range(150, 900) })))],
    );
  }
  await db.query(
    `insert into rollup_queue (site_id, day, version, dirtied_at)
     select $1, d::date, 1, now() - interval '1 hour' + n * interval '1 ms' from json_array_elements_text($2::json) with ordinality as t(d, n)
     on conflict (site_id, day) do update set version = rollup_queue.version + 1, dirtied_at = excluded.dirtied_at`,
    [siteId, JSON.stringify(dayList)],
  );
  const rollupStarted = performance.now();
  const perDay: number[] = [];
  for (let i = 0; i < dayList.length + 5; i++) {
    const [next] = await db.query<{ day: string }>(
      `select to_char(day, 'YYYY-MM-DD') as day from rollup_queue where site_id = $1 order by dirtied_at limit 1`,
      [siteId],
    );
    if (!next) break;
    const t = performance.now();
    const n = await refreshRollups(db, { siteId, limit: 1 });
    if (n === 0) break;
    perDay.push(performance.now() - t);
    const total = performance.now() - rollupStarted;
    const eta = (total / perDay.length) * Math.max(0, dayList.length - perDay.length);
    console.error(`rollups ${next.day} (${perDay.length}/${dayList.length}) ${fmtDuration(perDay.at(-1)!)} · elapsed ${fmtDuration(total)} · ETA ${fmtDuration(eta)}`);
  }
  const rollupMs = performance.now() - rollupStarted;

  // What autovacuum does on a live PostgreSQL (it is off on some servers, and PGlite has none):
  // statistics and visibility maps, so that reports can use index-only scans.
  let t = performance.now();
  if (!args.has('no-vacuum')) await db.query('vacuum analyze');
  const vacuumMs = performance.now() - t;

  const token = await createToken(db, siteId);
  const sorted = [...perDay].sort((a, b) => a - b);
  const summary = [
    ['site', `${siteId} (${site.timezone})`],
    ['database', db.kind === 'postgres' ? 'PostgreSQL' : `PGlite (${dataDir})`],
    ['events', fmtInt(range.events)],
    ['sessions', fmtInt(range.sessions)],
    ['visitors', fmtInt(range.visitors)],
    ['data range', `${iso(Number(range.lo)).slice(0, 16)} → ${iso(Number(range.hi)).slice(0, 16)} UTC`],
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
  const [size] = await db.query<{ bytes: string }>(`select pg_database_size(current_database())::bigint as bytes`);
  console.log(`${'db size'.padEnd(13)} ${fmtBytes(Number(size!.bytes))} (${fmtBytes(Number(size!.bytes) / (range.events / 1e6))} per million events)`);
  await bench.close();
}

/** Plans the visitors and sessions, then writes them with their events; returns the time spent writing. */
async function load(bench: BenchDb): Promise<number> {
  const { db } = bench;
  const p = plan();
  const siteHosts = [new URL(origin).hostname, siteId];
  const order = Array.from(p.sStart, (_, i) => i).sort((a, b) => p.sStart[a]! - p.sStart[b]!);

  const writers: TableWriter[] = bench.sql
    ? await Promise.all([
        pgCopyWriter(bench.sql, 'visitors', VISITOR_COLUMNS),
        pgCopyWriter(bench.sql, 'sessions', SESSION_COLUMNS),
        pgCopyWriter(bench.sql, 'events', EVENT_COLUMNS),
        pgCopyWriter(bench.sql, 'event_ids', ['id', 'ts']),
      ])
    : [
        pgliteCopyWriter(db, 'visitors', VISITOR_COLUMNS),
        pgliteCopyWriter(db, 'sessions', SESSION_COLUMNS, 2000),
        pgliteCopyWriter(db, 'events', EVENT_COLUMNS),
        pgliteCopyWriter(db, 'event_ids', ['id', 'ts'], 20_000),
      ];
  const [visitorsW, sessionsW, eventsW, idsW] = writers as [TableWriter, TableWriter, TableWriter, TableWriter];
  const flushFull = async () => {
    for (const w of writers) if (w.full) await w.flush();
  };

  for (let v = 0; v < p.visitors.length; v++) {
    const visitor = p.visitors[v]!;
    visitorsW.add(`${siteId}\t${visitor.id}\t${iso(p.vFirst[v]!)}\t${iso(p.vLast[v]!)}\t${p.vIdentified[v] ? esc(visitor.customerId) : '\\N'}\n`);
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
      const ts = iso(e.ts);
      eventsW.add(
        `${id}\t${siteId}\t${vid}\t${sessionId}\t${e.type}\t${ts}\t${iso(e.ts + 400 + (e.ts % 9000))}\t${esc(e.page.url)}\t${esc(e.page.path)}\t${esc(e.referrer)}\t${esc(e.page.title)}\t${esc(JSON.stringify(e.data))}\n`,
      );
      idsW.add(`${id}\t${ts}\n`);
    }
    const land = events[0]!; // every session starts with its landing page view
    const a = classifySource({ landingUrl: land.page.url, referrer: land.referrer, userAgent: info.ua, siteHosts });
    const client = clientOf(info.ua);
    sessionsW.add(
      [
        sessionId, siteId, vid, iso(land.ts), iso(events[events.length - 1]!.ts), esc(land.page.url), esc(land.page.path), esc(exitPath),
        esc(land.referrer), esc(campaignKey(land.page.url)), pageviews, events.length, engagedMs, bool(p.sOrdinal[i]! > 0),
        esc(a.source), esc(a.medium), esc(a.campaign), a.channel, esc(a.network), bool(a.inApp),
        deviceClass(visitor.vw, visitor.mobile ? 'mobile' : 'desktop'), esc(client.browser), esc(client.os), esc(visitor.country),
      ].join('\t') + '\n',
    );
    written += events.length;
    await flushFull();
    progress.update(written);
  }
  for (const w of writers) await w.close();
  const writeMs = progress.finish(written);
  console.error(`wrote ${fmtInt(written)} events, ${fmtInt(sessionsW.rows)} sessions, ${fmtInt(visitorsW.rows)} visitors in ${fmtDuration(writeMs)} (${fmtInt(written / (writeMs / 1000))} events/s)`);
  return writeMs;
}

/** The UTC offset of a time zone now, ms (for the traffic curve only). */
function tzOffset(tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    .formatToParts(Date.now())
    .reduce<Record<string, number>>((o, p) => ((o[p.type] = Number(p.value)), o), {});
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return Math.round((local - Date.now()) / MIN) * MIN;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
