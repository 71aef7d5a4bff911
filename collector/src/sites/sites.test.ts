/** Sites and tokens as the CLI manages them: validated ids and origins, updates that add, removal of everything. */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../db/index.ts';
import { rollupQueue } from '../db/schema.ts';
import { testDb, testSite, query } from '../testing/db.ts';
import { parseOrigin } from '../lib/site-input.ts';
import { createSite, getSite, updateSite } from './index.ts';
import { removeSite, SITE_TABLES } from './remove.ts';
import { createToken, listTokens, revokeToken, sitesOfToken } from './tokens.ts';

let db: Db;
beforeAll(async () => void (db = await testDb()));
afterAll(() => db.close());

const insertEvent = (siteId: string, at: number) =>
  query(db, sql`insert into events (id, site_id, visitor_id, session_id, type, ts, url, path, data)
    values (${randomUUID()}, ${siteId}, 'v', ${randomUUID()}, 'pageview', ${new Date(at).toISOString()}::timestamptz, 'https://x.example/', '/', '{}')`);
const newId = () => `s-${randomUUID().slice(0, 8)}.example`;

it('validates site ids: a host-name-like id of 1 to 100 characters', async () => {
  for (const id of ['with space', '東京.example', 'x'.repeat(101), '', '-lead.example', 'UPPER.example', 'a/b'])
    await expect(createSite(db.sql, { id, origins: ['https://a.example'] }), id).rejects.toThrow(/invalid id/);
  const long = `${'x'.repeat(92)}.example`;
  expect((await createSite(db.sql, { id: long, origins: ['https://a.example'] })).id).toBe(long);
});

it('takes http and https origins only, one per value', () => {
  expect(parseOrigin('https://Shop.Example/path?q=1')).toBe('https://shop.example');
  expect(parseOrigin('http://127.0.0.1:8788')).toBe('http://127.0.0.1:8788');
  for (const bad of ['javascript:alert(1)', 'https://a.example,https://b.example', 'ftp://a.example', 'a.example', 'data:text/html,x', ''])
    expect(() => parseOrigin(bad), bad).toThrow(/invalid origin/);
});

it('refuses to add an existing site and points to site update', async () => {
  const id = newId();
  await createSite(db.sql, { id, origins: ['https://www.example.com'], timezone: 'Asia/Tokyo' });
  await expect(createSite(db.sql, { id, origins: ['https://other.example'] })).rejects.toThrow(`kizuna site update ${id}`);
  expect(await getSite(db.sql, id)).toMatchObject({ origins: ['https://www.example.com'], timezone: 'Asia/Tokyo' });
});

it('adds and removes origins without replacing them, sets the rate limit and server-side events', async () => {
  const id = newId();
  await createSite(db.sql, { id, origins: ['https://www.example.com'], timezone: 'Asia/Tokyo' });
  const site = await updateSite(db.sql, id, { addOrigins: ['https://shop.example.com'], rateLimit: { perSecond: 100, burst: 500 }, acceptServerSide: true });
  expect(site).toMatchObject({ origins: ['https://www.example.com', 'https://shop.example.com'], timezone: 'Asia/Tokyo' });
  expect(site.settings).toMatchObject({ rateLimit: { perSecond: 100, burst: 500 }, acceptServerSide: true });
  expect((await updateSite(db.sql, id, { removeOrigins: ['https://www.example.com'] })).origins).toEqual(['https://shop.example.com']);
  await expect(updateSite(db.sql, id, { removeOrigins: ['https://shop.example.com'] })).rejects.toThrow(/at least one origin/);
  await expect(updateSite(db.sql, id, { removeOrigins: ['https://none.example'] })).rejects.toThrow(/not an origin/);
  await expect(updateSite(db.sql, id, { timezone: 'Mars/Olympus' })).rejects.toThrow(/unknown time zone/);
  await expect(updateSite(db.sql, 'no-such.example', { acceptServerSide: false })).rejects.toThrow(/unknown site/);
});

it('a time-zone change marks every day with events or rollups within retention, and no older one', async () => {
  const { id } = await testSite(db, { timezone: 'UTC' });
  const now = Date.UTC(2026, 5, 10, 12);
  // an event at 23:30 UTC on 1 June is on 2 June in Tokyo; one 500 days ago is past retention
  for (const at of [Date.UTC(2026, 5, 1, 23, 30), now - 500 * 86_400_000])
    await insertEvent(id, at);
  await updateSite(db.sql, id, { timezone: 'Asia/Tokyo' }, now);
  const marked = await query<{ day: string }>(db, sql`select distinct day::text as day from ${rollupQueue} where site_id = ${id} order by 1`);
  expect(marked.map((m) => m.day)).toContain('2026-06-02');
  expect(marked.every((m) => m.day > '2025-05-06')).toBe(true);
});

it('removes a site with every row it has in every table', async () => {
  const { id, token } = await testSite(db);
  await insertEvent(id, Date.now());
  const removed = await removeSite(db.sql, id);
  expect(removed).toMatchObject({ events: 1, tokens: 1 });
  for (const table of SITE_TABLES) expect((await query(db, sql`select 1 from ${table} where site_id = ${id}`)).length).toBe(0);
  expect(await getSite(db.sql, id)).toBeUndefined();
  expect(await sitesOfToken(db.sql, token)).toEqual([]);
  await expect(removeSite(db.sql, id)).rejects.toThrow(/unknown site/);
});

it('lists tokens with label, dates and site but never the token, and revokes one by id', async () => {
  const { id } = await testSite(db);
  const now = Date.now();
  const token = await createToken(db.sql, { siteId: id, label: 'dashboard', expires: '2099-01-01' }, now);
  const listed = (await listTokens(db.sql)).find((t) => t.siteId === id && t.label === 'dashboard')!;
  expect(listed).toMatchObject({ expiresAt: new Date('2099-01-01T00:00:00Z'), lastUsedAt: null });
  expect(listed.id).toMatch(/^[0-9a-f]{12}$/);
  expect(JSON.stringify(listed)).not.toContain(token.slice(3));
  for (const expires of ['yesterday', '2000-01-01', '0d', '30'])
    await expect(createToken(db.sql, { siteId: id, expires }), expires).rejects.toThrow(/invalid expires/);
  expect(await revokeToken(db.sql, listed.id)).toBe(id);
  expect(await sitesOfToken(db.sql, token)).toEqual([]);
  await expect(revokeToken(db.sql, listed.id)).rejects.toThrow(/no token/);
});
