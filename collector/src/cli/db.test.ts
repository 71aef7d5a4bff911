/**
 * `kizuna db …` as an operator runs it, in its own process.
 *
 * `db copy`: a data folder filled through the real
 * ingest path (two sites, a week of the demo's traffic model, goals, labelled tokens, a bot's hits,
 * monthly partitions of events, rolled up) is copied into a fresh PostgreSQL database (created on
 * 127.0.0.1:5432, or DATABASE_URL's server, and dropped after). Then every report read through the
 * API on the copy is the one read on the folder, every table holds the same rows, and the sequence and
 * the partitions are the folder's. A second copy without --force is refused and changes nothing; a
 * folder a collector holds, and a folder with no database, are refused.
 *
 * `db backup` and `db restore`: the folder copied whole but its lock, refused while a collector holds
 * it; a restore over a database only with --force, and then the folder is the backup's again.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { getTableName, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { preparePartitions } from '../aggregate/retention.ts';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import { copyDatabase, TABLES } from '../db/copy.ts';
import { openDb, type Db } from '../db/index.ts';
import { as, render, rows, type Driver } from '../db/sql.ts';
import { GOALS } from '../demo/model.ts';
import { REPORT_NAMES, REPORTS } from '../reports/index.ts';
import { addSite } from '../sites/index.ts';
import { createToken } from '../sites/tokens.ts';
import { beaconInit, batch, event } from '../testing/beacon.ts';
import { NOW } from '../testing/clock.ts';
import { sendModelTraffic } from '../testing/traffic.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function kizuna(args: string[], dataDir = '') {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'collector/src/cli.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', KIZUNA_DATA_DIR: dataDir }, timeout: 120_000 },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

/** A server to create the target database on: DATABASE_URL's, else the local one; undefined with the reason when it does not answer. */
const SERVER = (() => {
  const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  return url;
})();
const unreachable = await (async () => {
  const admin = postgres(SERVER.href, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await admin`select 1`;
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${SERVER.host} does not answer (${(error as Error).message})`;
  } finally {
    await admin.end({ timeout: 1 });
  }
})();

/** A data folder with its database: the run's migrated template loaded into it (a fresh one takes 6–10 s). */
async function dataFolder(): Promise<{ dir: string; db: Db }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kizuna-copy-'));
  const template = inject('pgliteDump');
  const pglite = await PGlite.create(template ? { dataDir: dir, loadDataDir: new Blob([readFileSync(template)]) } : { dataDir: dir });
  return { dir, db: await openDb({ pglite }) };
}

/** The lock a running collector writes (this process stands for it: it is alive). */
const COLLECTOR_LOCK = JSON.stringify({ pid: process.pid, command: 'serve', admin: 'http://127.0.0.1:1', secret: 'x' });

// each command is a process that opens the folder: seconds each, more under a full run's load
describe('refuses a folder it must not copy, before opening any database', { timeout: 120_000 }, () => {
  it('a folder a collector holds: stop it first', async () => {
    const { dir, db } = await dataFolder();
    await db.close();
    const lock = path.join(dir, 'kizuna.lock');
    writeFileSync(lock, COLLECTOR_LOCK);
    const refused = await kizuna(['db', 'copy', '--data', dir, '--to', 'postgres://kz@127.0.0.1:1/kz']);
    expect(refused).toMatchObject({ code: 1, out: '' });
    expect(refused.err).toBe(`kizuna: the collector (process ${process.pid}) runs on ${dir}: stop it first (Ctrl-C) — what it writes meanwhile would be half copied\n`);
    expect(readFileSync(lock, 'utf8')).toBe(COLLECTOR_LOCK); // the collector's lock is left alone
    rmSync(dir, { recursive: true, force: true });
  });

  it('a folder with no embedded database, which it does not create', async () => {
    const dir = path.join(tmpdir(), `kizuna-none-${randomUUID()}`);
    const refused = await kizuna(['db', 'copy', '--data', dir, '--to', 'postgres://kz@127.0.0.1:1/kz']);
    expect(refused).toMatchObject({ code: 1, err: `kizuna: ${dir} holds no embedded database: give the data folder with --data (or KIZUNA_DATA_DIR)\n` });
    expect(existsSync(dir)).toBe(false);
  });
});

describe.skipIf(unreachable)('copies a data folder into an empty PostgreSQL database', { timeout: 300_000 }, () => {
  const target = new URL(SERVER.href);
  target.pathname = `/kz_copy_${randomUUID().slice(0, 8)}`;
  const databaseName = target.pathname.slice(1);
  let dir: string;
  let source: Db;
  let copy: Db;
  let sites: { id: string; origin: string; token: string }[];
  let first: { code: number; out: string; err: string };

  beforeAll(async () => {
    const admin = postgres(SERVER.href, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${databaseName}`);
    await admin.end();

    let db: Db;
    ({ dir, db } = await dataFolder());
    // the partitions the collector's hourly job makes: last month to two months ahead
    await preparePartitions(db, NOW);
    const app = createApp({ db, now: () => NOW, rateLimit: { perSecond: 1e6, burst: 1e6 } });
    sites = [];
    for (const [id, timezone, seed] of [['tokyo.example', 'Asia/Tokyo', 1], ['paris.example', 'Europe/Paris', 2]] as const) {
      const origin = `https://${id}`;
      await addSite(db.sql, { id, origins: [origin], timezone });
      sites.push({ id, origin, token: await createToken(db.sql, { siteId: id, label: `dashboard of ${id}` }) });
      const put = await app.request(`/api/v1/sites/${id}/settings/goals`, {
        method: 'PUT',
        body: JSON.stringify({ goals: GOALS }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sites.at(-1)!.token}` },
      });
      expect(put.status).toBe(200);
      await sendModelTraffic(app, { id, origin }, { visitors: 25, seed, now: NOW });
      const bot = await app.request('/api/v1/events', beaconInit(batch(id, [event({ ts: NOW - 60_000, url: `${origin}/` })], { sentAt: NOW }), origin, 'Googlebot/2.1 (+http://www.google.com/bot.html)'));
      expect(bot.status).toBe(202);
    }
    await app.writer.close(); // the bot's hits are stored as the writer flushes
    await refreshRollups(db, { now: NOW });
    await db.close();

    first = await kizuna(['db', 'copy', '--data', dir, '--to', target.href]);
    await open();
  }, 300_000);

  const open = async () => {
    source = await openDb({ dataDir: dir });
    copy = await openDb({ url: target.href, max: 1 });
  };
  const closeBoth = async () => {
    await Promise.all([source.close(), copy.close()]);
    return open;
  };

  afterAll(async () => {
    await source?.close();
    await copy?.close();
    const admin = postgres(SERVER.href, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Each table's row count, as the command printed them: table → [source, target]. */
  const printed = (out: string) =>
    Object.fromEntries([...out.matchAll(/^([a-z_]+) +([\d,]+) +([\d,]+)$/gm)].map((m) => [m[1]!, [Number(m[2]!.replaceAll(',', '')), Number(m[3]!.replaceAll(',', ''))]]));

  it('prints, for every table of the schema, as many rows in the target as in the source', () => {
    expect(first.code, first.err).toBe(0);
    const counts = printed(first.out);
    expect(Object.keys(counts).sort()).toEqual(TABLES.map(getTableName).sort());
    for (const [table, [from, to]] of Object.entries(counts)) expect(to, table).toBe(from);
    for (const table of ['sites', 'tokens', 'events', 'sessions', 'visitors', 'bot_hits', 'rollup_days', 'rollup_visitor_days', 'visitor_windows'])
      expect(counts[table]![0], table).toBeGreaterThan(0);
    expect(first.out).toMatch(/^partitions made: events_2026_10 of events, events_2026_11 of events, events_2026_12 of events, events_2027_01 of events$/m);
    expect(first.err).toMatch(/copy .* 100\.0%/); // the progress bar
  });

  it('holds every row of every table as it was: ids, instants to the microsecond, arrays, json, bytes', async () => {
    // each table's rows as text, sorted byte-wise, hashed: the same on both sides when every value is
    const digest = async (db: Db, table: (typeof TABLES)[number]) => {
      const [found] = await rows(
        db.sql,
        sql`select md5(coalesce(string_agg(t::text, chr(10) order by t::text collate "C"), '')) as digest, count(*) as n from ${table} t`,
        { digest: as.text, n: as.number },
      );
      return found;
    };
    for (const db of [source, copy]) await db.sql.execute(sql`set timezone = 'UTC'`);
    for (const table of TABLES) expect(await digest(copy, table), getTableName(table)).toEqual(await digest(source, table));
  });

  it('continues the rollup marks’ sequence after the source’s, and keeps each event in its month’s partition', async () => {
    const state = async (db: Db) => ({
      sequence: (await rows(db.sql, sql`select pg_sequence_last_value(pg_get_serial_sequence('rollup_queue', 'id')::regclass) as v`, { v: as.number }))[0]!.v,
      partitions: await rows(db.sql, sql`select tableoid::regclass::text as partition, count(*) as n from events group by 1 order by 1`, { partition: as.text, n: as.number }),
    });
    const [before, after] = [await state(source), await state(copy)];
    expect(before.sequence).toBeGreaterThan(0);
    expect(before.partitions.map((p) => p.partition)).toContain('events_2026_11');
    expect(after).toEqual(before);
  });

  it('answers every report, in JSON and as each CSV table, as the folder does', async () => {
    const apps = [source, copy].map((db) => createApp({ db, now: () => NOW }));
    const range = 'from=2026-11-04&to=2026-11-10';
    const paths = REPORT_NAMES.flatMap((report) => [
      `reports/${report}?${range}`,
      ...Object.keys(REPORTS[report].tables).map((table) => `reports/${report}?${range}&format=csv&table=${table}`),
    ]);
    paths.push(`reports/journeys?${range}&steps=/,/pricing,event:Signup`, 'visitors/v000', 'visitors/v007');
    for (const site of sites) {
      for (const p of paths) {
        const [a, b] = await Promise.all(
          apps.map(async (app) => {
            const res = await app.request(`/api/v1/sites/${site.id}/${p}`, { headers: { authorization: `Bearer ${site.token}` } });
            return `${res.status} ${await res.text()}`;
          }),
        );
        expect(a, `${site.id} ${p}`).toMatch(/^200 /);
        expect(b, `${site.id} ${p}`).toBe(a);
      }
    }
    await Promise.all(apps.map((app) => app.writer.close()));
  });

  it('leaves the target as it was when the copy fails midway, even over rows it was told to replace', async () => {
    const events = async () => (await rows(copy.sql, sql`select count(*) as n from events`, { n: as.number }))[0]!.n;
    const before = await events();
    // the source's disk fails on the fifth batch read, two batches into the events' ids
    let fetches = 0;
    const failing = (tx: Driver): Driver => ({
      ...tx,
      execute: async (query) => {
        if (render(query).sql.startsWith('fetch') && ++fetches === 5) throw new Error('the disk failed');
        return tx.execute(query);
      },
    });
    const broken: Db = { ...source, driver: { ...source.driver, transaction: (fn) => source.driver.transaction((tx) => fn(failing(tx))) } };
    await expect(copyDatabase(broken, copy, { replace: true, batchRows: 50 })).rejects.toThrow('the disk failed');
    expect(fetches).toBe(5);
    expect(await events()).toBe(before);
  });

  it('refuses a second copy into the database it filled, which keeps its rows; --force replaces them', async () => {
    const events = async () => (await rows(copy.sql, sql`select count(*) as n from events`, { n: as.number }))[0]!.n;
    const before = await events();
    // the command opens the folder, and locks every table of the target: no connection of ours may hold either
    const reopen = await closeBoth();
    const again = await kizuna(['db', 'copy', '--data', dir, '--to', target.href]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^kizuna: the target already holds Kizuna data \(rows in .*events.*\): copy into an empty database, or add --force to delete them first\n$/);
    const forced = await kizuna(['db', 'copy', '--data', dir, '--to', target.href, '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(printed(forced.out)).toEqual(printed(first.out));
    await reopen();
    expect(await events()).toBe(before);
  });
});

describe('backs a data folder up and restores it', { timeout: 240_000 }, () => {
  it('copies the folder but its lock, refused while a collector holds it; restores over a database only with --force', async () => {
    const { dir, db } = await dataFolder();
    await addSite(db.sql, { id: 'kept.example', origins: ['https://kept.example'] });
    await db.close();
    const kept = 'kept.example\tUTC\t400 days\thttps://kept.example\n';
    const backup = path.join(tmpdir(), `kizuna-backup-${randomUUID()}`);
    const lock = path.join(dir, 'kizuna.lock');

    writeFileSync(lock, COLLECTOR_LOCK);
    const whileRunning = await kizuna(['db', 'backup', '--data', dir, '--to', backup]);
    expect(whileRunning).toMatchObject({ code: 1, err: expect.stringMatching(/runs on .*: stop it first/) });
    expect(existsSync(backup)).toBe(false);
    rmSync(lock);

    expect(await kizuna(['db', 'backup', '--data', dir, '--to', backup])).toMatchObject({ code: 0, out: `backed up ${dir} into ${backup} (to restore it: kizuna db restore --from ${backup})\n` });
    expect(existsSync(path.join(backup, 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(backup, 'kizuna.lock'))).toBe(false);
    expect(existsSync(lock)).toBe(false); // released
    expect((await kizuna(['db', 'backup', '--data', dir, '--to', backup])).err).toMatch(/exists already: back up into a new folder/);

    // the folder changes after the backup; the restore brings it back
    expect((await kizuna(['site', 'add', 'later.example', '--origin', 'https://later.example'], dir)).code).toBe(0);
    const over = await kizuna(['db', 'restore', '--data', dir, '--from', backup]);
    expect(over).toMatchObject({ code: 1, err: `kizuna: ${dir} holds a database: add --force to replace it with ${backup}\n` });
    expect((await kizuna(['site', 'list'], dir)).out).toContain('later.example');
    expect(await kizuna(['db', 'restore', '--data', dir, '--from', backup, '--force'])).toMatchObject({ code: 0, out: `restored ${dir} from ${backup}\n` });
    expect((await kizuna(['site', 'list'], dir)).out).toBe(kept);

    // into a new folder, no --force needed
    const fresh = path.join(tmpdir(), `kizuna-restored-${randomUUID()}`);
    expect((await kizuna(['db', 'restore', '--data', fresh, '--from', backup])).code).toBe(0);
    expect((await kizuna(['site', 'list'], fresh)).out).toBe(kept);
    for (const d of [dir, backup, fresh]) rmSync(d, { recursive: true, force: true });
  });
});

// the reason a run without PostgreSQL skipped the copy: printed, and named by a skipped test in the report
if (unreachable) {
  console.warn(`kizuna db copy: tests skipped, ${unreachable}`);
  it.skip(`copies into PostgreSQL: skipped, ${unreachable}`);
}
