/**
 * `visitors/:id` (CONTRACT §4): one person's timeline across sessions — the customer journey — and
 * their engagement score. When the visitor has a customer id, every visitor id of that customer
 * (DEFINITIONS: `identify` links every visitor id of a customer) is one person: their sessions are
 * merged into one timeline, and the score is over all of them.
 *
 * Unlike the list reports this reads the raw `sessions` and `events`: it is one person, found by
 * the indexes on (site_id, visitor_id, started_at) and (session_id), so it stays cheap.
 */
import { asc, desc, eq, or, sql } from 'drizzle-orm';
import { events, sessions, sites, visitors } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
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
export async function visitorTimeline(ex: Executor, siteId: string, visitorId: string, now: number): Promise<VisitorTimeline | null> {
  const person = await personOf(ex, siteId, visitorId);
  if (!person) return null;
  const ids = JSON.stringify(person.visitorIds);
  const S = sessions;
  const [found, score] = await Promise.all([
    ex
      .select({
        id: S.id, visitorId: S.visitorId, startedAt: S.startedAt, endedAt: S.endedAt, landingPath: S.landingPath,
        exitPath: S.exitPath, channel: S.channel, source: S.source, pageviews: S.pageviews, engagedMs: S.engagedMs,
      })
      .from(S)
      .where(sql`${S.siteId} = ${siteId} and ${S.visitorId} in (select json_array_elements_text(${ids}::json))`)
      .orderBy(desc(S.startedAt))
      .limit(MAX_SESSIONS + 1),
    personScore(ex, { siteId, timezone: person.timezone }, localDate(now, person.timezone), person.visitorIds),
  ]);
  const shown = found.slice(0, MAX_SESSIONS).reverse();
  const E = events;
  const happened = await ex
    .select({ sessionId: E.sessionId, type: E.type, ts: E.ts, path: E.path, data: E.data })
    .from(E)
    .where(sql`${E.siteId} = ${siteId} and ${E.sessionId} in (select value::uuid from json_array_elements_text(${JSON.stringify(shown.map((s) => s.id))}::json))`)
    .orderBy(asc(E.ts), asc(E.receivedAt))
    .limit(MAX_EVENTS + 1);
  return {
    visitorId,
    customerId: person.customerId,
    visitorIds: person.visitorIds,
    firstSeen: person.firstSeen,
    lastSeen: person.lastSeen,
    score,
    sessions: timelineSessions(shown, happened.slice(0, MAX_EVENTS)),
    truncated: found.length > MAX_SESSIONS || happened.length > MAX_EVENTS,
  };
}

type SessionRow = Pick<typeof sessions.$inferSelect, 'id' | 'visitorId' | 'startedAt' | 'endedAt' | 'landingPath' | 'exitPath' | 'channel' | 'source' | 'pageviews' | 'engagedMs'>;
type EventRow = Pick<typeof events.$inferSelect, 'sessionId' | 'type' | 'ts' | 'path' | 'data'>;

/** The visitor's id, and every other visitor id of their customer; their site's time zone. */
async function personOf(ex: Executor, siteId: string, visitorId: string) {
  const V = visitors;
  const me = ex.select({ customerId: V.customerId }).from(V).where(sql`${V.siteId} = ${siteId} and ${V.id} = ${visitorId}`);
  const found = await ex
    .select({ id: V.id, customerId: V.customerId, firstSeen: V.firstSeen, lastSeen: V.lastSeen, timezone: sites.timezone })
    .from(V)
    .innerJoin(sites, eq(sites.id, V.siteId))
    .where(sql`${V.siteId} = ${siteId} and ${or(eq(V.id, visitorId), eq(V.customerId, sql`(${me})`))}`)
    .orderBy(desc(sql`${V.id} = ${visitorId}`), asc(V.firstSeen));
  const first = found[0];
  if (first?.id !== visitorId) return null;
  return {
    customerId: first.customerId,
    visitorIds: found.map((r) => r.id),
    timezone: first.timezone,
    firstSeen: new Date(Math.min(...found.map((r) => +r.firstSeen))).toISOString(),
    lastSeen: new Date(Math.max(...found.map((r) => +r.lastSeen))).toISOString(),
  };
}

function timelineSessions(shown: SessionRow[], happened: EventRow[]): TimelineSession[] {
  const bySession = new Map<string, TimelineEvent[]>(shown.map((s) => [s.id, []]));
  for (const e of happened) {
    bySession.get(e.sessionId)?.push({ type: e.type, ts: e.ts.toISOString(), path: e.path, data: safeData(e.type, e.data) });
  }
  return shown.map((s) => ({
    id: s.id,
    visitorId: s.visitorId,
    start: s.startedAt.toISOString(),
    end: s.endedAt.toISOString(),
    landing: s.landingPath,
    exit: s.exitPath,
    channel: s.channel,
    source: s.source,
    pageviews: s.pageviews,
    engagedSeconds: s.engagedMs / 1000,
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
