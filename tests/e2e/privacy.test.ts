/**
 * Issue #13 in a real Chromium: visitors put secrets in every place a site lets them reach (query,
 * fragment, path, title, error message, referrer, outbound link, a FAQ search in an ignored region,
 * an excluded page); then every row of every table of the collector's database is searched for every
 * marker (testing/db.ts tablesHolding): none may be there. Under GPC, the SDK writes nothing to storage or cookies.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { WireEvent } from '@kizuna/protocol';
import { launchBrowser } from '../../collector/src/testing/chromium.ts';
import { tablesHolding } from '../../collector/src/testing/db.ts';
import { deliveredOnce, pageErrors, useStack } from './harness.ts';

const env = useStack({ site: async () => fileURLToPath(new URL('../pages', import.meta.url)) });

const MARKERS = ['qsecret7Q3', 'fragtok8ZP', 'eyJmcmFn', 'pathmark', 'titlemark', 'errmark', '4111111111111111', '5555555555554444', 'outsecret42', 'refsecret5', 'ignoredsearch', 'exclmark', 'excluded.html'];

/** every table with a row holding `marker` (the whole row as text: what a dump searched would find) */
const hits = (marker: string) => tablesHolding(env.stack.collector.db, marker);

it('a visitor with secrets in every place: none of them in any column of any table', async () => {
  const page = await env.browser.newPage();
  const errors = pageErrors(page);
  // an excluded page first: it must not be the next page's referrer, nor anywhere else
  await page.goto(`${env.site.url}/excluded.html?x=exclmark`, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  await page.click('#next');
  await page.waitForLoadState('load');
  await page.waitForTimeout(500);
  // an OAuth callback: a code in the query, tokens in the fragment, an e-mail in the path
  await page.goto(`${env.site.url}/privacy.html?code=qsecret7Q3&utm_source=news&page=2#access_token=fragtok8ZP&id_token=eyJmcmFnIjoxfQ.eyJzdWIiOjF9.sig`, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  await page.evaluate(() => history.pushState(null, '', '/privacy.html/users/pathmark@example.com/profile?token=refsecret5'));
  await page.waitForTimeout(600);
  await page.click('#out');
  await page.fill('#search input', 'ignoredsearch for me');
  await page.click('#go');
  await page.click('#fail').catch(() => {});
  await page.click('#fail2').catch(() => {});
  // a next document: its referrer is the page before, with its query
  await page.goto(`${env.site.url}/privacy.html`, { waitUntil: 'load' });
  await page.waitForTimeout(600);
  await page.close({ runBeforeUnload: true });

  const mine = (e: WireEvent) => e.url.startsWith(env.site.url + '/privacy.html');
  const events = await deliveredOnce(env, mine, (es) => es.filter((e) => e.type === 'pageview').length >= 4 && es.some((e) => e.type === 'outbound') && es.filter((e) => e.type === 'error').length >= 2);
  expect(errors.filter((e) => !e.includes('Payment failed'))).toEqual([]);
  // what the SDK sent is scrubbed already …
  const sent = JSON.stringify(events);
  for (const marker of MARKERS) expect(sent, marker).not.toContain(marker);
  // the FAQ page is viewed; the search typed in the ignored region is not recorded
  expect(events.filter((e) => e.type === 'faq' && (e.data as { action: string }).action === 'search')).toEqual([]);
  expect(events.find((e) => e.type === 'outbound')!.data).toEqual({ url: 'https://partner.example/offer?session=***&ref=ok' });
  // … and nothing of it is stored anywhere (rollups included: rebuilt every 300 ms here)
  await new Promise((r) => setTimeout(r, 1500));
  for (const marker of MARKERS) expect(await hits(marker), marker).toEqual({});
  // what scrubbing keeps is there
  expect(Object.keys(await hits('utm_source=news')).some((t) => t.startsWith('events'))).toBe(true); // events_YYYY_MM: a partition
});

it('under GPC with data-respect-dnt: no storage write, no cookie, stored data of ours removed, nothing sent', async () => {
  const browser = await launchBrowser();
  try {
    await browser.addInitScript((site: string) => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
      // what an earlier visit stored, before the visitor turned GPC on
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('kizuna_v', JSON.stringify(['gpc-old-visitor', Date.now()]));
        localStorage.setItem('kizuna_c', '1');
        localStorage.setItem('kizuna_q_' + site, '[]');
        localStorage.setItem('kizuna_q_' + site + 'b', '[]');
      }
      const w = window as unknown as { writes: string[] };
      w.writes = [];
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k: string, v: string) {
        w.writes.push('storage:' + k);
        return setItem.call(this, k, v);
      };
      const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
      Object.defineProperty(Document.prototype, 'cookie', {
        get: cookie.get,
        set(v: string) {
          w.writes.push('cookie:' + v);
          cookie.set!.call(this, v);
        },
      });
    }, env.stack.siteId);
    const page = await browser.newPage();
    const before = env.proxy.sent.length;
    await page.goto(`${env.site.url}/privacy.html?code=gpc`, { waitUntil: 'load' });
    await page.waitForTimeout(800);
    await page.evaluate(() => (window as unknown as { kizuna: { consent(y: boolean): void; track(n: string): void } }).kizuna.track('GpcClick'));
    await page.click('#out');
    const writes = await page.evaluate(() => (window as unknown as { writes: string[] }).writes);
    const ours = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kizuna')));
    await page.close({ runBeforeUnload: true });
    await new Promise((r) => setTimeout(r, 500));
    expect(writes).toEqual([]);
    expect(ours).toEqual([]);
    expect(env.proxy.sent.slice(before).filter((s) => s.batch.events.some((e) => e.url.includes('code=')))).toEqual([]);
  } finally {
    await browser.dispose();
  }
});
