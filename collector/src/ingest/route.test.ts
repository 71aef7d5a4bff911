import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { testDb, testSite, query } from '../testing/db.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, rateLimit: { perSecond: 1000, burst: 1000 } });
  site = await testSite(db);
});
afterAll(() => db.close());

const post = (body: unknown, origin: string | undefined = site.origin) => app.request('/api/v1/events', beaconInit(body, origin));
const count = async (statement: SQL) => Number((await query<{ n: string }>(db, statement))[0]!.n);

describe('POST /api/v1/events', () => {
  it('stores a text/plain beacon and answers 202 with the counts, with CORS for the site origin', async () => {
    const b = batch(site.id, [event(), event({ type: 'custom', data: { name: 'Signup', props: { plan: 'pro' } } })]);
    const res = await post(b);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: 0 });
    expect(res.headers.get('access-control-allow-origin')).toBe(site.origin);
    expect(await count(sql`select count(*) as n from events where site_id = ${site.id} and visitor_id = ${b.visitor}`)).toBe(2);
  });

  it('accepts application/json too', async () => {
    const res = await app.request('/api/v1/events', {
      method: 'POST',
      body: JSON.stringify(batch(site.id, [event()])),
      headers: { 'content-type': 'application/json', origin: site.origin },
    });
    expect(res.status).toBe(202);
  });

  it('stores a beacon that arrives twice once, and says so', async () => {
    const b = batch(site.id, [event(), event()]);
    expect(await (await post(b)).json()).toEqual({ accepted: 2, duplicates: 0, rejected: 0 });
    expect(await (await post(b)).json()).toEqual({ accepted: 0, duplicates: 2, rejected: 0 });
    const partly = { ...b, events: [b.events[0]!, event()] };
    expect(await (await post(partly)).json()).toEqual({ accepted: 1, duplicates: 1, rejected: 0 });
    expect(await count(sql`select count(*) as n from events where visitor_id = ${b.visitor}`)).toBe(3);
  });

  it('stores concurrent copies of one beacon once', async () => {
    const b = batch(site.id, [event(), event(), event()]);
    const answers = await Promise.all([post(b), post(b), post(b)].map(async (r) => (await r).json()));
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(3);
    expect(await count(sql`select count(*) as n from events where visitor_id = ${b.visitor}`)).toBe(3);
  });

  it('answers 400 naming the bad field', async () => {
    const bad = batch(site.id, [event({ type: 'nps', data: { score: 11 } })]);
    const res = await post(bad);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'events.0.data.score' });

    const noId = await post(batch(site.id, [{ ...event(), id: 'not-a-uuid' }]));
    expect(await noId.json()).toMatchObject({ field: 'events.0.id' });

    const notJson = await post('{"site":');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toMatch(/JSON/);

    const unknownType = await post(batch(site.id, [event({ type: 'teleport' as never })]));
    expect(await unknownType.json()).toMatchObject({ field: 'events.0.type' });
  });

  it('answers 403 for an unknown site or a foreign origin', async () => {
    const unknown = await post(batch('nobody.example', [event()]));
    expect(unknown.status).toBe(403);
    expect((await unknown.json()).error).toMatch(/unknown site/);
    const foreign = await post(batch(site.id, [event()]), 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 413 over the body limit', async () => {
    const res = await post('x'.repeat(70 * 1024));
    expect(res.status).toBe(413);
  });

  it('answers 429 with Retry-After when a client floods', async () => {
    const limited = createApp({ db, rateLimit: { perSecond: 1, burst: 2 } });
    const send = () => limited.request('/api/v1/events', beaconInit(batch(site.id, [event()]), site.origin));
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(202);
    const res = await send();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('strips NUL characters that PostgreSQL would refuse', async () => {
    const b = batch(site.id, [event({ title: 'a\u0000b', type: 'custom', data: { name: 'x\u0000y' } })]);
    expect((await post(b)).status).toBe(202);
    const [row] = await query<{ title: string; name: string }>(db, sql`select title, data->>'name' as name from events where visitor_id = ${b.visitor}`);
    expect(row).toEqual({ title: 'ab', name: 'xy' });
  });

  it('answers preflight requests', async () => {
    const res = await app.request('/api/v1/events', { method: 'OPTIONS', headers: { origin: site.origin } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
