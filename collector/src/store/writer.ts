/**
 * Group commit (the write path of ingest): every request's enriched batch waits in an in-process
 * queue; one writer takes all that waits (at most `maxEvents`) and stores it in one transaction
 * (./events.ts), then answers each request of the flush — 202 only after the commit. While a flush
 * runs, the next one gathers (or, with `concurrency` > 1, runs beside it); an idle writer flushes on
 * the next turn of the event loop, so a lone request waits for nothing but its own commit.
 *
 * Backpressure, not collapse: the queue is bounded (events and bytes); past the bound, or while the
 * database cannot be reached, a write is refused at once with `Unavailable` (503 + Retry-After; the
 * SDK retries). A flush that fails because the database went away marks it down: queued writes are
 * refused, and a probe every second brings the writer back as soon as the database answers. A flush
 * that fails for any other reason is retried batch by batch, so that one bad batch fails alone.
 *
 * Nothing acknowledged is lost: a request is answered 202 only after its flush committed. A flush
 * that commits after its requests were refused (a timeout) is harmless: the retried ids are
 * duplicates.
 */
import { sql } from 'drizzle-orm';
import { markDirty } from '../db/rollup-queue.ts';
import { botHits } from '../db/schema.ts';
import { name, names, prepare, type Driver } from '../db/sql.ts';
import type { EnrichedBatch } from '../enrich/index.ts';
import { isUnreachable } from '../db/errors.ts';
import { Unavailable } from '../lib/errors.ts';
import { storeBatches, storeFlush, type Stored } from './events.ts';

export interface WriterOptions {
  /** events taken into one flush at most */
  maxEvents?: number;
  /**
   * flushes running at once, each its own transaction on its own connection: while one commits the
   * next one is written (PostgreSQL); PGlite is one connection, one flush at a time
   */
  concurrency?: number;
  /** events waiting at most, flushing included; more are refused */
  maxQueuedEvents?: number;
  /** request bytes waiting at most; more are refused */
  maxQueuedBytes?: number;
  /** a flush taking longer than this is given up (its requests refused; the database marked down) */
  flushTimeoutMs?: number;
  /** how often a writer whose database is down tries it again */
  probeEveryMs?: number;
  /** where failures are told (a flush's error, the database down and back) */
  log?: (message: string, error?: unknown) => void;
}

interface Waiting {
  batch: EnrichedBatch;
  bytes: number;
  resolve: (stored: Stored) => void;
  reject: (error: unknown) => void;
}

export interface Writer {
  /** Queues a batch; resolves once it is stored, or rejects (`Unavailable`, or the database's error). */
  write(batch: EnrichedBatch, bytes: number): Promise<Stored>;
  /** Counts a bot hit (DEFINITIONS: counted, never stored as a visitor), written with the next flush. */
  countBot(siteId: string, day: string): void;
  /** The database answered its last flush or probe, and the queue is below its bounds. */
  readonly ready: boolean;
  readonly queued: { events: number; bytes: number };
  /** Stops taking writes, stores what waits, and resolves when it is stored. */
  close(): Promise<void>;
}

const UPSERT_BOT_HITS = prepare(sql`
  insert into ${botHits} ${names(botHits.siteId, botHits.day, botHits.hits)}
  select site_id, day, hits from json_to_recordset(${sql.placeholder('rows')}::json) as t(site_id text, day date, hits int)
  order by site_id, day
  on conflict ${names(botHits.siteId, botHits.day)} do update set ${name(botHits.hits)} = ${botHits.hits} + excluded.${name(botHits.hits)}`);

