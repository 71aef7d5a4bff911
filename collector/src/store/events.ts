/**
 * Stores one visitor's batch in one transaction: the 202 goes out only after it commits.
 *
 * Batch-friendly by design: one statement per table whatever the batch size (the rows travel as
 * one JSON parameter expanded by `json_to_recordset`), the same SQL on PGlite and PostgreSQL. Idempotent: an event id seen before is acknowledged as a
 * duplicate and not stored again (the `event_ids` insert decides, under concurrency too).
 */
import { randomUUID } from 'node:crypto';
import type { Db, Query } from '../db/index.ts';
import { markDirty } from '../aggregate/rollups.ts';
import { SESSION_GAP_MS, sessionize, type KnownSession, type SessionDelta, type SessionEvent } from '../aggregate/sessionize.ts';
import type { Source } from '../enrich/acquisition.ts';

export interface StoredEvent extends SessionEvent {
  id: string;
  title?: string | null;
}

/** The client a batch came from, as enrichment found it: the same for every session it starts. */
export interface Client {
  device: 'mobile' | 'desktop';
  browser: string;
  os: string;
  country: string | null;
}

export interface StoreBatch {
  siteId: string;
  /** the site's time zone: rollups are per local day */
  timezone: string;
  visitorId: string;
  events: StoredEvent[];
  /** customer id from an `identify` event in the batch */
  customerId?: string;
  client: Client;
  /** where a session landing on this URL from this referrer came from */
  acquire: (landingUrl: string, referrer: string | null) => Source;
}

export async function storeBatch(db: Db, batch: StoreBatch): Promise<{ accepted: number; duplicates: number }> {
  if (batch.events.length === 0) return { accepted: 0, duplicates: 0 };
  return db.tx(async (q) => {
    const fresh = await claimIds(q, batch.events);
    const events = batch.events.filter((e) => fresh.has(e.id));
    if (events.length === 0) return { accepted: 0, duplicates: batch.events.length };

    const times = events.map((e) => e.ts);
    const [min, max] = [Math.min(...times), Math.max(...times)];
    // Locks the visitor's row until commit: concurrent batches of one visitor sessionize in turn.
    const [visitor] = await q<{ prior_first: Date | null }>(
      `with prior as (select first_seen from visitors where site_id = $1 and id = $2)
       insert into visitors (site_id, id, first_seen, last_seen, customer_id) values ($1, $2, $3, $4, $5)
       on conflict (site_id, id) do update set first_seen = least(visitors.first_seen, excluded.first_seen),
         last_seen = greatest(visitors.last_seen, excluded.last_seen),
         customer_id = coalesce(excluded.customer_id, visitors.customer_id)
       returning (select first_seen from prior) as prior_first`,
      [batch.siteId, batch.visitorId, new Date(min), new Date(max), batch.customerId ?? null],
    );
    const known = await q<{ id: string; start: Date; last: Date; campaign: string; has_landing: boolean }>(
      `select id, started_at as start, ended_at as last, campaign_key as campaign, landing_path <> '' as has_landing from sessions
       where site_id = $1 and visitor_id = $2 and ended_at >= $3 and started_at <= $4`,
      [batch.siteId, batch.visitorId, new Date(min - SESSION_GAP_MS), new Date(max + SESSION_GAP_MS)],
    );
    const { sessionOf, deltas } = sessionize(
      known.map((s): KnownSession => ({
        id: s.id, start: +new Date(s.start), last: +new Date(s.last), campaign: s.campaign, hasLanding: s.has_landing,
      })),
      events,
      randomUUID,
    );
    const firstSeen = Math.min(visitor?.prior_first ? +new Date(visitor.prior_first) : Infinity, min);
    await upsertSessions(q, batch, deltas, firstSeen);
    await markDirty(q, batch.siteId, batch.timezone, [...times, ...deltas.map((d) => d.start)]);
    await q(
      `insert into events (id, site_id, visitor_id, session_id, type, ts, url, path, referrer, title, data)
       select id, $1, $2, session_id, type, ts, url, path, referrer, title, data
       from json_to_recordset($3::json) as t(id uuid, session_id uuid, type text, ts timestamptz, url text, path text,
         referrer text, title text, data jsonb)`,
      [
        batch.siteId,
        batch.visitorId,
        JSON.stringify(
          events.map((e, i) => ({
            id: e.id, session_id: sessionOf[i], type: e.type, ts: new Date(e.ts), url: e.url, path: e.path,
            referrer: e.referrer ?? null, title: e.title ?? null, data: e.data,
          })),
        ),
      ],
    );
    return { accepted: events.length, duplicates: batch.events.length - events.length };
  });
}

