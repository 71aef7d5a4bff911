/**
 * The periodic jobs of a collector process: rollups of dirty days every few seconds, partitions
 * and retention every hour, yesterday's cookieless salt deleted at 00:00 UTC. Every job is safe to
 * re-run and to run in several processes at once.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { execute } from '../db/sql.ts';
import { applyRetention, preparePartitions } from './retention.ts';
import { refreshRollups } from './rollups.ts';
import { forgetOldSalts } from '../enrich/visitor.ts';

const DAY_MS = 86_400_000;
const ANALYZE_EVERY_MS = 30_000;

export interface MaintenanceOptions {
  rollupEveryMs?: number;
  retentionEveryMs?: number;
  now?: () => number;
}

export async function startMaintenance(db: Db, options: MaintenanceOptions = {}): Promise<() => void> {
  const now = options.now ?? Date.now;
  const daily = async () => {
    await forgetOldSalts(db.sql, now()); // also here: a process that was down at midnight catches up
    await preparePartitions(db, now());
    await applyRetention(db, now());
    // PGlite has no autovacuum: without this its planner keeps the statistics of an empty database
    if (db.kind === 'pglite') await execute(db.sql, sql`vacuum analyze`);
  };
  await daily();
  let running = false;
  const guarded = (job: () => Promise<unknown>) => async () => {
    if (running) return; // one job at a time per process: a slow rollup must not pile up
    running = true;
    try {
      await job();
    } catch (err) {
      console.error('kizuna maintenance:', err);
    } finally {
      running = false;
    }
  };
  // PGlite has no autovacuum: statistics taken while the tables were small make the rollups' plans
  // nested loops over sequential scans (500 new visitors: 276 s of rollup, the process unanswering,
  // instead of 0.4 s). Its tables are analyzed again before the rollups, at most twice a minute.
  let analyzedAt = -Infinity;
  const rollups = async () => {
    if (db.kind === 'pglite' && now() - analyzedAt >= ANALYZE_EVERY_MS) {
      await execute(db.sql, sql`analyze`);
      analyzedAt = now();
    }
    await refreshRollups(db, { now: now() });
  };
  const timers = [
    setInterval(guarded(rollups), options.rollupEveryMs ?? 5_000),
    setInterval(guarded(daily), options.retentionEveryMs ?? 3_600_000),
  ];
  timers.forEach((t) => t.unref());
  // at 00:00 UTC (a second after, against a clock a little behind), apart from the other jobs: a
  // long rollup must not keep yesterday's salt alive
  let midnight: ReturnType<typeof setTimeout> | undefined;
  const armMidnight = () => {
    midnight = setTimeout(async () => {
      await forgetOldSalts(db.sql, now()).catch((err) => console.error('kizuna maintenance (salts):', err));
      if (midnight) armMidnight();
    }, DAY_MS - (now() % DAY_MS) + 1000);
    midnight.unref();
  };
  armMidnight();
  return () => {
    timers.forEach(clearInterval);
    clearTimeout(midnight);
    midnight = undefined;
  };
}
