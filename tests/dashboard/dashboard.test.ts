/**
 * The dashboard in Chromium (issue #16): a marketer signs in with the report token, opens every page
 * on traffic seeded through the real ingest endpoint, in Japanese and in English; the figures shown
 * are the report API's; stored XSS payloads (URL, title, selector, search query, prop, NPS comment,
 * customer id) are shown as text and never run; axe-core finds no serious or critical violation.
 * A screenshot of each page lands in test-results/dashboard/<page>-<lang>.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { sendTraffic } from '../../collector/src/demo/traffic.ts';
import { setGoals } from '../../collector/src/sites/goals.ts';
import { CHROME_UA } from '../../collector/src/testing/beacon.ts';
import { useStack } from '../e2e/harness.ts';
import { eventually } from '../e2e/stack.ts';

const env = useStack();
const SHOTS = fileURLToPath(new URL('../../test-results/dashboard/', import.meta.url));
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Each payload sets `window.__xss` (or opens a dialog) if a page ever lets it run as markup or a link. */
const XSS = {
  tag: '<img src=x onerror="window.__xss=1">',
  script: '"><script>window.__xss=1</script>',
  link: 'javascript:window.__xss=1',
};
const PAGES = ['overview', 'acquisition', 'usability', 'faq', 'visitors', 'journeys', 'events', 'goals', 'nps'] as const;

const api = async (path: string) => {
  const res = await fetch(`${env.stack.collector.url}/api/v1/sites/${env.stack.siteId}${path}`, { headers: { authorization: `Bearer ${env.stack.token}` } });
  expect(res.status, path).toBe(200);
  return res.json();
};

/** The hostile visitor's events, through the real ingest endpoint as a browser would send them. */
async function sendPayloads(origin: string) {
  const now = Date.now();
  const e = (type: string, data: object, path = '/faq') => ({
    id: randomUUID(), type, ts: now - 60_000, url: `${origin}${path}`, referrer: null, title: XSS.tag, data,
  });
  const events = [
    e('pageview', {}, `/${XSS.tag}`),
    e('identify', { customer: XSS.tag }),
    e('faq', { action: 'view', article: 'xss', title: XSS.script }),
    ...Array.from({ length: 5 }, () => e('faq', { action: 'search', query: XSS.tag, results: 0 })),
    e('friction', { kind: 'rage_click', selector: `a[href="${XSS.link}"]${XSS.tag}`, count: 5 }),
    e('custom', { name: 'Signup', props: { plan: XSS.tag } }),
    e('share', { network: 'x', url: XSS.link }),
    e('outbound', { url: XSS.link }),
    e('nps', { score: 2, comment: `${XSS.tag}${XSS.script}` }),
  ];
  const res = await fetch(`${env.stack.collector.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin, 'user-agent': CHROME_UA },
    body: JSON.stringify({ site: env.stack.siteId, visitor: 'xss-visitor', session: 's1', sentAt: now, events }),
  });
  expect(res.status).toBe(202);
}

async function signIn(page: Page) {
  for (const lang of ['ja', 'en']) {
    await page.goto(`${env.stack.collector.url}/dashboard?lang=${lang}`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}sign-in-${lang}.png`, fullPage: true });
  }
  await page.getByLabel('Report token').fill(env.stack.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard\/s\/.+\/overview/);
}

/** axe-core in the page (evaluated through the driver: the page's CSP lets no script of its own run). */
async function axeViolations(page: Page) {
  await page.evaluate(AXE);
  const results = await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run());
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

