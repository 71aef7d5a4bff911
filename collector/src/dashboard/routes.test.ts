/**
 * The dashboard over HTTP (app.request): sign-in with a token or a one-time link, the session
 * cookie's flags, expiry and revocation, CSRF refusal, cross-site isolation, the security headers,
 * every page on data stored through ingest (in both languages, escaped), and the CSV of a table
 * equal to the report API's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { ABSOLUTE_MS, createSignInLink, IDLE_MS, LINK_MS } from '../sites/dashboard-sessions.ts';
import { createToken, listTokens, revokeToken } from '../sites/tokens.ts';
import { batch, beaconInit, event } from '../testing/beacon.ts';
import { NOW } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';
import { PAGES } from './layout.tsx';

let db: Db;
const clock = { now: NOW };
let app: ReturnType<typeof createApp>;
let a: Awaited<ReturnType<typeof testSite>>;
let b: Awaited<ReturnType<typeof testSite>>;
const ORIGIN = 'http://localhost';
const XSS = '<img src=x onerror=alert(1)>';

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => clock.now });
  [a, b] = [await testSite(db, { timezone: 'Asia/Tokyo' }), await testSite(db)];
  const landing = `https://s.example/%E3%82%88%E3%81%8F%E3%81%82%E3%82%8B%E8%B3%AA%E5%95%8F?q=${encodeURIComponent(XSS)}`;
  const res = await app.request(
    '/api/v1/events',
    beaconInit(
      batch(a.id, [
        event({ ts: NOW - 60_000, url: landing, title: XSS, referrer: 'https://t.co/abc', data: { vw: 390 } }),
        event({ ts: NOW - 50_000, type: 'custom', data: { name: 'Signup', props: { plan: XSS } } }),
        event({ ts: NOW - 45_000, type: 'nps', data: { score: 3, comment: `${XSS} too slow` } }),
        event({ ts: NOW - 40_000, type: 'friction', data: { kind: 'rage_click', selector: `button[title="${XSS}"]`, count: 4 } }),
        event({ ts: NOW - 35_000, type: 'faq', url: 'https://s.example/faq/returns', data: { action: 'view', article: 'returns', title: XSS } }),
        event({ ts: NOW - 34_000, type: 'faq', url: 'https://s.example/faq/returns', data: { action: 'vote', article: 'returns', helpful: false } }),
        event({ ts: NOW - 33_000, type: 'identify', data: { customer: XSS } }),
        // five failed searches: the failedSearch insight (DEFINITIONS, "Insights")
        ...Array.from({ length: 5 }, (_, i) => event({ ts: NOW - 30_000 + i, type: 'faq', url: 'https://s.example/faq', data: { action: 'search', query: `送料 ${XSS}`, results: 0 } })),
      ], { visitor: 'alice', sentAt: NOW }),
      a.origin,
    ),
  );
  expect(res.status).toBe(202);
  await refreshRollups(db, { now: NOW });
});
afterAll(() => db.close());

/** A form POST as a browser sends it from the dashboard's own origin. */
const post = async (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', body: new URLSearchParams(form), headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...headers } });

const cookieOf = (res: Response) => /kizuna_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

async function signedIn(token: string) {
  const res = await post('/dashboard/sign-in', { token, next: '/dashboard' });
  expect(res.status).toBe(303);
  const cookie = cookieOf(res)!;
  const get = async (path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { cookie: `kizuna_session=${cookie}`, ...headers } });
  const page = async (path: string) => {
    const html = await (await get(path)).text();
    return { html, csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]! };
  };
  return { cookie, res, get, page, post: (path: string, form: Record<string, string>, headers: Record<string, string> = {}) => post(path, form, { cookie: `kizuna_session=${cookie}`, ...headers }) };
}

const pagePath = (site: string, page: string) => `/dashboard/s/${encodeURIComponent(site)}/${page}?range=custom&from=2026-11-04&to=2026-11-10`;