/** Inserts the ids not seen before and returns them. */
async function claimIds(q: Query, events: StoredEvent[]): Promise<Set<string>> {
  const rows = await q<{ id: string }>(
    `insert into event_ids (id, ts) select id, ts from json_to_recordset($1::json) as t(id uuid, ts timestamptz)
     on conflict (id) do nothing returning id`,
    [JSON.stringify(events.map((e) => ({ id: e.id, ts: new Date(e.ts) })))],
  );
  return new Set(rows.map((r) => r.id));
}

async function upsertSessions(q: Query, batch: StoreBatch, deltas: SessionDelta[], firstSeen: number) {
  const { client } = batch;
  const rows = deltas.map((d) => ({
    ...(d.first ? acquisitionColumns(batch.acquire(d.first.url, d.first.referrer)) : acquisitionColumns(undefined)),
    id: d.id,
    started_at: new Date(d.start),
    ended_at: new Date(d.last),
    landing_url: d.first?.url ?? '',
    landing_path: d.first?.path ?? '',
    exit_path: d.exit?.path ?? '',
    referrer: d.first?.referrer ?? null,
    campaign_key: d.campaign,
    pageviews: d.pageviews,
    events: d.events,
    engaged_ms: d.engagedMs,
    // DEFINITIONS: a returning visitor's session is one whose visitor had a session before it
    is_returning: d.start > firstSeen,
    device: client.device,
    browser: client.browser,
    os: client.os,
    country: client.country,
  }));
  await q(
    `insert into sessions as s (id, site_id, visitor_id, started_at, ended_at, landing_url, landing_path, exit_path,
       referrer, campaign_key, pageviews, events, engaged_ms, is_returning, source, medium, campaign, channel, network,
       in_app, device, browser, os, country)
     select id, $1, $2, started_at, ended_at, landing_url, landing_path, exit_path,
       referrer, campaign_key, pageviews, events, engaged_ms, is_returning, source, medium, campaign, channel, network,
       in_app, device, browser, os, country
     from json_to_recordset($3::json) as t(id uuid, started_at timestamptz, ended_at timestamptz, landing_url text,
       landing_path text, exit_path text, referrer text, campaign_key text, pageviews int, events int,
       engaged_ms bigint, is_returning boolean, source text, medium text, campaign text, channel text, network text,
       in_app boolean, device text, browser text, os text, country text)
     on conflict (id) do update set
       source = case when excluded.landing_path <> '' then excluded.source else s.source end,
       medium = case when excluded.landing_path <> '' then excluded.medium else s.medium end,
       campaign = case when excluded.landing_path <> '' then excluded.campaign else s.campaign end,
       channel = case when excluded.landing_path <> '' then excluded.channel else s.channel end,
       network = case when excluded.landing_path <> '' then excluded.network else s.network end,
       in_app = case when excluded.landing_path <> '' then excluded.in_app else s.in_app end,
       landing_url = case when excluded.landing_path <> '' then excluded.landing_url else s.landing_url end,
       landing_path = case when excluded.landing_path <> '' then excluded.landing_path else s.landing_path end,
       referrer = case when excluded.landing_path <> '' then excluded.referrer else s.referrer end,
       exit_path = case when excluded.exit_path <> '' then excluded.exit_path else s.exit_path end,
       started_at = least(s.started_at, excluded.started_at),
       ended_at = greatest(s.ended_at, excluded.ended_at),
       pageviews = s.pageviews + excluded.pageviews,
       events = s.events + excluded.events,
       engaged_ms = s.engaged_ms + excluded.engaged_ms`,
    [batch.siteId, batch.visitorId, JSON.stringify(rows)],
  );
}

/** A session without a page view yet is Direct until its landing arrives. */
const acquisitionColumns = (a: Source | undefined) => ({
  source: a?.source ?? '',
  medium: a?.medium ?? '',
  campaign: a?.campaign ?? '',
  channel: a?.channel ?? 'Direct',
  network: a?.network ?? null,
  in_app: a?.inApp ?? false,
});
