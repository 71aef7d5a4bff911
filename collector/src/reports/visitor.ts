/**
 * `visitors/:id` (CONTRACT §4): one person's timeline across sessions — the customer journey — and
 * their engagement score. When the visitor has a customer id, every visitor id of that customer
 * (DEFINITIONS: `identify` links every visitor id of a customer) is one person: their sessions are
 * merged into one timeline, and the score is over all of them.
 *
 * Unlike the list reports this reads the raw `sessions` and `events`: it is one person, found by
 * the indexes on (site_id, visitor_id, started_at) and (session_id), so it stays cheap.
 */
import { sql } from 'drizzle-orm';
import { events, sessions, sites, visitors } from '../db/schema.ts';
import { as, query, type Driver } from '../db/sql.ts';
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
  landingPath: string;
  exitPath: string;
  channel: string;
  source: string;
  pageviews: number;
  engagedTimeMs: number;
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
  /** oldest first (`sessions` is a count in every report) */
  sessionList: TimelineSession[];
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

const S = sessions;
const E = events;
const V = visitors;
const p = (name: string) => sql.placeholder(name);

const SESSIONS = query(
  sql`select ${S.id}, ${S.visitorId}, ${S.startedAt}, ${S.endedAt}, ${S.landingPath}, ${S.exitPath}, ${S.channel}, ${S.source},
      ${S.pageviews}, ${S.engagedMs}
    from ${S} where ${S.siteId} = ${p('site')} and ${S.visitorId} in (select json_array_elements_text(${p('ids')}::json))
    order by ${S.startedAt} desc limit ${MAX_SESSIONS + 1}`,
  {
    id: as.text, visitor_id: as.text, started_at: as.date, ended_at: as.date, landing_path: as.text, exit_path: as.text,
    channel: as.text, source: as.text, pageviews: as.number, engaged_ms: as.number,
  },
);
const EVENTS = query(
  sql`select ${E.sessionId}, ${E.type}, ${E.ts}, ${E.path}, ${E.data} from ${E}
    where ${E.siteId} = ${p('site')} and ${E.sessionId} in (select value::uuid from json_array_elements_text(${p('sessions')}::json))
    order by ${E.ts}, ${E.receivedAt} limit ${MAX_EVENTS + 1}`,
  { session_id: as.text, type: as.text, ts: as.date, path: as.text, data: as.json<Record<string, unknown>>() },
);
/** The visitor, and every other visitor id of their customer (the visitor first); their site's time zone. */
const PERSON = query(
  sql`with me as (select ${V.customerId} from ${V} where ${V.siteId} = ${p('site')} and ${V.id} = ${p('visitor')})
    select ${V.id}, ${V.customerId}, ${V.firstSeen}, ${V.lastSeen}, ${sites.timezone} from ${V} join ${sites} on ${sites.id} = ${V.siteId}
    where ${V.siteId} = ${p('site')} and (${V.id} = ${p('visitor')} or ${V.customerId} = (select customer_id from me))
    order by ${V.id} = ${p('visitor')} desc, ${V.firstSeen}`,
  { id: as.text, customer_id: as.nullable(as.text), first_seen: as.date, last_seen: as.date, timezone: as.text },
);

type SessionRow = Awaited<ReturnType<typeof SESSIONS>>[number];
type EventRow = Awaited<ReturnType<typeof EVENTS>>[number];

/** The timeline of a visitor, or null when the site has no such visitor. `now` sets the score's window. */
export async function visitorTimeline(driver: Driver, siteId: string, visitorId: string, now: number): Promise<VisitorTimeline | null> {
  const person = await PERSON(driver, { site: siteId, visitor: visitorId });
  const me = person[0];
  if (me?.id !== visitorId) return null;
  const visitorIds = person.map((r) => r.id);
  const [found, score] = await Promise.all([
    SESSIONS(driver, { site: siteId, ids: JSON.stringify(visitorIds) }),
    personScore(driver, { siteId, timezone: me.timezone }, localDate(now, me.timezone), visitorIds),
  ]);
  const shown = found.slice(0, MAX_SESSIONS).reverse();
  const happened = await EVENTS(driver, { site: siteId, sessions: JSON.stringify(shown.map((s) => s.id)) });
  return {
    visitorId,
    customerId: me.customer_id,
    visitorIds,
    firstSeen: new Date(Math.min(...person.map((r) => +r.first_seen))).toISOString(),
    lastSeen: new Date(Math.max(...person.map((r) => +r.last_seen))).toISOString(),
    score,
    sessionList: timelineSessions(shown, happened.slice(0, MAX_EVENTS)),
    truncated: found.length > MAX_SESSIONS || happened.length > MAX_EVENTS,
  };
}

function timelineSessions(shown: SessionRow[], happened: EventRow[]): TimelineSession[] {
  const bySession = new Map<string, TimelineEvent[]>(shown.map((s) => [s.id, []]));
  for (const e of happened) {
    bySession.get(e.session_id)?.push({ type: e.type, ts: e.ts.toISOString(), path: e.path, data: safeData(e.type, e.data) });
  }
  return shown.map((s) => ({
    id: s.id,
    visitorId: s.visitor_id,
    start: s.started_at.toISOString(),
    end: s.ended_at.toISOString(),
    landingPath: s.landing_path,
    exitPath: s.exit_path,
    channel: s.channel,
    source: s.source,
    pageviews: s.pageviews,
    engagedTimeMs: s.engaged_ms,
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
