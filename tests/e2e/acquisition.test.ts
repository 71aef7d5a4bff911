/**
 * Acquisition end to end in Chromium (issue #14): two people land on the demo site — one from a
 * paid LINE campaign, one from a Yahoo! JAPAN search results page that still carries its terms in
 * `p=` — and the acquisition report puts them under GA4's channels, with the network, the campaign's
 * tags, the search engine and the terms, in JSON and CSV.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { useStack } from './harness.ts';
import { eventually, launchBrowser } from './stack.ts';

const env = useStack();

const SEARCH = 'https://search.yahoo.co.jp/search?p=%E6%97%85%E8%A1%8C+%E4%BA%88%E7%B4%84&ei=UTF-8';

const acquisition = async (query = '') => {
  const res = await fetch(`${env.stack.collector.url}/api/v1/sites/${env.stack.siteId}/reports/acquisition${query}`, {
    headers: { authorization: `Bearer ${env.stack.token}` },
  });
  expect(res.status).toBe(200);
  return res;
};

/** Runs `go` (a navigation) and waits until the collector took the landing's page view. */
const landing = async (page: Page, go: () => Promise<unknown>) => {
  const stored = page.waitForResponse((r) => r.url().endsWith('/api/v1/events') && r.status() === 202);
  await go();
  await stored;
};

it('reports a paid LINE campaign as Paid Social and a Yahoo! JAPAN search as Organic Search, with its terms', async () => {
  // Someone taps a LINE ad.
  const line = await env.browser.newPage();
  await landing(line, () => line.goto(`${env.stack.siteUrl}/?utm_source=line&utm_medium=cpc&utm_campaign=spring_sale&utm_content=banner_a`));
  await line.close({ runBeforeUnload: true });

  // Someone else, in a browser of their own, clicks a result on Yahoo! JAPAN. The results page is
  // served by the test (no network); like some engines' pages, it lets its full URL go as the referrer.
  const other = await launchBrowser();
  try {
    const page = await other.newPage();
    await page.route('https://search.yahoo.co.jp/**', (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><meta name="referrer" content="unsafe-url"><a id="result" href="${env.stack.siteUrl}/">result</a>`,
      }),
    );
    await page.goto(SEARCH);
    await landing(page, () => page.click('#result'));
    expect(await page.evaluate(() => document.referrer)).toBe(SEARCH);
    await page.close({ runBeforeUnload: true });
  } finally {
    await other.dispose();
  }

  const report = await eventually(async () => {
    const r = await (await acquisition()).json();
    return r.channels.length >= 2 && r.pendingDays === 0 ? r : undefined;
  });
  const figures = { sessions: 1, visitors: 1 };
  expect(report.channels).toEqual([
    expect.objectContaining({ channel: 'Paid Social', ...figures }),
    expect.objectContaining({ channel: 'Organic Search', ...figures }),
  ]);
  expect(report.networks).toEqual([expect.objectContaining({ network: 'line', ...figures, inAppSessions: 0 })]);
  expect(report.campaigns).toEqual([
    expect.objectContaining({ source: 'line', medium: 'cpc', campaign: 'spring_sale', content: 'banner_a', term: '', ...figures }),
  ]);
  expect(report.searchEngines).toEqual([expect.objectContaining({ searchEngine: 'yahoo.co.jp', ...figures })]);
  expect(report.searchTerms).toEqual([expect.objectContaining({ searchEngine: 'yahoo.co.jp', term: '旅行 予約', ...figures })]);
  expect(report.channelLandingPages.map((r: { channel: string; path: string }) => [r.channel, r.path])).toEqual([
    ['Paid Social', '/'],
    ['Organic Search', '/'],
  ]);

  const csv = await (await acquisition('?format=csv&table=searchTerms')).text();
  expect(csv.split('\r\n').slice(0, 2)).toEqual(['searchEngine,term,sessions,visitors,engagedSessions,engagedRate,conversions', expect.stringMatching(/^yahoo\.co\.jp,旅行 予約,1,1,/)]);
});
