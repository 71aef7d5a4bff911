/**
 * Reclassification (`kizuna reclassify`, issue #14): after the acquisition rules or their data
 * change (a new `ACQUISITION_RULES_VERSION`), the sessions of a window are classified again from
 * what they kept of their landing — URL, referrer, user agent — exactly as ingest would classify
 * them now (enrich/session-acquisition.ts). A session whose rules version or result differs is
 * updated; the days of those whose result differs are marked dirty, so the rollup job recomputes
 * their reports.
 *
 * Only days after the retention boundary (sites/retention.ts) are reached: an older day cannot be
 * recomputed (its raw events are partly gone), so its sessions would disagree with its reports.
 *
 * Batches of sessions in (started_at, id) order, each updated and marked in its own transaction: a
 * long run holds no lock for long, and a stopped one can simply be run again. A session whose landing
 * changed since it was read (a late earlier page view) is left to ingest, which classified it anew.
 */
import { and, asc, count, eq, gt, gte, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { markDirty } from '../db/rollup-queue.ts';
import { sessions } from '../db/schema.ts';
import { as, decode, execute, updateRecords, type Executor } from '../db/sql.ts';
import { ACQUISITION_RULES_VERSION } from '../enrich/acquisition.ts';
import { siteHostsOf } from '../enrich/index.ts';
import { ACQUISITION_COLUMNS, acquisitionColumns, type AcquisitionColumns } from '../enrich/session-acquisition.ts';
import { addDays, localDate } from '../lib/dates.ts';
import { NotFound, invalid } from '../lib/errors.ts';
import { getSite, type Site } from '../sites/index.ts';
import { lastPartialDay } from '../sites/retention.ts';

export interface ReclassifyOptions {
  siteId: string;
  /** first local day (`YYYY-MM-DD`, site time zone); moved after the retention boundary when before it */
  from: string;
  /** last local day, inclusive; the site's today by default */
  to?: string;
  now?: number;
  /** sessions read and updated per transaction */
  batchSize?: number;
  /** after each batch: sessions examined so far, and in all */
  onProgress?: (done: number, total: number) => void;
}

/** What a reclassification changed. */
export interface Reclassified {
  /** the local days covered (`from` after the retention boundary) */
  from: string;
  to: string;
  rulesVersion: string;
  /** sessions started in the window */
  sessions: number;
  /** sessions whose acquisition changed */
  changed: number;
  /** sessions whose acquisition stayed and which only took the current rules version */
  versionOnly: number;
  /**
   * sessions left as they were: classified in an in-app browser before sessions kept which one
   * (migration 0006), which the rules could not recognise again
   */
  agentUnknown: number;
  /** sessions with a change of channel, by old → new channel, most first */
  moves: { from: string; to: string; sessions: number }[];
  /** local days marked for their rollups to be recomputed */
  days: string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const S = sessions;
/** What the classification reads, and compares with. */
const READ = {
  id: S.id,
  startedAt: S.startedAt,
  landingUrl: S.landingUrl,
  landingPath: S.landingPath,
  referrer: S.referrer,
  ...Object.fromEntries(ACQUISITION_COLUMNS.map((c) => [c, S[c]])),
} as const;
/** The result: every acquisition column but the rules version (the same by construction when the result is). */
const RESULT = ACQUISITION_COLUMNS.filter((c) => c !== 'rulesVersion');

type Stored = { id: string; startedAt: Date; landingUrl: string; landingPath: string; referrer: string | null } & AcquisitionColumns;

/** Reclassifies a site's sessions started from `from` to `to` (local days) with the current rules. */
export async function reclassify(db: Db, options: ReclassifyOptions): Promise<Reclassified> {
  const now = options.now ?? Date.now();
  const site = await getSite(db.sql, options.siteId);
  if (!site) throw new NotFound(`unknown site: ${options.siteId}`);
  const window = windowOf(site, options.from, options.to ?? localDate(now, site.timezone), now);
  const inWindow = and(
    eq(S.siteId, site.id),
    gte(S.startedAt, sql`(${window.from}::date)::timestamp at time zone ${site.timezone}`),
    lt(S.startedAt, sql`(${addDays(window.to, 1)}::date)::timestamp at time zone ${site.timezone}`),
  );
  const [{ total }] = (await db.sql.select({ total: count() }).from(S).where(inWindow)) as [{ total: number }];
  const result: Reclassified = { ...window, rulesVersion: ACQUISITION_RULES_VERSION, sessions: 0, changed: 0, versionOnly: 0, agentUnknown: 0, moves: [], days: [] };
  const moves = new Map<string, number>();
  const days = new Set<string>();
  const siteHosts = siteHostsOf(site);
  const batchSize = options.batchSize ?? 1000;

  // Keyset pages on (started_at, id): every writer stores started_at from a JavaScript time, in
  // whole milliseconds, so the last row's Date names it exactly.
  for (let after: Stored | undefined; ; ) {
    const batch = (await db.sql
      .select(READ)
      .from(S)
      .where(and(inWindow, after && or(gt(S.startedAt, after.startedAt), and(eq(S.startedAt, after.startedAt), gt(S.id, after.id)))))
      .orderBy(asc(S.startedAt), asc(S.id))
      .limit(batchSize)) as Stored[];
    if (batch.length === 0) break;
    after = batch.at(-1);
    const updates = batch.flatMap((stored) => {
      if (stored.landingPath !== '' && stored.inAppNetwork === null && stored.inApp) {
        result.agentUnknown++;
        return [];
      }
      const landing =
        stored.landingPath === '' ? undefined : { landingUrl: stored.landingUrl, referrer: stored.referrer, userAgent: '', inApp: stored.inAppNetwork, siteHosts };
      const fresh = acquisitionColumns(landing);
      const changed = RESULT.some((c) => stored[c] !== fresh[c]);
      if (!changed && stored.rulesVersion === fresh.rulesVersion) return [];
      return [{ stored, fresh, changed, day: localDate(+stored.startedAt, site.timezone) }];
    });
    const updated = await db.sql.transaction(async (tx) => {
      const ids = await updateSessions(tx, updates.map((u) => ({ id: u.stored.id, landingUrl: u.stored.landingUrl, ...u.fresh })));
      const applied = updates.filter((u) => ids.has(u.stored.id));
      await markDirty(tx, site.id, applied.filter((u) => u.changed).map((u) => u.day));
      return applied;
    });
    for (const { stored, fresh, changed, day } of updated) {
      if (!changed) {
        result.versionOnly++;
        continue;
      }
      result.changed++;
      days.add(day);
      if (stored.channel === fresh.channel) continue;
      const key = JSON.stringify([stored.channel, fresh.channel]);
      moves.set(key, (moves.get(key) ?? 0) + 1);
    }
    result.sessions += batch.length;
    options.onProgress?.(result.sessions, total);
  }
  result.days = [...days].sort();
  result.moves = [...moves]
    .map(([key, n]) => {
      const [from, to] = JSON.parse(key) as [string, string];
      return { from, to, sessions: n };
    })
    .sort((a, b) => b.sessions - a.sessions || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return result;
}

/** What a reclassification changed, as the command-line tool prints it; `requestedFrom` is the `--from` asked for. */
export function describeReclassified(r: Reclassified, requestedFrom: string): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [`sessions started ${r.from} to ${r.to}, rules version ${r.rulesVersion}`];
  if (r.from !== requestedFrom) lines.push(`  (from ${r.from}, not ${requestedFrom}: older days are past the site's retention and cannot be recomputed)`);
  lines.push(`  ${n(r.sessions)} sessions read: ${n(r.changed)} reclassified, ${n(r.versionOnly)} unchanged but for the rules version`);
  if (r.agentUnknown > 0) lines.push(`  ${n(r.agentUnknown)} in-app sessions left as they were: stored before sessions kept their in-app browser`);
  for (const m of r.moves) lines.push(`  ${m.from} → ${m.to}: ${n(m.sessions)}`);
  lines.push(
    r.days.length === 0
      ? '  no report changes'
      : `  ${n(r.days.length)} days marked for their reports to be recomputed (${r.days[0]} to ${r.days.at(-1)})`,
  );
  return lines;
}

/** The local days to cover: `from` to `to`, starting no earlier than the day after the retention boundary. */
function windowOf(site: Site, from: string, to: string, now: number): { from: string; to: string } {
  for (const [field, day] of [['from', from], ['to', to]] as const) {
    const t = Date.parse(`${day}T00:00:00Z`);
    if (!ISO_DATE.test(day) || Number.isNaN(t) || !new Date(t).toISOString().startsWith(day)) throw invalid(field, 'expected a calendar date YYYY-MM-DD');
  }
  if (from > to) throw invalid('from', 'after to');
  const first = addDays(lastPartialDay(site, now), 1);
  return { from: from < first ? first : from, to };
}

/** Writes the new classifications of sessions whose landing URL is still the one classified; the ids updated. */
async function updateSessions(tx: Executor, rows: ({ id: string; landingUrl: string } & AcquisitionColumns)[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const done = decode(await execute(tx, updateRecords(S, ['id', 'landingUrl'], ACQUISITION_COLUMNS, rows)), { id: as.text });
  return new Set(done.map((r) => r.id));
}
