/**
 * Sessions and visitors of a flush, inside the store's transaction (store/events.ts): every visitor
 * of the flush is upserted (first / last seen, customer id; the lock), their stored sessions that may
 * touch the flush are read in one query, each visitor's fresh events are sessionized against them in
 * one pass (./sessionize.ts, pure) and the sessions are written in one statement.
 *
 * Rows are written in a fixed order (visitors by site and id, sessions by id), so two writers —
 * two collector processes — that touch the same rows lock them in the same order and never deadlock.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { sessions, visitors } from '../db/schema.ts';
import { as, decode, insertRecords, name, names, prepare, recordsJson, type Driver } from '../db/sql.ts';
import type { EnrichedBatch, EnrichedEvent } from '../enrich/index.ts';
import { ACQUISITION_COLUMNS, acquisitionColumns } from '../enrich/session-acquisition.ts';
import { SESSION_GAP_MS, sessionize, type KnownSession, type SessionDelta } from './sessionize.ts';

/** An event of the flush, with the batch it came in (its client and acquisition are that batch's). */
export interface FlushEvent {
  event: EnrichedEvent;
  batch: EnrichedBatch;
  /** the batch's place in the flush (one request may send a batch the flush already holds) */
  at: number;
}

const p = (name: string) => sql.placeholder(name);

/**
 * Inserts or widens the visitors' rows, in (site, id) order, and returns each one's first-seen
 * time before this flush (null for a new visitor). Locks the rows until commit: concurrent writers
 * sessionize one visitor in turn.
 */
const UPSERT_VISITORS = prepare(sql`
  with input as (
    select * from json_to_recordset(${p('rows')}::json)
      as t(site_id text, id text, first_seen timestamptz, last_seen timestamptz, customer_id text)),
  prior as (select ${visitors.siteId}, ${visitors.id}, ${visitors.firstSeen} from ${visitors}
    join input on input.site_id = ${visitors.siteId} and input.id = ${visitors.id})
  insert into ${visitors} ${names(visitors.siteId, visitors.id, visitors.firstSeen, visitors.lastSeen, visitors.customerId)}
  select site_id, id, first_seen, last_seen, customer_id from input order by site_id, id
  on conflict ${names(visitors.siteId, visitors.id)} do update set
    ${name(visitors.firstSeen)} = least(${visitors.firstSeen}, excluded.${name(visitors.firstSeen)}),
    ${name(visitors.lastSeen)} = greatest(${visitors.lastSeen}, excluded.${name(visitors.lastSeen)}),
    ${name(visitors.customerId)} = coalesce(excluded.${name(visitors.customerId)}, ${visitors.customerId})
  returning ${name(visitors.siteId)}, ${name(visitors.id)},
    (select prior.first_seen from prior where prior.site_id = ${visitors.siteId} and prior.id = ${visitors.id}) as prior_first`);

/** The stored sessions of the listed visitors that may take an event between each one's `lo` and `hi`. */
const KNOWN_SESSIONS = prepare(sql`
  select ${sessions.id}, ${sessions.siteId}, ${sessions.visitorId}, ${sessions.startedAt}, ${sessions.endedAt}, ${sessions.campaignKey},
    ${sessions.landingPath} <> '' as has_landing
  from json_to_recordset(${p('visitors')}::json) as v(site_id text, visitor_id text, lo timestamptz, hi timestamptz)
  join ${sessions} on ${sessions.siteId} = v.site_id and ${sessions.visitorId} = v.visitor_id
    and ${sessions.endedAt} >= v.lo and ${sessions.startedAt} <= v.hi`);

/** The columns a session takes from its landing page view: replaced only when the flush brings an earlier landing. */
const LANDING = [
  ...ACQUISITION_COLUMNS, 'landingUrl', 'landingPath', 'referrer',
] as const satisfies readonly (keyof typeof sessions.$inferInsert)[];