export function createWriter(driver: Driver, options: WriterOptions = {}): Writer {
  const {
    maxEvents = 2000,
    concurrency = 1,
    maxQueuedEvents = 50_000,
    maxQueuedBytes = 64 * 1024 * 1024,
    flushTimeoutMs = 15_000,
    probeEveryMs = 1000,
    log = (message: string, error?: unknown) => console.error(`kizuna writer: ${message}`, error ?? ''),
  } = options;
  let queue: Waiting[] = [];
  const queued = { events: 0, bytes: 0 };
  let bots = new Map<string, number>(); // "site\0day" → hits
  const flushing = new Set<Promise<void>>();
  let scheduled = false;
  let down = false;
  let closed = false;
  let probe: ReturnType<typeof setInterval> | undefined;

  const settle = (w: Waiting, outcome: { stored: Stored } | { error: unknown }) => {
    queued.events -= w.batch.events.length;
    queued.bytes -= w.bytes;
    if ('stored' in outcome) w.resolve(outcome.stored);
    else w.reject(outcome.error);
  };

  function markDown(error: unknown) {
    if (!down) log('the database cannot be reached; refusing writes until it answers', error);
    down = true;
    for (const w of queue.splice(0)) settle(w, { error: new Unavailable('the database cannot be reached now', 5) });
    probe ??= setInterval(async () => {
      try {
        await withTimeout(driver.execute(sql`select 1`), flushTimeoutMs);
        down = false;
        clearInterval(probe);
        probe = undefined;
        log('the database answers again');
      } catch {
        /* still down */
      }
    }, probeEveryMs);
    probe.unref();
  }

  /** One flush: the waiting batches up to maxEvents, and the bot hits counted so far. */
  async function flush(): Promise<void> {
    scheduled = false;
    // close() flushes at once what a scheduled run would have: that run then finds nothing to store
    if (!queue.length && !bots.size) return;
    const taken: Waiting[] = [];
    let events = 0;
    while (queue.length && (taken.length === 0 || events + queue[0]!.batch.events.length <= maxEvents)) {
      const w = queue.shift()!;
      taken.push(w);
      events += w.batch.events.length;
    }
    const hits = bots;
    bots = new Map();
    try {
      const stored = await withTimeout(
        driver.transaction(async (tx) => {
          const results = taken.length ? await storeFlush(tx, taken.map((w) => w.batch)) : [];
          if (hits.size) await writeBotHits(tx, hits);
          return results;
        }),
        flushTimeoutMs,
      );
      taken.forEach((w, i) => settle(w, { stored: stored[i]! }));
    } catch (error) {
      for (const [key, n] of hits) bots.set(key, (bots.get(key) ?? 0) + n); // counted again with the next flush
      if (isUnreachable(error)) {
        for (const w of taken) settle(w, { error: new Unavailable('the database cannot be reached now', 5) });
        markDown(error);
        return;
      }
      log('a flush failed; storing its batches one by one', error);
      // a bad batch fails alone; the others are stored (each its own transaction)
      for (const w of taken) {
        try {
          settle(w, { stored: (await storeBatches(driver, [w.batch]))[0]! });
        } catch (e) {
          settle(w, { error: isUnreachable(e) ? new Unavailable('the database cannot be reached now', 5) : e });
        }
      }
    }
  }

  function schedule() {
    if (scheduled || flushing.size >= concurrency) return;
    scheduled = true;
    setImmediate(run);
  }

  function run() {
    const running: Promise<void> = flush().finally(() => {
      flushing.delete(running);
      if ((queue.length || bots.size) && !down) schedule();
    });
    flushing.add(running);
  }

  return {
    write(batch, bytes) {
      if (closed) return Promise.reject(new Unavailable('the collector is shutting down', 5));
      if (down) return Promise.reject(new Unavailable('the database cannot be reached now', 5));
      if (queued.events + batch.events.length > maxQueuedEvents || queued.bytes + bytes > maxQueuedBytes) {
        return Promise.reject(new Unavailable('the collector is busy', 1));
      }
      return new Promise<Stored>((resolve, reject) => {
        queue.push({ batch, bytes, resolve, reject });
        queued.events += batch.events.length;
        queued.bytes += bytes;
        schedule();
      });
    },
    countBot(siteId, day) {
      const key = `${siteId}\u0000${day}`;
      bots.set(key, (bots.get(key) ?? 0) + 1);
      schedule();
    },
    get ready() {
      return !down && !closed && queued.events < maxQueuedEvents && queued.bytes < maxQueuedBytes;
    },
    queued,
    async close() {
      closed = true;
      clearInterval(probe);
      while (flushing.size || queue.length || bots.size) {
        if (!flushing.size) run();
        await Promise.all(flushing);
        if (down) break;
      }
    },
  };
}

async function writeBotHits(tx: Driver, hits: Map<string, number>) {
  const rows = [...hits].map(([key, n]) => {
    const [siteId, day] = key.split('\u0000') as [string, string];
    return { site_id: siteId, day, hits: n };
  });
  await tx.run(UPSERT_BOT_HITS, { rows: JSON.stringify(rows) });
  // rollup_days shows each day's bot hits
  const daysOf = new Map<string, string[]>();
  for (const r of rows) daysOf.set(r.site_id, [...(daysOf.get(r.site_id) ?? []), r.day]);
  for (const siteId of [...daysOf.keys()].sort()) await markDirty(tx, siteId, daysOf.get(siteId)!.sort());
}

/** The promise, or `Unavailable` when it takes longer than `ms` (the promise itself goes on). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Unavailable(`the database did not answer within ${ms} ms`, 5)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
