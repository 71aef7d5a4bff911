/**
 * Server-side sessions (DEFINITIONS: Session): a visitor's events until 30 minutes pass with no
 * event [GA4, Plausible, Umami]; a landing with a different campaign starts a new session [Matomo].
 * The client's session id is only a hint and is not used.
 *
 * Pure: given the visitor's stored sessions that may touch this batch and the batch's events, it
 * says which session each event belongs to and how each session grows. Late events (an offline
 * queue replayed days later) join the stored session they fall into, or start their own.
 */
export const SESSION_GAP_MS = 30 * 60 * 1000;

export interface KnownSession {
  id: string;
  start: number;
  last: number;
  campaign: string;
  /** whether the stored session has a landing page yet (it may have begun with a non-page event) */
  hasLanding: boolean;
}

export interface SessionEvent {
  ts: number;
  type: string;
  url: string;
  path: string;
  referrer?: string | null;
  data: Record<string, unknown>;
}

/** How one session changes with this batch; `isNew` sessions are inserted, the others updated. */
export interface SessionDelta {
  id: string;
  isNew: boolean;
  start: number;
  last: number;
  campaign: string;
  /** the session's new landing page, when this batch has one earlier than what is stored */
  first?: { ts: number; url: string; path: string; referrer: string | null };
  /** the session's new exit page, when this batch has a page view after what is stored */
  exit?: { ts: number; path: string };
  pageviews: number;
  events: number;
  engagedMs: number;
}

/** `utm_source|utm_medium|utm_campaign` of a landing URL, '' when it carries none. */
export function campaignKey(url: string): string {
  try {
    const q = new URL(url).searchParams;
    const key = ['utm_source', 'utm_medium', 'utm_campaign'].map((k) => (q.get(k) ?? '').trim().toLowerCase());
    return key.some(Boolean) ? key.join('|') : '';
  } catch {
    return '';
  }
}

export function sessionize(
  known: readonly KnownSession[],
  events: readonly SessionEvent[],
  newId: () => string,
): { sessionOf: string[]; deltas: SessionDelta[] } {
  const deltas = new Map<string, SessionDelta>();
  const open: SessionDelta[] = known.map(({ id, start, last, campaign }) => ({
    id, start, last, campaign, isNew: false, pageviews: 0, events: 0, engagedMs: 0,
  }));
  const order = events.map((_, i) => i).sort((a, b) => events[a]!.ts - events[b]!.ts);
  const sessionOf: string[] = new Array(events.length);

  for (const i of order) {
    const e = events[i]!;
    const campaign = e.type === 'pageview' ? campaignKey(e.url) : '';
    let session = open.find(
      (s) =>
        e.ts >= s.start - SESSION_GAP_MS &&
        e.ts <= s.last + SESSION_GAP_MS &&
        // a landing from another campaign after the session's last event starts a new one
        !(campaign && campaign !== s.campaign && e.ts >= s.last),
    );
    if (!session) {
      session = { id: newId(), isNew: true, start: e.ts, last: e.ts, campaign, pageviews: 0, events: 0, engagedMs: 0 };
      open.push(session);
    }
    session.start = Math.min(session.start, e.ts);
    session.last = Math.max(session.last, e.ts);
    session.events++;
    if (e.type === 'pageview') {
      session.pageviews++;
      if (!session.first || e.ts < session.first.ts)
        session.first = { ts: e.ts, url: e.url, path: e.path, referrer: e.referrer ?? null };
      if (!session.exit || e.ts >= session.exit.ts) session.exit = { ts: e.ts, path: e.path };
    } else if (e.type === 'pageleave') {
      session.engagedMs += Number(e.data.engaged) || 0;
    }
    sessionOf[i] = session.id;
    deltas.set(session.id, session);
  }
  // A stored session keeps its landing unless this batch saw an earlier page, and its exit unless a later one.
  for (const stored of known) {
    const d = deltas.get(stored.id);
    if (!d) continue;
    if (d.first && stored.hasLanding && d.first.ts >= stored.start) d.first = undefined;
    if (d.exit && d.exit.ts < stored.last) d.exit = undefined;
  }
  return { sessionOf, deltas: [...deltas.values()] };
}