describe('sign-in', () => {
  it('sends a reader without a session to the sign-in form, and back where they were after it', async () => {
    const res = await app.request(pagePath(a.id, 'faq'));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/dashboard/sign-in?next=${encodeURIComponent(pagePath(a.id, 'faq'))}`);
    const form = await (await app.request(res.headers.get('location')!)).text();
    expect(form).toContain('name="token"');
    const back = await post('/dashboard/sign-in', { token: a.token, next: pagePath(a.id, 'faq') });
    expect(back.headers.get('location')).toBe(pagePath(a.id, 'faq'));
  });

  it('sets an HttpOnly, SameSite=Lax session cookie for the dashboard only, Secure over https', async () => {
    const { res } = await signedIn(a.token);
    expect(res.headers.get('set-cookie')).toMatch(/kizuna_session=[\w-]{43}; Max-Age=604800; Path=\/dashboard; HttpOnly; SameSite=Lax$/);
    const https = await app.request('https://kizuna.example/dashboard/sign-in', {
      method: 'POST', body: new URLSearchParams({ token: a.token }), headers: { origin: 'https://kizuna.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(https.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('refuses an unknown token, and never sends a reader off the dashboard after sign-in', async () => {
    const bad = await post('/dashboard/sign-in', { token: 'kz_nope' });
    expect(bad.status).toBe(403);
    expect(cookieOf(bad)).toBeUndefined();
    for (const next of ['https://evil.example/', '//evil.example/dashboard', '/\\evil.example', '/api/v1/sites'])
      expect((await post('/dashboard/sign-in', { token: a.token, next })).headers.get('location'), next).toBe('/dashboard');
  });

  it('refuses a sign-in form posted from another origin', async () => {
    const res = await post('/dashboard/sign-in', { token: a.token }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(cookieOf(res)).toBeUndefined();
  });

  it('signs in once with a one-time link, within its time', async () => {
    const link = await createSignInLink(db.sql, a.token, clock.now);
    expect(link).toMatch(/^\/dashboard\/sign-in\/[\w-]{43}$/);
    expect((await app.request(link)).status).toBe(200); // a preview robot's GET uses nothing
    const first = await post(link, {});
    expect(first.status).toBe(303);
    expect(cookieOf(first)).toBeDefined();
    const again = await post(link, {});
    expect(again.status).toBe(403);
    const late = await createSignInLink(db.sql, a.token, clock.now - LINK_MS - 1);
    expect((await post(late, {})).status).toBe(403);
  });
});

describe('sessions', () => {
  it('expire when idle and after their absolute lifetime', async () => {
    const session = await signedIn(a.token);
    const page = () => session.get(pagePath(a.id, 'faq')).then((r) => r.status);
    expect(await page()).toBe(200);
    try {
      clock.now = NOW + IDLE_MS - 60_000;
      expect(await page()).toBe(200); // used: the idle time starts again
      clock.now = NOW + 2 * IDLE_MS - 120_000;
      expect(await page()).toBe(200);
      clock.now = NOW + 3 * IDLE_MS;
      expect(await page()).toBe(303);
      const kept = await signedIn(a.token);
      for (let t = NOW; t < NOW + ABSOLUTE_MS; t += IDLE_MS / 2) {
        clock.now = t;
        expect(await kept.get(pagePath(a.id, 'faq')).then((r) => r.status)).toBe(200);
      }
      clock.now = NOW + 3 * IDLE_MS + ABSOLUTE_MS;
      expect(await kept.get(pagePath(a.id, 'faq')).then((r) => r.status)).toBe(303);
    } finally {
      clock.now = NOW;
    }
  });

  it('die with their token: revoked or expired', async () => {
    const token = await createToken(db.sql, { siteId: a.id, label: 'to-revoke' });
    const session = await signedIn(token);
    expect((await session.get(pagePath(a.id, 'overview'))).status).toBe(200);
    const id = (await listTokens(db.sql)).find((t) => t.label === 'to-revoke' && t.siteId === a.id)!.id;
    await revokeToken(db.sql, id);
    expect((await session.get(pagePath(a.id, 'overview'))).status).toBe(303);

    const expiring = await createToken(db.sql, { siteId: a.id, expires: '1d' }, NOW);
    const short = await signedIn(expiring);
    expect((await short.get(pagePath(a.id, 'overview'))).status).toBe(200);
    clock.now = NOW + 86_400_000 + 1;
    try {
      expect((await short.get(pagePath(a.id, 'overview'))).status).toBe(303);
    } finally {
      clock.now = NOW;
    }
  });

  it('end at sign-out, which needs the CSRF field', async () => {
    const session = await signedIn(a.token);
    const { csrf } = await session.page(pagePath(a.id, 'overview'));
    expect((await session.post('/dashboard/sign-out', { csrf: 'wrong' })).status).toBe(403);
    expect((await session.get(pagePath(a.id, 'overview'))).status).toBe(200);
    const out = await session.post('/dashboard/sign-out', { csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/kizuna_session=;/);
    expect((await session.get(pagePath(a.id, 'overview'))).status).toBe(303);
  });
});

describe('pages', () => {
  it('answers every page of its own site, in Japanese and English, with the security headers', async () => {
    const session = await signedIn(a.token);
    for (const page of PAGES) {
      for (const [lang, word] of [['ja', 'サインアウト'], ['en', 'Sign out']] as const) {
        const res = await session.get(pagePath(a.id, page), { 'accept-language': lang });
        expect(res.status, `${page} ${lang}`).toBe(200);
        const html = await res.text();
        expect(html.startsWith(`<!doctype html><html lang="${lang}">`), page).toBe(true);
        expect(html).toContain(word);
        expect(html, page).not.toContain(XSS); // every stored payload is escaped
        expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'none'.*frame-ancestors 'none'/);
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    }
  });

  it('shows stored text escaped and paths decoded', async () => {
    const session = await signedIn(a.token);
    const overview = await (await session.get(`${pagePath(a.id, 'overview')}&lang=en`)).text();
    expect(overview).toContain('&quot;送料 &lt;img src=x onerror=alert(1)&gt;&quot; was searched 5 times with no result.');
    const nps = await (await session.get(pagePath(a.id, 'nps'))).text();
    expect(nps).toContain('&lt;img src=x onerror=alert(1)&gt; too slow');
    const usability = await (await session.get(pagePath(a.id, 'usability'))).text();
    expect(usability).toContain('button[title=&quot;&lt;img src=x onerror=alert(1)&gt;&quot;]');
    const acquisition = await (await session.get(pagePath(a.id, 'acquisition'))).text();
    expect(acquisition).toContain('/よくある質問');
  });

  it('refuses another site, and the switcher too', async () => {
    const session = await signedIn(a.token);
    expect((await session.get(pagePath(b.id, 'overview'))).status).toBe(403);
    expect((await session.get(`/dashboard/data/${b.id}/reports/overview?format=csv`)).status).toBe(403);
    expect((await session.get(`/dashboard/switch?site=${b.id}&page=faq`)).status).toBe(403);
    expect((await session.get(`/dashboard/switch?site=${a.id}&page=faq`)).headers.get('location')).toBe(`/dashboard/s/${a.id}/faq`);
  });

  it('downloads each table as the report API’s CSV, read-only', async () => {
    const session = await signedIn(a.token);
    const query = 'format=csv&table=networks&from=2026-11-04&to=2026-11-10';
    const mine = await session.get(`/dashboard/data/${a.id}/reports/acquisition?${query}`);
    const api = await app.request(`/api/v1/sites/${a.id}/reports/acquisition?${query}`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toBe(await api.text());
    const html = await (await session.get(pagePath(a.id, 'acquisition'))).text();
    expect(html).toContain(`/dashboard/data/${a.id}/reports/acquisition?format=csv&amp;table=networks&amp;from=2026-11-04&amp;to=2026-11-10`);
    const { csrf } = await session.page(pagePath(a.id, 'overview'));
    const erase = await app.request(`/dashboard/data/${a.id}/visitors/alice`, { method: 'DELETE', headers: { cookie: `kizuna_session=${session.cookie}`, origin: ORIGIN, 'x-csrf': csrf } });
    expect(erase.status).toBe(405);
  });

  it('declares and removes a goal with the CSRF field, and refuses the form without it', async () => {
    const session = await signedIn(a.token);
    const { csrf } = await session.page(pagePath(a.id, 'goals'));
    const goals = `/dashboard/s/${a.id}/goals`;
    expect((await session.post(goals, { add: 'Signup' })).status).toBe(403);
    expect((await session.post(goals, { add: 'Signup', csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    const added = await session.post(goals, { add: 'Signup', csrf });
    expect(added.status).toBe(303);
    expect(await (await session.get(goals)).text()).toContain('name="remove" value="Signup"');
    const tooLong = await session.post(goals, { add: 'x'.repeat(121), csrf });
    expect(tooLong.headers.get('location')).toBe(`${goals}?invalid=1`);
    await session.post(goals, { remove: 'Signup', csrf });
    expect(await (await session.get(goals)).text()).not.toContain('name="remove" value="Signup"');
  });

  it('compares with the previous period when asked, on every table of figures', async () => {
    const session = await signedIn(a.token);
    const plain = await (await session.get(`${pagePath(a.id, 'acquisition')}&lang=en`)).text();
    expect(plain).not.toContain('class="muted change"');
    const html = await (await session.get(`${pagePath(a.id, 'acquisition')}&compare=1&lang=en`)).text();
    expect(html).toContain('Previous period: Oct 28, 2026 – Nov 3, 2026');
    // nothing came before: every change is "—" (no division by zero, no Infinity)
    expect(html).toContain('<span class="muted change"> (—)</span>');
    expect(html).not.toMatch(/Infinity|NaN/);
    // the top paths and each funnel step too
    const journeys = (query: string) => session.get(`${pagePath(a.id, 'journeys')}&steps=/${query}&lang=en`).then((r) => r.text());
    expect(await journeys('')).not.toContain('class="muted change"');
    const compared = await journeys('&compare=1');
    const funnel = compared.slice(compared.indexOf('id="funnel-h"'));
    expect(funnel).toMatch(/<td class="num">\d+<span class="muted change"> \(—\)<\/span><\/td>/);
    expect(compared.slice(compared.indexOf('id="paths"'), compared.indexOf('id="funnel-h"'))).toContain('<span class="muted change"> (—)</span>');
  });

  it("compares each day's NPS with the same day of the previous period", async () => {
    const answer = (ts: number, score: number) => event({ ts, type: 'nps', url: `${b.origin}/`, data: { score } });
    const body = batch(b.id, [answer(NOW - 86_400_000, 10), answer(NOW - 60_000, 0)], { visitor: 'bob', sentAt: NOW });
    expect((await app.request('/api/v1/events', beaconInit(body, b.origin))).status).toBe(202);
    await refreshRollups(db, { now: NOW });
    const session = await signedIn(b.token);
    const daily = async (query: string) => {
      const html = await (await session.get(`/dashboard/s/${encodeURIComponent(b.id)}/nps?range=custom&from=2026-11-10&to=2026-11-10${query}&lang=en`)).text();
      return html.slice(html.indexOf('id="nps-daily"'), html.indexOf('id="comments-h"'));
    };
    expect(await daily('')).not.toContain('class="muted change"');
    // 10 Nov (score −100, one answer) against 9 Nov, the previous period's same day (score 100, one answer)
    expect(await daily('&compare=1')).toMatch(/<td class="num">-100<span class="muted change"> \(-?\d[^)]*\)<\/span><\/td><td class="num">1<span class="muted change"> \(0%\)<\/span>/);
  });

  it('filters the overview as the report API does, kept in its links, and refuses a bad filter', async () => {
    const session = await signedIn(a.token);
    const html = await (await session.get(`${pagePath(a.id, 'overview')}&device=desktop&lang=en`)).text();
    expect(html).toContain('<option value="desktop" selected="">');
    expect(html).toContain('format=csv&amp;table=summary&amp;from=2026-11-04&amp;to=2026-11-10&amp;device=desktop');
    const api = await app.request(`/api/v1/sites/${a.id}/reports/overview?from=2026-11-04&to=2026-11-10&device=desktop`, { headers: { authorization: `Bearer ${a.token}` } });
    expect((await api.json()).visitors).toBe(0); // alice came on a phone (vw 390)
    expect(html).toMatch(/<dt>Visitors<\/dt><dd class="value">0<\/dd>/);
    // the insights too: the failed searches were made on alice's phone
    const FAILED = 'was searched 5 times with no result.';
    expect(html).not.toContain(FAILED);
    expect(await (await session.get(`${pagePath(a.id, 'overview')}&device=mobile&lang=en`)).text()).toContain(FAILED);
    const bad = await session.get(`${pagePath(a.id, 'overview')}&country=japan&lang=en`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('invalid country');
  });

  it('filters the events page too: its form, its figures and its CSV links', async () => {
    const session = await signedIn(a.token);
    const events = (query: string) => session.get(`${pagePath(a.id, 'events')}${query}&lang=en`).then((r) => r.text());
    // alice came on a phone (vw 390): her Signup is there for mobile and gone for desktop
    const mobile = await events('&device=mobile');
    expect(mobile).toContain('<option value="mobile" selected="">');
    expect(mobile).toMatch(/<td class="text">Signup<\/td>/);
    expect(mobile).toContain('format=csv&amp;table=events&amp;from=2026-11-04&amp;to=2026-11-10&amp;device=mobile');
    const desktop = await events('&device=desktop');
    expect(desktop).not.toMatch(/<td class="text">Signup<\/td>/);
    expect((await session.get(`${pagePath(a.id, 'events')}&channel=Nowhere&lang=en`)).status).toBe(400);
  });

  it('filters the acquisition, goals, journeys, NPS, usability, FAQ and visitors pages: their forms, figures and CSV links; the funnel keeps the filters', async () => {
    const session = await signedIn(a.token);
    const page = (name: 'acquisition' | 'goals' | 'journeys' | 'nps' | 'usability' | 'faq' | 'visitors', query: string) =>
      session.get(`${pagePath(a.id, name)}${query}&lang=en`).then((r) => r.text());
    for (const name of ['acquisition', 'goals', 'journeys', 'nps', 'usability', 'faq', 'visitors'] as const) {
      const desktop = await page(name, '&device=desktop');
      expect(desktop, name).toContain('<option value="desktop" selected="">');
      expect(desktop, name).toMatch(new RegExp(`format=csv&amp;table=\\w+&amp;from=2026-11-04&amp;to=2026-11-10&amp;device=desktop`));
      expect((await session.get(`${pagePath(a.id, name)}&device=watch&lang=en`)).status, name).toBe(400);
    }
    // alice came on a phone: her landing page is listed for mobile, and nothing for desktop
    const api = async (query: string) =>
      (await app.request(`/api/v1/sites/${a.id}/reports/acquisition?from=2026-11-04&to=2026-11-10&${query}`, { headers: { authorization: `Bearer ${a.token}` } })).json();
    expect((await api('device=desktop')).channels).toEqual([]);
    expect((await api('device=mobile')).channels).toEqual((await api('')).channels);
    expect(await page('acquisition', '&device=desktop')).not.toContain('<td class="num">');
    // the funnel form carries the filters, and the filter form the funnel's steps
    const journeys = await page('journeys', '&device=mobile&steps=/%0A/pricing');
    expect(journeys).toContain('<input type="hidden" name="device" value="mobile"/>');
    expect(journeys).toContain('<input type="hidden" name="steps" value="/\n/pricing"/>');
  });

  it('sorts the visitors by the headers that name a sort, the sorted one turning round', async () => {
    const session = await signedIn(a.token);
    const html = await (await session.get(`${pagePath(a.id, 'visitors')}&lang=en`)).text();
    const sorts = [...html.matchAll(/<th[^>]*><a href="[^"]*sort=(\w+)&amp;order=(\w+)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(sorts).toEqual(['score asc', 'firstSeen desc', 'lastSeen desc', 'sessions desc', 'pageviews desc', 'engagedTimeMs desc']);
    const bad = await session.get(`${pagePath(a.id, 'visitors')}&sort=password`);
    expect(bad.status).toBe(400);
  });

  it('answers a bad range with a 400 page naming it', async () => {
    const session = await signedIn(a.token);
    const res = await session.get(`/dashboard/s/${a.id}/overview?range=custom&from=2026-02-31&to=2026-03-01&lang=en`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid from');
  });
});
