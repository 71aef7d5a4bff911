/** Report API authentication (CONTRACT §4): a bearer token reads its own site's reports, and nothing else. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { createToken } from '../sites/tokens.ts';
import { testDb, testSite } from '../testing/db.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let a: Awaited<ReturnType<typeof testSite>>;
let b: Awaited<ReturnType<typeof testSite>>;

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db });
  [a, b] = [await testSite(db), await testSite(db)];
});
afterAll(() => db.close());

const overview = (site: string, authorization?: string) =>
  app.request(`/api/v1/sites/${site}/reports/overview`, { headers: authorization === undefined ? {} : { authorization } });

it('reads a site with its own token, `Bearer` in any case', async () => {
  expect((await overview(a.id, `Bearer ${a.token}`)).status).toBe(200);
  expect((await overview(a.id, `bearer   ${a.token}`)).status).toBe(200);
});

it('answers 401 without a bearer token', async () => {
  for (const header of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', `Token ${a.token}`]) {
    const res = await overview(a.id, header);
    expect(res.status, String(header)).toBe(401);
    expect(await res.json()).toEqual({ error: 'missing bearer token' });
  }
});

it("answers 403 to another site's token, an unknown token and an unknown site", async () => {
  expect((await overview(b.id, `Bearer ${a.token}`)).status).toBe(403);
  expect((await overview(a.id, 'Bearer kz_not-a-token')).status).toBe(403);
  expect((await overview('no-such-site.example', `Bearer ${a.token}`)).status).toBe(403);
  // every route under the site, not only reports
  expect((await app.request(`/api/v1/sites/${b.id}/visitors/v1`, { method: 'DELETE', headers: { authorization: `Bearer ${a.token}` } })).status).toBe(403);
});

it('keeps every token of a site working: a new one does not revoke the old', async () => {
  const second = await createToken(db.sql, a.id);
  expect((await overview(a.id, `Bearer ${second}`)).status).toBe(200);
  expect((await overview(a.id, `Bearer ${a.token}`)).status).toBe(200);
});

it('refuses an expired token, and records the last use at most once a minute', async () => {
  const now = Date.now();
  const { query } = await import('../testing/db.ts');
  const { sql } = await import('drizzle-orm');
  const expiring = await createToken(db.sql, { siteId: a.id, label: 'expiring', expires: '1d' }, now);
  const clock = { now };
  const timed = createApp({ db, now: () => clock.now });
  const read = () => timed.request(`/api/v1/sites/${a.id}/reports/overview`, { headers: { authorization: `Bearer ${expiring}` } });
  const lastUsed = async () =>
    (await query<{ t: string | null }>(db, sql`select last_used_at::text as t from tokens where label = 'expiring' and site_id = ${a.id}`))[0]!.t;
  expect(await lastUsed()).toBeNull();
  expect((await read()).status).toBe(200);
  const first = await lastUsed();
  expect(first).not.toBeNull();
  clock.now = now + 30_000; // within the minute: no write
  expect((await read()).status).toBe(200);
  expect(await lastUsed()).toBe(first);
  clock.now = now + 61_000;
  expect((await read()).status).toBe(200);
  expect(await lastUsed()).not.toBe(first);
  clock.now = now + 86_400_000 + 1;
  expect((await read()).status).toBe(403);
});