it('shows every report in Japanese and English, with the API’s figures, escaped, accessible', { timeout: 300_000 }, async () => {
  const origin = env.stack.siteUrl;
  await setGoals(env.stack.collector.db.sql, env.stack.siteId, ['Signup', '/pricing']);
  const sent = await sendTraffic({ collectorUrl: env.stack.collector.url, siteId: env.stack.siteId, origin, visitors: 40, days: 6, seed: 16 });
  expect(sent.refused).toBe(0);
  await sendPayloads(origin);
  const overview = await eventually(async () => {
    const r = await api('/reports/overview');
    return r.pendingDays === 0 && r.sessions >= sent.sessions ? r : undefined;
  }, 60_000);

  await mkdir(SHOTS, { recursive: true });
  const page = await env.browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await signIn(page);
  const base = new URL(page.url()).pathname.replace(/overview$/, '');

  const visitors = await api('/reports/visitors?limit=1');
  const pages = [...PAGES.map((p) => [p, `${base}${p}`] as const), ['visitor', `${base}visitors/xss-visitor`] as const, ['visitor-top', `${base}visitors/${encodeURIComponent(visitors.visitorList[0].visitorId)}`] as const];
  const violations: string[] = [];
  for (const lang of ['ja', 'en'] as const) {
    for (const [name, path] of pages) {
      const res = await page.goto(`${env.stack.collector.url}${path}?range=28d&lang=${lang}`);
      expect(res!.status(), `${name} ${lang}`).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), name).toBeUndefined();
      // no payload became markup: the page has no <img> or <script>, and no link but http(s) and its own
      expect(await page.locator('img, script, iframe').count(), name).toBe(0);
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      expect(hrefs.filter((h) => !/^(\/|\?|#|https?:)/.test(h)), name).toEqual([]);
      violations.push(...(await axeViolations(page)).map((v) => `${name} ${lang}: ${v}`));
      await page.screenshot({ path: `${SHOTS}${name}-${lang}.png`, fullPage: true });
    }
  }
  expect(dialogs).toEqual([]);
  expect(violations).toEqual([]);

  // the payloads are there, as text
  await page.goto(`${env.stack.collector.url}${base}nps?lang=en`);
  expect(await page.locator('blockquote').allInnerTexts()).toContain(`${XSS.tag}${XSS.script}`);
  await page.goto(`${env.stack.collector.url}${base}faq?lang=en`);
  expect(await page.locator('#failed td', { hasText: XSS.tag }).count()).toBe(1);
  await page.goto(`${env.stack.collector.url}${base}usability?lang=en`);
  expect(await page.locator('#hotspots td', { hasText: XSS.link }).count()).toBe(1);
  await page.goto(`${env.stack.collector.url}${base}events?lang=en`);
  expect(await page.locator('td', { hasText: XSS.tag }).count()).toBeGreaterThan(0); // a prop's value
  await page.goto(`${env.stack.collector.url}${base}visitors/xss-visitor?lang=en`);
  expect(await page.getByText(XSS.tag, { exact: true }).count()).toBeGreaterThan(0); // the customer id
  expect(await page.locator('td', { hasText: `plan: ${XSS.tag}` }).count()).toBe(1);

  // the figures are the API's
  // the API's default range (30 days up to today), the same days on the dashboard
  const range = `range=custom&from=${overview.from}&to=${overview.to}`;
  const tile = (label: string) => page.locator('.tile').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd.value').innerText();
  const en = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
  // the page beside the API read at the same moment: the maintenance job may still be moving the
  // 30-day visitor window (aggregate/visitor-windows.ts) after the days' rollups are done (seen once
  // on PostgreSQL under a full test run: 26 visitors by the API read earlier, 41 on the page)
  const [shown, now] = await eventually(async () => {
    const api0 = await api('/reports/overview');
    await page.goto(`${env.stack.collector.url}${base}overview?${range}&lang=en`);
    const tiles = [await tile('Visitors'), await tile('Sessions'), await tile('Page views'), await tile('Bounce rate')];
    const api1 = await api('/reports/overview');
    return JSON.stringify(api0) === JSON.stringify(api1) ? ([tiles, api1] as const) : undefined;
  }, 30_000);
  expect(shown).toEqual([en.format(now.visitors), en.format(now.sessions), en.format(now.pageviews), percent.format(now.bounceRate)]);
  const acquisition = await api('/reports/acquisition');
  await page.goto(`${env.stack.collector.url}${base}acquisition?${range}&lang=en`);
  for (const channel of acquisition.channels) {
    const row = page.locator('#channels tbody tr').filter({ has: page.locator('td', { hasText: new RegExp(`^${channel.channel}$`) }) });
    expect(await row.locator('td').nth(1).innerText(), channel.channel).toBe(en.format(channel.sessions));
  }
  const faq = await api('/reports/faq');
  await page.goto(`${env.stack.collector.url}${base}faq?${range}&lang=en`);
  expect(await tile('Escalations')).toBe(en.format(faq.escalations));

  // a table downloads as the API's CSV, through the session
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#articles a[download]').click()]);
  // bytes, not text: a UTF-8 decoder would drop the BOM the CSV starts with
  const csv = await readFile((await download.path())!);
  const fromApi = await (await fetch(`${env.stack.collector.url}/api/v1/sites/${env.stack.siteId}/reports/faq?format=csv&table=articles&from=${faq.from}&to=${faq.to}`, { headers: { authorization: `Bearer ${env.stack.token}` } })).arrayBuffer();
  expect(csv.equals(Buffer.from(fromApi))).toBe(true);
  expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
});
