/**
 * Everything a visitor or a page could have put into the database is kept per site for its
 * `retention_days` (default 400; sites/retention.ts; DEFINITIONS: retention): raw events, sessions
 * (landing URL, referrer), visitors (customer id) and every rollup but the counts-only ones
 * (./registry.ts `FORGOTTEN_AT_RETENTION`: per-visitor rows, paths, queries, selectors, campaigns).
 * The daily counts of `rollup_days` stay for ever.
 *
 * Events live in monthly partitions (migration 0001): a month older than every site's retention is
 * dropped whole (instant, no vacuum debt); a site with a shorter retention has its older rows
 * deleted. Event ids are kept only while a retry could still bring them (ingest refuses events
 * older than 7 days, or than the site's retention).
 */
import { and, eq, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { eventIds, events, sessions, sites, visitors } from '../db/schema.ts';
import { as, execute, name, row, rows } from '../db/sql.ts';
import { MAX_AGE_MS } from '../enrich/clock.ts';
import { lastPartialDay, retentionCutoff } from '../sites/retention.ts';
import { FORGOTTEN_AT_RETENTION } from './registry.ts';

const PARTITION = /^events_(\d{4})_(\d{2})$/;
const DAY_MS = 86_400_000;
/** A month is dropped whole once it is older than this and every site's retention. */
const DEFAULT_RETENTION_DAYS = 400;

const monthStart = (t: number, addMonths = 0) => {
  const d = new Date(t);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + addMonths, 1));
};
const partitionName = (start: Date) => `events_${start.toISOString().slice(0, 7).replace('-', '_')}`;

/**
 * Creates the partitions of last month to two months ahead. Events of a month without its partition
 * wait in the default one (ingest never depends on this job); they are moved into the new partition
 * as it is made, in one transaction. Safe to re-run, and to race: a process that loses skips the month.
 */
export async function preparePartitions(db: Db, now: number): Promise<void> {
  for (let m = -1; m <= 2; m++) {
    const from = monthStart(now, m);
    const to = monthStart(now, m + 1);
    const table = partitionName(from);
    const found = await row(db.sql, sql`select to_regclass(${table}) is not null as exists`, { exists: as.bool });
    if (found!.exists) continue;
    const partition = sql.identifier(table);
    await db.sql
      .transaction(async (tx) => {
        await execute(tx, sql`create table ${partition} (like ${events} including defaults)`);
        await execute(
          tx,
          sql`with moved as (delete from events_default where ${name(events.ts)} >= ${from.toISOString()}::timestamptz
            and ${name(events.ts)} < ${to.toISOString()}::timestamptz returning *) insert into ${partition} select * from moved`,
        );
        await execute(tx, sql`alter table ${events} attach partition ${partition}
          for values from (${sql.raw(`'${from.toISOString()}'`)}) to (${sql.raw(`'${to.toISOString()}'`)})`);
      })
      .catch((err: Error) => {
        if (!/already exists/.test(err.message)) throw err; // another process made it first
      });
  }
}

/**
 * Applies every site's retention (or only that of `siteIds`'s sites: tests share a database); safe
 * to re-run. Returns the partitions dropped.
 */
export async function applyRetention(db: Db, now: number, siteIds?: string[]): Promise<string[]> {
  const all = await db.sql.select({ id: sites.id, timezone: sites.timezone, retentionDays: sites.retentionDays }).from(sites);
  const longest = Math.max(DEFAULT_RETENTION_DAYS, ...all.map((s) => s.retentionDays));
  for (const site of all.filter((s) => !siteIds || siteIds.includes(s.id))) {
    const cutoff = new Date(retentionCutoff(site.retentionDays, now));
    const partial = lastPartialDay(site, now);
    await db.sql.transaction(async (tx) => {
      if (site.retentionDays < longest) await tx.delete(events).where(and(eq(events.siteId, site.id), lt(events.ts, cutoff)));
      await tx.delete(sessions).where(and(eq(sessions.siteId, site.id), lt(sessions.startedAt, cutoff)));
      await tx.delete(visitors).where(and(eq(visitors.siteId, site.id), lt(visitors.lastSeen, cutoff)));
      // the days that lost raw events are never recomputed (sites/retention.ts): their rows go whole
      for (const { table, day } of FORGOTTEN_AT_RETENTION) await tx.delete(table).where(and(eq(table.siteId, site.id), lte(day, partial)));
    });
  }
  const partitions = await rows(
    db.sql,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = ${sql.raw(`'events'`)}::regclass`,
    { name: as.text },
  );
  const dropped: string[] = [];
  for (const { name } of partitions) {
    const m = PARTITION.exec(name);
    if (!m) continue;
    const end = Date.UTC(Number(m[1]), Number(m[2]), 1); // the month after (months are 0-based in Date.UTC)
    if (end <= retentionCutoff(longest, now)) {
      await execute(db.sql, sql`drop table ${sql.identifier(name)}`);
      dropped.push(name);
    }
  }
  await db.sql.delete(eventIds).where(lt(eventIds.ts, new Date(now - MAX_AGE_MS - DAY_MS)));
  return dropped;
}
