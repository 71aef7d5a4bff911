/**
 * The demo's first start: four weeks of the traffic model's visitors (./plan.ts, ./model.ts) sent
 * through the collector's real ingest endpoint — `POST /api/v1/events` of `createApp`, with the demo
 * site's origin, each session's user agent and an address in its visitor's country: validation,
 * enrichment (scrubbing, client, GeoIP, acquisition), sessionization and the store all run as for
 * a browser — then the rollups of every day, so that every report has data when the URLs print.
 *
 * Replay. Ingest refuses events more than 7 days older than its clock (enrich/clock.ts), so four
 * weeks cannot be sent at once. The seeding app's clock is the replay's: sessions go in the order
 * they started, in waves, and during each wave the clock reads the moment its last session ended;
 * each batch says it was sent then (`sentAt`), as the SDK's would. Nothing else differs from the
 * server's app but the rate limits (the seed is one client sending for thousands of visitors) and
 * that it reads the client's address from X-Forwarded-For (an address in the visitor's country).
 * A visitor has at most one session in a wave and waves go one after another, so each visitor's
 * sessions are stored in order (a returning visitor is one with a session before: sessions/).
 *
 * Only an empty database is seeded: once any site has a session, a start seeds nothing.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { WireEvent } from '@kizuna/protocol';
import { MAX_EVENTS_PER_BATCH } from '@kizuna/protocol';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { rollupQueue, sessions } from '../db/schema.ts';
import { as, execute, row } from '../db/sql.ts';
import { createGeo } from '../enrich/geo.ts';
import { Progress } from '../lib/progress.ts';
import { setGoals } from '../sites/goals.ts';
import { generateSession, GOALS, type Emit } from './model.ts';
import { planTraffic, type TrafficPlan } from './plan.ts';
import { Rng } from './random.ts';

const DAY = 86_400_000;
/** Sessions sent at once: the writer stores what waits in one flush (PGlite: up to 1,000 events). */
const WAVE = 160;
/** A request body stays well under the endpoint's 64 KB. */
const MAX_BATCH_BYTES = 48 * 1024;
const UNLIMITED = { perSecond: 1e9, burst: 1e9 };

/**
 * An address in each country of the model (model.ts COUNTRIES), as the offline GeoIP database
 * places it (a test checks them): the seed sends it in X-Forwarded-For, read by a seeding app that
 * trusts it. The address itself is never stored (DEFINITIONS: visitors).
 */
export const COUNTRY_ADDRESSES: Record<string, string> = {
  JP: '126.0.0.1', US: '8.8.8.8', KR: '1.224.0.1', TW: '1.160.0.1', GB: '81.2.69.1',
  DE: '80.128.0.1', SG: '175.156.0.1', AU: '1.120.0.1', FR: '90.0.0.1',
};

export interface SeedOptions {
  db: Db;
  siteId: string;
  /** the demo site's origin: the events' URLs and the requests' Origin */
  origin: string;
  timezone: string;
  /** days of traffic up to now (default 28) */
  days?: number;
  /** about this many events (default {@link DEMO_EVENTS}) */
  events?: number;
  seed?: number;
  now?: number;
  /** draw progress bars on stderr */
  progress?: boolean;
}

export interface SeedResult {
  seeded: boolean;
  visitors: number;
  sessions: number;
  /** events sent, stored (accepted), and refused by ingest (rejected events or failed requests) */
  sent: number;
  accepted: number;
  refused: number;
  /** days whose rollups were computed */
  days: number;
  ms: number;
}

/** What a start on a database that already had sessions seeded. */
export const NOT_SEEDED: SeedResult = { seeded: false, visitors: 0, sessions: 0, sent: 0, accepted: 0, refused: 0, days: 0, ms: 0 };

/** Sized so that the whole seed takes well under a minute on PGlite on a small machine (README: first start). */
export const DEMO_EVENTS = 40_000;

