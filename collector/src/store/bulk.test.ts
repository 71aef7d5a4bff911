/** COPY rows of schema tables: every value reaches the database as it was, whatever characters it holds. */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { events, visitors } from '../db/schema.ts';
import { testDb, testSite } from '../testing/db.ts';
import { bulkWriter } from './bulk.ts';

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

it('writes rows with tabs, newlines, backslashes, quotes, unicode, nulls and JSON intact', async () => {
  const site = await testSite(db);
  const hostile = 'tab\there\nnew line\r\\back\\slash "quoted" \\N 返品 🙂';
  const ts = new Date(Date.UTC(2026, 10, 10, 3, 4, 5, 678));
  const writer = await bulkWriter(db, events, ['id', 'siteId', 'visitorId', 'sessionId', 'type', 'ts', 'url', 'path', 'referrer', 'title', 'data'], 2);
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  for (const id of ids) {
    writer.add({
      id, siteId: site.id, visitorId: 'v', sessionId: randomUUID(), type: 'custom', ts, url: 'https://s.example/?q=1',
      path: '/', referrer: null, title: hostile, data: { name: hostile, props: { n: 1, ok: true } },
    });
    if (writer.full) await writer.flush();
  }
  await writer.close();
  expect(writer.rows).toBe(3);
  const stored = await db.sql.select().from(events).where(eq(events.siteId, site.id));
  expect(stored.map((e) => e.id).sort()).toEqual([...ids].sort());
  for (const e of stored) {
    expect(e).toMatchObject({ title: hostile, referrer: null, data: { name: hostile, props: { n: 1, ok: true } } });
    expect(e.ts.toISOString()).toBe(ts.toISOString());
  }
});

it('leaves the columns it does not write to their defaults', async () => {
  const site = await testSite(db);
  const writer = await bulkWriter(db, visitors, ['siteId', 'id', 'firstSeen', 'lastSeen']);
  writer.add({ siteId: site.id, id: 'v1', firstSeen: new Date(0), lastSeen: new Date(1000) });
  await writer.close();
  const [v] = await db.sql.select().from(visitors).where(and(eq(visitors.siteId, site.id), eq(visitors.id, 'v1')));
  expect(v).toMatchObject({ customerId: null, lastSeen: new Date(1000) });
});