const SESSION_RECORD = [
  'id', 'siteId', 'visitorId', 'startedAt', 'endedAt', 'exitPath', 'campaignKey', 'pageviews', 'events', 'engagedMs', 'isReturning',
  'device', 'browser', 'os', 'country', ...LANDING,
] as const;

const excluded = (c: keyof typeof sessions.$inferInsert) => sql`excluded.${name(sessions[c])}`;
const set = (c: keyof typeof sessions.$inferInsert, value: ReturnType<typeof sql>) => sql`${name(sessions[c])} = ${value}`;
/** New sessions inserted; a stored one grows (its counts added, its bounds widened, an earlier landing taken). */
const UPSERT_SESSIONS = prepare(sql`
  ${insertRecords(sessions, {}, SESSION_RECORD, p('rows'))}
  on conflict (${name(sessions.id)}) do update set ${sql.join(
    [
      ...LANDING.map((c) => set(c, sql`case when ${excluded('landingPath')} <> '' then ${excluded(c)} else ${sessions[c]} end`)),
      set('exitPath', sql`case when ${excluded('exitPath')} <> '' then ${excluded('exitPath')} else ${sessions.exitPath} end`),
      set('startedAt', sql`least(${sessions.startedAt}, ${excluded('startedAt')})`),
      set('endedAt', sql`greatest(${sessions.endedAt}, ${excluded('endedAt')})`),
      ...(['pageviews', 'events', 'engagedMs'] as const).map((c) => set(c, sql`${sessions[c]} + ${excluded(c)}`)),
    ],
    sql`, `,
  )}`);

/** One visitor of the flush: its events in arrival order. */
export interface VisitorFlush {
  siteId: string;
  visitorId: string;
  events: FlushEvent[];
  min: number;
  max: number;
  /** the customer id of the visitor's last batch that identified it */
  customerId: string | null;
}

const keyOf = (siteId: string, visitorId: string) => `${siteId}\u0000${visitorId}`;
const byKey = (a: { siteId: string; visitorId: string }, b: { siteId: string; visitorId: string }) =>
  a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : a.visitorId < b.visitorId ? -1 : a.visitorId > b.visitorId ? 1 : 0;
const iso = (t: number) => new Date(t).toISOString();

/** The flush's events by visitor, visitors in (site, id) order: the order their rows are locked in. */
export function visitorsOf(events: FlushEvent[]): VisitorFlush[] {
  const flushes = new Map<string, VisitorFlush>();
  for (const f of events) {
    const { siteId, visitorId } = f.batch;
    const key = keyOf(siteId, visitorId);
    let v = flushes.get(key);
    if (!v) flushes.set(key, (v = { siteId, visitorId, events: [], min: Infinity, max: -Infinity, customerId: null }));
    v.events.push(f);
    v.min = Math.min(v.min, f.event.ts);
    v.max = Math.max(v.max, f.event.ts);
    if (f.batch.customerId) v.customerId = f.batch.customerId;
  }
  return [...flushes.values()].sort(byKey);
}

/** Locks (upserts) the visitors' rows; each one's first-seen time before this flush, null when new. */
export async function lockVisitors(tx: Driver, visitors: VisitorFlush[]): Promise<Map<string, Date | null>> {
  const rows = JSON.stringify(visitors.map((v) => ({ site_id: v.siteId, id: v.visitorId, first_seen: iso(v.min), last_seen: iso(v.max), customer_id: v.customerId })));
  const upserted = decode(await tx.run(UPSERT_VISITORS, { rows }), { site_id: as.text, id: as.text, prior_first: as.nullable(as.date) });
  return new Map(upserted.map((r) => [keyOf(r.site_id, r.id), r.prior_first]));
}

