import { eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { testDb, testSite, query } from '../testing/db.ts';
import { sites } from '../db/schema.ts';

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

  it('says which of the beaconed ids a batch asks about it never stored', async () => {
    const arrived = batch(site.id, [event()]);
    await post(arrived);
    const lost = event();
    const asking = batch(site.id, [event()], { confirm: [arrived.events[0]!.id, lost.id] });
    expect(await (await post(asking)).json()).toEqual({ accepted: 1, duplicates: 0, rejected: 0, missing: [lost.id] });
    const tooMany = batch(site.id, [event()], { confirm: Array.from({ length: 501 }, () => event().id) });
    expect((await post(tooMany)).status).toBe(400);
  });

  it("rejects events older than the site keeps anything (its retention), or than 7 days", async () => {
    const brief = await testSite(db);
    await db.sql.update(sites).set({ retentionDays: 2 }).where(eq(sites.id, brief.id));
    const day = 86_400_000;
    const b = batch(brief.id, [event({ ts: Date.now() - 3 * day }), event({ ts: Date.now() - day }), event({ ts: Date.now() - 8 * day })]);
    expect(await (await post(b, brief.origin)).json()).toEqual({ accepted: 1, duplicates: 0, rejected: 2 });
    expect(await (await post(batch(site.id, [event({ ts: Date.now() - 3 * day })]))).json()).toMatchObject({ accepted: 1 });
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
    expect(await foreign.json()).toEqual({ error: `origin not allowed for site ${site.id}: https://evil.example (to allow it: kizuna site update ${site.id} --add-origin https://evil.example)` });
    // the page may read why (the SDK tells the site's developer), and nothing else
    expect(foreign.headers.get('access-control-allow-origin')).toBe('https://evil.example');
  });

  it('refuses requests without Origin (not from a browser) unless the site accepts server-side sending', async () => {
    const withoutOrigin = (siteId: string) => app.request('/api/v1/events', beaconInit(batch(siteId, [event()])));
    const res = await withoutOrigin(site.id);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/browsers only/);
    const server = await testSite(db);
    await db.sql.update(sites).set({ settings: { acceptServerSide: true } }).where(eq(sites.id, server.id));
    const fresh = createApp({ db, rateLimit: { perSecond: 1000, burst: 1000 } }); // its site cache has not seen the setting yet
    expect((await fresh.request('/api/v1/events', beaconInit(batch(server.id, [event()])))).status).toBe(202);
  });

  it('answers every outcome with the CORS headers the page needs, Retry-After readable', async () => {
    for (const [body, status] of [[batch(site.id, [event()]), 202], ['{', 400], [batch('nobody.example', [event()]), 403]] as const) {
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe(site.origin);
      expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');
    }
  });

  it('limits requests per site too: many addresses together cannot flood one site', async () => {
    const limited = createApp({ db, rateLimit: { perSecond: 1000, burst: 1000 }, siteRateLimit: { perSecond: 1, burst: 2 } });
    const from = (ip: string) =>
      limited.request('/api/v1/events', { ...beaconInit(batch(site.id, [event()]), site.origin) }, { incoming: { socket: { remoteAddress: ip } } } as never);
    expect((await from('10.0.0.1')).status).toBe(202);
    expect((await from('10.0.0.2')).status).toBe(202);
    const res = await from('10.0.0.3');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // a site may set its own limit
    const own = await testSite(db);
    await db.sql.update(sites).set({ settings: { rateLimit: { perSecond: 1, burst: 1 } } }).where(eq(sites.id, own.id));
    const app2 = createApp({ db, rateLimit: { perSecond: 1000, burst: 1000 } });
    const send = () => app2.request('/api/v1/events', beaconInit(batch(own.id, [event()]), own.origin));
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(429);
  });

  it('counts a bot batch as rejected, never accepted, and stores nothing of it', async () => {
    const b = batch(site.id, [event(), event()]);
    const res = await app.request('/api/v1/events', beaconInit(b, site.origin, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, rejected: 2 });
    expect(await count(sql`select count(*) as n from events where visitor_id = ${b.visitor}`)).toBe(0);
  });

  it('keeps hostile strings as data: lone surrogates, controls, bidi overrides, prototype keys, non-web URLs', async () => {
    const b = batch(site.id, [
      event({ title: 'half \ud83d emoji\u0007 \u202eevil\u202c', referrer: 'javascript:alert(1)' }),
      event({ type: 'custom', data: { name: 'x', props: JSON.parse('{"__proto__": "p", "constructor": "c", "ok": 1}') } }),
      event({ url: 'javascript:alert(1)' }),
      event({ type: 'outbound', data: { url: 'data:text/html,x' } }),
    ]);
    const res = await post(b);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: 2 });
    const stored = await query<{ title: string; referrer: string | null; props: unknown }>(
      db,
      sql`select title, referrer, data->'props' as props from events where visitor_id = ${b.visitor} order by type desc`,
    );
    expect(stored).toEqual([
      { title: 'half \ufffd emoji evil', referrer: null, props: null },
      { title: 'Home', referrer: null, props: { ok: 1 } },
    ]);
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

  it('answers preflight requests for the origins of its sites only', async () => {
    const res = await app.request('/api/v1/events', { method: 'OPTIONS', headers: { origin: site.origin } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(site.origin);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const stranger = await app.request('/api/v1/events', { method: 'OPTIONS', headers: { origin: 'https://stranger.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends the security headers on every answer', async () => {
    for (const res of [await post(batch(site.id, [event()])), await app.request('/health'), await app.request('/nope')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