/** Seeds the site when the database holds no session yet; returns what it did. */
export async function seedDemo(o: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  if (await hasSessions(o.db)) return NOT_SEEDED;
  const now = o.now ?? Date.now();
  const days = o.days ?? 28;
  await setGoals(o.db.sql, o.siteId, GOALS, now);
  const plan = planTraffic({ seed: o.seed ?? 16, origin: o.origin, from: now - days * DAY, to: now - 60_000, timezone: o.timezone, events: o.events ?? DEMO_EVENTS });

  const geo = await createGeo();
  let clock = now - days * DAY;
  const app = createApp({ db: o.db, now: () => clock, trustProxy: true, country: (ip) => geo.country(ip), rateLimit: UNLIMITED, siteRateLimit: UNLIMITED });
  const sending = o.progress ? new Progress('seeding ', plan.events, 'events') : undefined;
  const result = { ...NOT_SEEDED, seeded: true, visitors: plan.visitors.length, sessions: plan.sStart.length };

  /** One request, answered 202 with what ingest kept; any other answer stops the seed (a demo must not start half seeded unnoticed). */
  const post = async (batch: WireEvent[], visitor: string, headers: Record<string, string>) => {
    const body = JSON.stringify({ site: o.siteId, visitor, session: randomUUID(), sentAt: clock, events: batch });
    const res = await app.request('/api/v1/events', { method: 'POST', body, headers: { 'content-type': 'text/plain', origin: o.origin, ...headers } });
    const answer = (await res.json()) as { accepted?: number; rejected?: number; error?: string };
    if (res.status !== 202) throw new Error(`the seed's request was refused: ${res.status} ${answer.error ?? ''}`);
    result.accepted += answer.accepted ?? 0;
    result.refused += answer.rejected ?? 0;
  };

  try {
    for (const wave of waves(plan)) {
      const planned = wave.map((s) => sessionOf(plan, s, o.origin));
      // sent as the last session of the wave ends (a second later: the page is hidden, the beacon goes)
      clock = Math.max(clock, ...planned.map((w) => w.events.at(-1)!.ts + 1000));
      await Promise.all(
        planned.map(async ({ visitor, events, ua }) => {
          const address = visitor.country ? COUNTRY_ADDRESSES[visitor.country] : undefined;
          const headers = { 'user-agent': ua, ...(address && { 'x-forwarded-for': address }) };
          for (const batch of batches(events)) await post(batch, visitor.id, headers);
        }),
      );
      result.sent += planned.reduce((n, w) => n + w.events.length, 0);
      sending?.update(result.sent);
    }
  } finally {
    await app.writer.close();
  }
  sending?.finish(result.sent);

  // PGlite has no autovacuum: the rollups' plans need the statistics of the tables as they are now
  await execute(o.db.sql, sql`analyze`);
  result.days = await catchUp(o.db, o.siteId, now, o.progress);
  result.ms = performance.now() - started;
  return result;
}

/** The plan's sessions in the order they start, in waves of at most {@link WAVE}, a visitor at most once in each. */
function* waves(plan: TrafficPlan): Generator<number[]> {
  const order = Array.from(plan.sStart, (_, i) => i).sort((a, b) => plan.sStart[a]! - plan.sStart[b]!);
  let wave: number[] = [];
  const visitors = new Set<number>();
  for (const s of order) {
    if (wave.length === WAVE || visitors.has(plan.sVisitor[s]!)) {
      yield wave;
      wave = [];
      visitors.clear();
    }
    wave.push(s);
    visitors.add(plan.sVisitor[s]!);
  }
  if (wave.length) yield wave;
}

/** A planned session's events as the SDK sends them, its visitor and its user agent. */
function sessionOf(plan: TrafficPlan, s: number, origin: string) {
  const visitor = plan.visitors[plan.sVisitor[s]!]!;
  const events: WireEvent[] = [];
  const collect: Emit = (type, ts, page, referrer, data) =>
    events.push({ id: randomUUID(), type, ts: Math.round(ts), url: page.url, referrer, title: page.title, data } as WireEvent);
  const { ua } = generateSession(new Rng(plan.sSeed[s]!), { origin, visitor, start: plan.sStart[s]!, ordinal: plan.sOrdinal[s]! }, collect);
  return { visitor, events, ua };
}

async function hasSessions(db: Db): Promise<boolean> {
  const found = await row(db.sql, sql`select exists (select 1 from ${sessions}) as any`, { any: as.bool });
  return found!.any;
}

/** The session's events in batches the endpoint takes: at most 200 events and well under 64 KB each. */
function* batches(events: WireEvent[]): Generator<WireEvent[]> {
  let batch: WireEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(JSON.stringify(e));
    if (batch.length && (batch.length === MAX_EVENTS_PER_BATCH || bytes + size > MAX_BATCH_BYTES)) {
      yield batch;
      [batch, bytes] = [[], 0];
    }
    batch.push(e);
    bytes += size;
  }
  if (batch.length) yield batch;
}

/** Recomputes the site's dirty days, a few at a time, with a progress bar; returns how many. */
async function catchUp(db: Db, siteId: string, now: number, progress = false): Promise<number> {
  const pending = await row(db.sql, sql`select count(distinct ${rollupQueue.day}) as n from ${rollupQueue} where ${rollupQueue.siteId} = ${siteId}`, { n: as.number });
  const bar = progress ? new Progress('rollups ', pending!.n, 'days') : undefined;
  let done = 0;
  for (let step; (step = await refreshRollups(db, { siteId, now, limit: 4 })) > 0; ) {
    done += step;
    bar?.update(done);
  }
  bar?.finish(done);
  return done;
}
