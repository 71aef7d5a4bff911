/**
 * Raw events are kept per site for its `retention_days` (default 400); rollups and sessions stay.
 * Events live in monthly partitions: a month older than every site's retention is dropped whole
 * (instant, no vacuum debt); a site with a shorter retention has its older rows deleted. Event ids
 * are kept only while a retry could still bring them (ingest refuses events older than 7 days).
 */
import type { Db } from '../db/index.ts';
import { MAX_AGE_MS } from '../enrich/clock.ts';

const PARTITION = /^events_(\d{4})_(\d{2})$/;
const DAY_MS = 86_400_000;

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
    const name = partitionName(from);
    const [{ exists }] = (await db.query<{ exists: boolean }>(`select to_regclass($1) is not null as exists`, [name])) as [{ exists: boolean }];
    if (exists) continue;
    await db
      .tx(async (q) => {
        await q(`create table ${name} (like events including defaults)`);
        await q(
          `with moved as (delete from events_default where ts >= $1 and ts < $2 returning *) insert into ${name} select * from moved`,
          [from, to],
        );
        await q(`alter table events attach partition ${name} for values from ('${from.toISOString()}') to ('${to.toISOString()}')`);
      })
      .catch((err: Error) => {
        if (!/already exists/.test(err.message)) throw err; // another process made it first
      });
  }
}

/** Applies every site's retention; safe to re-run. Returns the partitions dropped. */
export async function applyRetention(db: Db, now: number): Promise<string[]> {
  const sites = await db.query<{ id: string; retention_days: number }>(`select id, retention_days from sites`);
  const longest = Math.max(400, ...sites.map((s) => s.retention_days));
  for (const site of sites.filter((s) => s.retention_days < longest)) {
    await db.query(`delete from events where site_id = $1 and ts < $2`, [site.id, new Date(now - site.retention_days * DAY_MS)]);
  }
  const partitions = await db.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'events'::regclass`,
  );
  const dropped: string[] = [];
  for (const { name } of partitions) {
    const m = PARTITION.exec(name);
    if (!m) continue;
    const end = Date.UTC(Number(m[1]), Number(m[2]), 1); // the month after (months are 0-based in Date.UTC)
    if (end <= now - longest * DAY_MS) {
      await db.query(`drop table ${name}`);
      dropped.push(name);
    }
  }
  await db.query(`delete from event_ids where ts < $1`, [new Date(now - MAX_AGE_MS - DAY_MS)]);
  return dropped;
}
