/** The demo on HOST=0.0.0.0: it serves on every interface but registers an origin a browser sends. */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { readEnv } from '../env.ts';
import { getSite } from '../sites/index.ts';
import { testDb } from '../testing/db.ts';
import { startDemo } from './index.ts';

it('registers http://127.0.0.1:<port>, not 0.0.0.0, and a labelled expiring token', async () => {
  const db = await testDb();
  const demo = await startDemo({ ...readEnv({ HOST: '0.0.0.0', PORT: '0' }), maintenance: false }, 0, { db, siteId: `demo-${randomUUID().slice(0, 8)}.kizuna.local`, seed: false });
  try {
    expect(demo.siteUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.collector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await getSite(db.sql, demo.siteId))?.origins).toEqual([demo.siteUrl]);
    expect((await fetch(`${demo.siteUrl}/`)).status).toBe(200);
    // the pages answer at the paths the seeded traffic visits (demo/model.ts), and at their file names
    const title = async (p: string) => {
      const res = await fetch(`${demo.siteUrl}${p}`);
      return [res.status, /<title>([^<]*)<\/title>/.exec(await res.text())?.[1]];
    };
    expect(await title('/pricing')).toEqual(await title('/pricing.html'));
    expect(await title('/faq/returns')).toEqual(await title('/faq.html'));
    expect(await title('/product/42')).toEqual(await title('/product.html'));
    expect((await title('/pricing'))[0]).toBe(200);
    for (const missing of ['/careers', '/404', '/_head', '/_head.html', '/nowhere/faq'])
      expect((await title(missing))[0], missing).toBe(404);
    const res = await fetch(`${demo.collector.url}/api/v1/sites/${demo.siteId}/reports/overview`, { headers: { authorization: `Bearer ${demo.token}` } });
    expect(res.status).toBe(200);
  } finally {
    await demo.close();
  }
});
