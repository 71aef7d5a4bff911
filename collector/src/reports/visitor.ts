/**
 * `visitors/:id` (CONTRACT §4): one person's timeline across sessions — the customer journey — and
 * their engagement score. When the visitor has a customer id, every visitor id of that customer
 * (DEFINITIONS: `identify` links every visitor id of a customer) is one person: their sessions are
 * merged into one timeline, and the score is over all of them.
 *
 * Unlike the list reports this reads the raw `sessions` and `events`: it is one person, found by
 * the indexes on (site_id, visitor_id, started_at) and (session_id), so it stays cheap.
 */
import type { Db } from '../db/index.ts';
import { localDate } from '../lib/dates.ts';
import { personScore } from './visitors.ts';

/** The latest sessions shown; older ones are left out and `truncated` says so. */
export const MAX_SESSIONS = 100;
/** Events shown over those sessions, oldest first (a runaway page could send thousands). */
export const MAX_EVENTS = 5000;

export interface TimelineEvent {
  type: string;
  /** ISO instant */
  ts: string;
  /** the page path (query string dropped, ids folded), never the full URL: queries may carry personal data */
  path: string;
  /** the safe subset of the event's data (see {@link SAFE_DATA}) */
  data: Record<string, unknown>;
}

export interface TimelineSession {
  id: string;
  /** which of the person's visitor ids (devices) it came from */
  visitorId: string;
  start: string;
  end: string;
  landing: string;
  exit: string;
  channel: string;
  source: string;
  pageviews: number;
  engagedSeconds: number;
  events: TimelineEvent[];
}

export interface VisitorTimeline {
  visitorId: string;
  customerId: string | null;
  /** every visitor id of the person: the requested one, and the customer's others */
  visitorIds: string[];
  firstSeen: string;
  lastSeen: string;
  /** over the 30 days up to today in the site's time zone, all the person's visitor ids together; null when not seen then */
  score: Awaited<ReturnType<typeof personScore>>;
  /** oldest first */
  sessions: TimelineSession[];
  /** sessions or events were left out (more than {@link MAX_SESSIONS} / {@link MAX_EVENTS}) */
  truncated: boolean;
}

/**
 * Keys of `data` shown per event type. Left out: identify traits (names, e-mails …), and the query
 * string of outbound links; everything else a report already shows in aggregate.
 */
const SAFE_DATA: Record<string, readonly string[]> = {
  pageview: ['nav', 'notFound'],
  pageleave: ['engaged', 'scroll'],
  vital: ['name', 'value', 'rating'],
  timing: ['ttfb', 'load', 'status'],
  friction: ['kind', 'selector', 'count'],
  faq: ['action', 'article', 'title', 'query', 'results', 'helpful'],
  support: ['via'],
  share: ['network'],
  outbound: ['url'],
  custom: ['name', 'props'],
  identify: ['customer'],
  nps: ['score', 'comment'],
  error: ['message'],
};

/** The timeline of a visitor, or null when the site has no such visitor. `now` sets the score's window. */
export async function visitorTimeline(db: Db, siteId: string, visitorId: string, now: number): Promise<VisitorTimeline | null> {
  const person = await personOf(db, siteId, visitorId);
  if (!person) return null;
  const ids = JSON.stringify(person.visitorIds);
  const [sessions, score] = await Promise.all([
    db.query<SessionRow>(
      `select id, visitor_id, started_at, ended_at, landing_path, exit_path, channel, source, pageviews, engaged_ms
       from sessions where site_id = $1 and visitor_id in (select json_array_elements_text($2::json))
       order by started_at desc limit $3`,
      [siteId, ids, MAX_SESSIONS + 1],
    ),
    personScore(db, { siteId, timezone: person.timezone }, localDate(now, person.timezone), person.visitorIds),
  ]);
  const shown = sessions.slice(0, MAX_SESSIONS).reverse();
  const events = await db.query<EventRow>(
    `select session_id, type, ts, path, data from events
     where site_id = $1 and session_id in (select value::uuid from json_array_elements_text($2::json))
     order by ts, received_at limit $3`,
    [siteId, JSON.stringify(shown.map((s) => s.id)), MAX_EVENTS + 1],
  );
  return {
    visitorId,
    customerId: person.customerId,
    visitorIds: person.visitorIds,
    firstSeen: person.firstSeen,
    lastSeen: person.lastSeen,
    score,
    sessions: timelineSessions(shown, events.slice(0, MAX_EVENTS)),
    truncated: sessions.length > MAX_SESSIONS || events.length > MAX_EVENTS,
  };
}

interface SessionRow {
  id: string;
  visitor_id: string;
  started_at: Date | string;
  ended_at: Date | string;
  landing_path: string;
  exit_path: string;
  channel: string;
  source: string;
  pageviews: number;
  engaged_ms: number | string;
}

interface EventRow {
  session_id: string;
  type: string;
  ts: Date | string;
  path: string;
  data: Record<string, unknown>;
}

/** The visitor's id, and every other visitor id of their customer; their site's time zone. */
async function personOf(db: Db, siteId: string, visitorId: string) {
  const rows = await db.query<{ id: string; customer_id: string | null; first_seen: Date | string; last_seen: Date | string; timezone: string }>(
    `with me as (select customer_id from visitors where site_id = $1 and id = $2)
     select v.id, v.customer_id, v.first_seen, v.last_seen, s.timezone from visitors v join sites s on s.id = v.site_id
     where v.site_id = $1 and (v.id = $2 or v.customer_id = (select customer_id from me))
     order by v.id = $2 desc, v.first_seen`,
    [siteId, visitorId],
  );
  const me = rows[0];
  if (me?.id !== visitorId) return null;
  return {
    customerId: me.customer_id,
    visitorIds: rows.map((r) => r.id),
    timezone: me.timezone,
    firstSeen: new Date(Math.min(...rows.map((r) => +new Date(r.first_seen)))).toISOString(),
    lastSeen: new Date(Math.max(...rows.map((r) => +new Date(r.last_seen)))).toISOString(),
  };
}

function timelineSessions(sessions: SessionRow[], events: EventRow[]): TimelineSession[] {
  const bySession = new Map<string, TimelineEvent[]>(sessions.map((s) => [s.id, []]));
  for (const e of events) {
    bySession.get(e.session_id)?.push({ type: e.type, ts: new Date(e.ts).toISOString(), path: e.path, data: safeData(e.type, e.data) });
  }
  return sessions.map((s) => ({
    id: s.id,
    visitorId: s.visitor_id,
    start: new Date(s.started_at).toISOString(),
    end: new Date(s.ended_at).toISOString(),
    landing: s.landing_path,
    exit: s.exit_path,
    channel: s.channel,
    source: s.source,
    pageviews: Number(s.pageviews),
    engagedSeconds: Number(s.engaged_ms) / 1000,
    events: bySession.get(s.id)!,
  }));
}

function safeData(type: string, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SAFE_DATA[type] ?? []) if (data[key] !== undefined) out[key] = data[key];
  if (typeof out.url === 'string') out.url = withoutQuery(out.url);
  return out;
}

const withoutQuery = (url: string) => url.replace(/[?#].*$/s, '');
