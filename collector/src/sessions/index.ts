/**
 * Sessions and visitors of a batch, inside the store's transaction (store/events.ts): the visitor's
 * row is upserted (first / last seen, customer id), the stored sessions that may touch the batch are
 * read, the batch is sessionized against them (./sessionize.ts, pure) and the sessions are written.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { sessions, visitors } from '../db/schema.ts';
import { as, decode, insertRecords, name, names, prepare, recordsJson, type Driver } from '../db/sql.ts';
import type { Source } from '../enrich/acquisition.ts';
import type { EnrichedBatch, EnrichedEvent } from '../enrich/index.ts';
import { SESSION_GAP_MS, sessionize, type SessionDelta } from './sessionize.ts';

export interface Sessionized {
  /** the session id of each event, in the order given */
  sessionOf: string[];
  /** when each session the batch touched starts (its day is marked dirty) */
  starts: number[];
}

/** Sessionizes `events` (the batch's fresh ones) and writes the visitor and the sessions. */
export async function writeSessions(tx: Driver, batch: EnrichedBatch, events: EnrichedEvent[]): Promise<Sessionized> {
  const times = events.map((e) => e.ts);
  const [min, max] = [Math.min(...times), Math.max(...times)];
  const [visitor] = decode(
    await tx.run(UPSERT_VISITOR, {
      site: batch.siteId, visitor: batch.visitorId, min: new Date(min).toISOString(), max: new Date(max).toISOString(),
      customer: batch.customerId ?? null,
    }),
    { prior_first: as.nullable(as.date) },
  );
  const priorFirst = visitor?.prior_first ?? null;
  const known = decode(
    await tx.run(KNOWN_SESSIONS, {
      site: batch.siteId, visitor: batch.visitorId,
      lo: new Date(min - SESSION_GAP_MS).toISOString(), hi: new Date(max + SESSION_GAP_MS).toISOString(),
    }),
    { id: as.text, started_at: as.date, ended_at: as.date, campaign_key: as.text, has_landing: as.bool },
  );
  const { sessionOf, deltas } = sessionize(
    known.map((s) => ({ id: s.id, start: +s.started_at, last: +s.ended_at, campaign: s.campaign_key, hasLanding: s.has_landing })),
    events,
    randomUUID,
  );
  await upsertSessions(tx, batch, deltas, Math.min(priorFirst ? +priorFirst : Infinity, min));
  return { sessionOf, starts: deltas.map((d) => d.start) };
}

const p = (name: string) => sql.placeholder(name);

/**
 * Inserts or widens the visitor's row and returns its first-seen time before this batch (null for a
 * new visitor). Locks the row until commit: concurrent batches of one visitor sessionize in turn.
 */
const UPSERT_VISITOR = prepare(sql`
  with prior as (select ${visitors.firstSeen} from ${visitors} where ${visitors.siteId} = ${p('site')} and ${visitors.id} = ${p('visitor')})
  insert into ${visitors} ${names(visitors.siteId, visitors.id, visitors.firstSeen, visitors.lastSeen, visitors.customerId)}
  values (${p('site')}, ${p('visitor')}, ${p('min')}::timestamptz, ${p('max')}::timestamptz, ${p('customer')})
  on conflict ${names(visitors.siteId, visitors.id)} do update set
    ${name(visitors.firstSeen)} = least(${visitors.firstSeen}, excluded.${name(visitors.firstSeen)}),
    ${name(visitors.lastSeen)} = greatest(${visitors.lastSeen}, excluded.${name(visitors.lastSeen)}),
    ${name(visitors.customerId)} = coalesce(excluded.${name(visitors.customerId)}, ${visitors.customerId})
  returning (select ${name(visitors.firstSeen)} from prior) as prior_first`);

/** The visitor's stored sessions that may take an event between `lo` and `hi`. */
const KNOWN_SESSIONS = prepare(sql`
  select ${sessions.id}, ${sessions.startedAt}, ${sessions.endedAt}, ${sessions.campaignKey}, ${sessions.landingPath} <> '' as has_landing
  from ${sessions}
  where ${sessions.siteId} = ${p('site')} and ${sessions.visitorId} = ${p('visitor')}
    and ${sessions.endedAt} >= ${p('lo')}::timestamptz and ${sessions.startedAt} <= ${p('hi')}::timestamptz`);

/** The columns a session takes from its landing page view: replaced only when the batch brings an earlier landing. */
const LANDING = [
  'source', 'medium', 'campaign', 'channel', 'network', 'inApp', 'landingUrl', 'landingPath', 'referrer',
] as const satisfies readonly (keyof typeof sessions.$inferInsert)[];

const SESSION_RECORD = [
  'id', 'startedAt', 'endedAt', 'exitPath', 'campaignKey', 'pageviews', 'events', 'engagedMs', 'isReturning',
  'device', 'browser', 'os', 'country', ...LANDING,
] as const;

const excluded = (c: keyof typeof sessions.$inferInsert) => sql`excluded.${name(sessions[c])}`;
const set = (c: keyof typeof sessions.$inferInsert, value: ReturnType<typeof sql>) => sql`${name(sessions[c])} = ${value}`;
/** New sessions inserted; a stored one grows (its counts added, its bounds widened, an earlier landing taken). */
const UPSERT_SESSIONS = prepare(sql`
  ${insertRecords(sessions, { siteId: p('site'), visitorId: p('visitor') }, SESSION_RECORD, p('rows'))}
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

async function upsertSessions(tx: Driver, batch: EnrichedBatch, deltas: SessionDelta[], firstSeen: number) {
  const { client } = batch;
  const records = deltas.map((d) => ({
    ...acquisitionColumns(d.first ? batch.acquire(d.first.url, d.first.referrer) : undefined),
    id: d.id,
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
  }));
  await tx.run(UPSERT_SESSIONS, { site: batch.siteId, visitor: batch.visitorId, rows: recordsJson(sessions, SESSION_RECORD, records) });
}

/** A session without a page view yet is Direct until its landing arrives. */
const acquisitionColumns = (a: Source | undefined) => ({
  source: a?.source ?? '',
  medium: a?.medium ?? '',
  campaign: a?.campaign ?? '',
  channel: a?.channel ?? 'Direct',
  network: a?.network ?? null,
  inApp: a?.inApp ?? false,
});
