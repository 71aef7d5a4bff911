/**
 * What the CLI's commands do to the database, as one function of an `Op` (./spec.ts): run by the CLI
 * on a database it opened itself, or by the running collector for it (./admin.ts), so that both do
 * the same. The result is plain data (it crosses HTTP): the lines to print, and which site changed
 * (the collector forgets its cached copy) or has days to recompute (the CLI waits for them).
 */
import { and, countDistinct, eq, lte, max } from 'drizzle-orm';
import { describeReclassified, reclassify } from '../aggregate/reclassify.ts';
import { erase } from '../aggregate/erase.ts';
import type { Db } from '../db/index.ts';
import { rollupQueue } from '../db/schema.ts';
import type { Executor } from '../db/sql.ts';
import { createSite, getSite, listSites, updateSite, type SiteChange } from '../sites/index.ts';
import { removeSite } from '../sites/remove.ts';
import { setRetention } from '../sites/retention.ts';
import { createToken, listTokens, revokeToken } from '../sites/tokens.ts';
import type { Op } from './spec.ts';

export interface OpResult {
  lines: string[];
  /** a site whose row changed: its origins before and after, for the origin cache */
  changed?: { siteId: string; origins: string[] };
  /** a site with `days` days marked for recomputation, up to this mark (newer ones are new traffic: not waited for) */
  recompute?: { siteId: string; upTo: number; days: number };
}

type A = Record<string, any>;
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');

const OPS: Record<string, (db: Db, a: A, onProgress?: (n: number, total: number) => void) => Promise<OpResult>> = {
  'site.add': async (db, a) => {
    const s = await createSite(db.sql, { id: a.id, origins: a.origins, timezone: a.timezone });
    return { lines: [`site ${s.id}: origins ${s.origins.join(', ')}, time zone ${s.timezone}`], changed: { siteId: s.id, origins: s.origins } };
  },
  // One transaction: its marks are counted before the collector's rollup job can see them (and
  // delete them as it recomputes), so the CLI knows how many days it waits for.
  'site.update': (db, a) =>
    db.sql.transaction(async (tx) => {
      const before = await getSite(tx, a.id);
      const s = await updateSite(tx, a.id, a.change as SiteChange);
      const { rateLimit, acceptServerSide } = s.settings;
      const upTo = before && before.timezone !== s.timezone ? await lastMark(tx, s.id) : undefined;
      return {
        lines: [
          `site ${s.id}: origins ${s.origins.join(', ')}, time zone ${s.timezone}` +
            (rateLimit ? `, rate limit ${rateLimit.perSecond}/${rateLimit.burst}` : '') +
            `, server-side events ${acceptServerSide ? 'on' : 'off'}`,
        ],
        changed: { siteId: s.id, origins: [...new Set([...(before?.origins ?? []), ...s.origins])] },
        recompute: upTo === undefined ? undefined : { siteId: s.id, upTo, days: await pendingDays(tx, s.id, upTo) },
      };
    }),
  'site.list': async (db) => ({
    lines: (await listSites(db.sql)).map((s) => `${s.id}\t${s.timezone}\t${s.retentionDays} days\t${s.origins.join(' ')}`),
  }),
  'site.remove': async (db, a) => {
    const before = await getSite(db.sql, a.id);
    const removed = await removeSite(db.sql, a.id);
    const what = Object.entries(removed).map(([table, n]) => `${n} ${table}`);
    return { lines: [`site ${a.id} removed${what.length ? `: ${what.join(', ')}` : ''}`], changed: { siteId: a.id, origins: before?.origins ?? [] } };
  },
  'site.retention': async (db, a) => {
    const days = await setRetention(db.sql, a.id, a.days);
    return { lines: [`site ${a.id}: raw events, sessions, visitors and rollups with text kept ${days} days`], changed: { siteId: a.id, origins: [] } };
  },
  'token.create': async (db, a) => ({ lines: [await createToken(db.sql, { siteId: a.siteId, label: a.label, expires: a.expires })] }),
  'token.list': async (db) => ({
    lines: [
      'id\tsite\tlabel\tcreated\tlast used\texpires',
      ...(await listTokens(db.sql)).map((t) => [t.id, t.siteId, t.label || '-', day(t.createdAt), day(t.lastUsedAt), day(t.expiresAt)].join('\t')),
    ],
  }),
  'token.revoke': async (db, a) => ({ lines: [`token ${a.id} of ${await revokeToken(db.sql, a.id)} revoked`] }),
  erase: async (db, a) => ({
    lines: [JSON.stringify(await erase(db, a.siteId, a.customerId ? { customerId: a.customerId } : { visitorId: a.visitorId }))],
  }),
  reclassify: async (db, a, onProgress) => {
    const done = await reclassify(db, { siteId: a.siteId, from: a.from, to: a.to, onProgress });
    return { lines: describeReclassified(done, a.from) };
  },
  /** how many of a site's days marked up to a mark wait for recomputation (the CLI polls it while the collector recomputes) */
  'rollups.pending': async (db, a) => ({ lines: [String(await pendingDays(db.sql, a.siteId, a.upTo))] }),
};

async function pendingDays(ex: Executor, siteId: string, upTo: number): Promise<number> {
  const [row] = await ex
    .select({ n: countDistinct(rollupQueue.day) })
    .from(rollupQueue)
    .where(and(eq(rollupQueue.siteId, siteId), lte(rollupQueue.id, upTo)));
  return row?.n ?? 0;
}

async function lastMark(ex: Executor, siteId: string): Promise<number> {
  const [row] = await ex.select({ id: max(rollupQueue.id) }).from(rollupQueue).where(eq(rollupQueue.siteId, siteId));
  return row?.id ?? 0;
}

export async function runOp(db: Db, op: Op, onProgress?: (n: number, total: number) => void): Promise<OpResult> {
  const run = OPS[op.name];
  if (!run) throw new Error(`unknown operation ${op.name}`);
  return run(db, op.args, onProgress);
}