/** The visitors' stored sessions that may take one of their events (sent after {@link lockVisitors}: it sees what the lock waited for). */
export async function storedSessions(tx: Driver, visitors: VisitorFlush[]): Promise<Map<string, KnownSession[]>> {
  const list = JSON.stringify(
    visitors.map((v) => ({ site_id: v.siteId, visitor_id: v.visitorId, lo: iso(v.min - SESSION_GAP_MS), hi: iso(v.max + SESSION_GAP_MS) })),
  );
  const found = decode(await tx.run(KNOWN_SESSIONS, { visitors: list }), {
    id: as.text, site_id: as.text, visitor_id: as.text, started_at: as.date, ended_at: as.date, campaign_key: as.text, has_landing: as.bool,
  });
  const known = new Map<string, KnownSession[]>();
  for (const s of found) {
    const key = keyOf(s.site_id, s.visitor_id);
    known.set(key, [...(known.get(key) ?? []), { id: s.id, start: +s.started_at, last: +s.ended_at, campaign: s.campaign_key, hasLanding: s.has_landing }]);
  }
  return known;
}

export interface Sessionized {
  /** the session of each fresh event, by event id */
  sessionOf: Map<string, string>;
  /** each session the flush touched: its site, time zone and start (its day is marked dirty) */
  starts: { siteId: string; timezone: string; ts: number }[];
  /** the session rows to upsert, by id ({@link writeSessions}) */
  rows: ReturnType<typeof sessionRecord>[];
}

/** Sessionizes each visitor's fresh events against its stored sessions, in one pass (pure). */
export function sessionizeFlush(
  visitors: VisitorFlush[],
  fresh: Set<FlushEvent>,
  prior: Map<string, Date | null>,
  known: Map<string, KnownSession[]>,
): Sessionized {
  const sessionOf = new Map<string, string>();
  const starts: Sessionized['starts'] = [];
  const records: Parameters<typeof sessionRecord>[0][] = [];
  for (const v of visitors) {
    const events = v.events.filter((f) => fresh.has(f));
    if (events.length === 0) continue;
    const key = keyOf(v.siteId, v.visitorId);
    const { sessionOf: ids, deltas } = sessionize(known.get(key) ?? [], events.map((f) => f.event), randomUUID);
    // a session's client is that of the batch of its first event in this flush
    const batchOf = new Map<string, EnrichedBatch>();
    events.forEach((f, i) => {
      sessionOf.set(f.event.id, ids[i]!);
      if (!batchOf.has(ids[i]!)) batchOf.set(ids[i]!, f.batch);
    });
    const before = prior.get(key);
    const firstSeen = Math.min(before ? +before : Infinity, ...events.map((f) => f.event.ts));
    for (const d of deltas) {
      const batch = batchOf.get(d.id)!;
      records.push({ delta: d, batch, firstSeen });
      starts.push({ siteId: v.siteId, timezone: batch.timezone, ts: d.start });
    }
  }
  records.sort((a, b) => (a.delta.id < b.delta.id ? -1 : 1));
  return { sessionOf, starts, rows: records.map(sessionRecord) };
}

/** Upserts the flush's sessions (by id: a fixed lock order). */
export async function writeSessions(tx: Driver, rows: Sessionized['rows']): Promise<void> {
  await tx.run(UPSERT_SESSIONS, { rows: recordsJson(sessions, SESSION_RECORD, rows) });
}

function sessionRecord({ delta: d, batch, firstSeen }: { delta: SessionDelta; batch: EnrichedBatch; firstSeen: number }) {
  const { client } = batch;
  return {
    ...(d.first ? batch.acquire(d.first.url, d.first.referrer) : acquisitionColumns(undefined)),
    id: d.id,
    siteId: batch.siteId,
    visitorId: batch.visitorId,
    startedAt: new Date(d.start),
    endedAt: new Date(d.last),
    landingUrl: d.first?.url ?? '',
    landingPath: d.first?.path ?? '',
    exitPath: d.exit?.path ?? '',
    referrer: d.first?.referrer ?? null,
    campaignKey: d.campaign,
    pageviews: d.pageviews,
    events: d.events,
    engagedMs: d.engagedMs,
    // DEFINITIONS: a returning visitor's session is one whose visitor had a session before it
    isReturning: d.start > firstSeen,
    device: client.device,
    browser: client.browser,
    os: client.os,
    country: client.country,
  };
}
