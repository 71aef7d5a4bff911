/**
 * The NPS report on a hand-computed fixture sent through the real ingest endpoint (DEFINITIONS "NPS":
 * % promoters 9–10 − % detractors 0–6 over each visitor's latest answer in the period).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshRollups } from '../aggregate/rollups.ts';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { event } from '../testing/beacon.ts';
import { NOW, at, send as sendAs } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';
import { MAX_COMMENTS } from './nps.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;

const report = async (s: { id: string; token: string }, query = '') => {
  const res = await app.request(`/api/v1/sites/${s.id}/reports/nps${query}`, { headers: { authorization: `Bearer ${s.token}` } });
  return { status: res.status, type: res.headers.get('content-type'), body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
};
const page = (ts: number, path = '/') => event({ ts, url: `https://s.example${path}` });
const answer = (ts: number, score: number, comment?: string) => event({ ts, type: 'nps', url: 'https://s.example/thanks', data: comment === undefined ? { score } : { score, comment } });

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  const send = (visitor: string, events: ReturnType<typeof event>[]) => sendAs(app, site, visitor, events);
  // A, 9 Nov in Tokyo: a detractor's answer, then a promoter's a minute later (the latest counts)
  await send('A', [page(at(9, 1, 50)), answer(at(9, 1, 51), 3, 'Checkout was confusing'), answer(at(9, 1, 52), 10, '使いやすいです')]);
  // B, 10 Nov in Tokyo (9 Nov 23:32 UTC): a detractor, no comment
  await send('B', [page(at(9, 23, 30)), answer(at(9, 23, 32), 6)]);
  // C, 10 Nov: a passive whose comment holds an e-mail address (scrubbed at ingest)
  await send('C', [page(at(10, 2, 0)), answer(at(10, 2, 1), 8, 'Mail me at taro@example.com')]);
  // D: a promoter on 8 Nov, a detractor on 10 Nov — the latest answer of the week is the detractor's
  await send('D', [page(at(8, 3, 0)), answer(at(8, 3, 1), 9), page(at(10, 4, 0)), answer(at(10, 4, 1), 0, '  ')]);
  expect(await refreshRollups(db, { now: NOW })).toBeGreaterThan(0);
});
afterAll(() => db.close());

describe('reports/nps', () => {
  it('scores each visitor’s latest answer in the range', async () => {
    const { status, body } = await report(site, '?from=2026-11-04&to=2026-11-10');
    expect(status).toBe(200);
    // A 10 (promoter), B 6 and D 0 (detractors), C 8 (passive): (1 − 2) / 4 = −25
    expect(body).toMatchObject({ from: '2026-11-04', to: '2026-11-10', timezone: 'Asia/Tokyo', score: -25, responses: 4, promoters: 1, passives: 1, detractors: 2 });
    // on 8 Nov alone, D's answer that day is a promoter's
    expect((await report(site, '?from=2026-11-08&to=2026-11-08')).body).toMatchObject({ score: 100, responses: 1, promoters: 1 });
  });

  it('has a daily trend, each day over that day’s latest answers, with no gaps', async () => {
    const { body } = await report(site, '?from=2026-11-07&to=2026-11-10');
    expect(body.series).toEqual([
      { date: '2026-11-07', score: null, responses: 0, promoters: 0, passives: 0, detractors: 0 },
      { date: '2026-11-08', score: 100, responses: 1, promoters: 1, passives: 0, detractors: 0 },
      { date: '2026-11-09', score: 100, responses: 1, promoters: 1, passives: 0, detractors: 0 },
      // B 6, C 8, D 0: (0 − 2) / 3 = −66.7
      { date: '2026-11-10', score: -67, responses: 3, promoters: 0, passives: 1, detractors: 2 },
    ]);
  });

  it('lists the comments newest first, scrubbed, with score, page and date; blank ones left out', async () => {
    const { body } = await report(site, '?from=2026-11-04&to=2026-11-10');
    expect(body.comments).toEqual([
      { date: '2026-11-10', at: new Date(at(10, 2, 1)).toISOString(), score: 8, comment: 'Mail me at ***', path: '/thanks' },
      { date: '2026-11-09', at: new Date(at(9, 1, 52)).toISOString(), score: 10, comment: '使いやすいです', path: '/thanks' },
      { date: '2026-11-09', at: new Date(at(9, 1, 51)).toISOString(), score: 3, comment: 'Checkout was confusing', path: '/thanks' },
    ]);
    expect((await report(site, '?from=2026-11-10&to=2026-11-10')).body.comments.map((c: { score: number }) => c.score)).toEqual([8]);
  });

  it('gives the trend and the comments as CSV', async () => {
    const series = await report(site, '?from=2026-11-09&to=2026-11-10&format=csv');
    expect(series.type).toContain('text/csv');
    expect(series.body).toContain('date,score,responses,promoters,passives,detractors');
    expect(series.body).toContain('2026-11-10,-67,3,0,1,2');
    const comments = await report(site, '?from=2026-11-09&to=2026-11-10&format=csv&table=comments');
    expect(comments.body).toContain('date,at,score,comment,path');
    expect(comments.body).toContain('Mail me at ***');
  });

  it(`lists at most ${MAX_COMMENTS} comments, the newest`, async () => {
    const busy = await testSite(db, { timezone: 'UTC' });
    const answers = Array.from({ length: MAX_COMMENTS + 5 }, (_, i) => answer(at(9, 0, 0) + i * 60_000, i % 11, `comment ${i}`));
    await sendAs(app, busy, 'E', [page(at(9, 0, 0)), ...answers]);
    await refreshRollups(db, { siteId: busy.id, now: NOW });
    const { body } = await report(busy, '?from=2026-11-09&to=2026-11-09');
    expect(body.comments).toHaveLength(MAX_COMMENTS);
    expect(body.comments[0].comment).toBe(`comment ${MAX_COMMENTS + 4}`);
    expect(body.comments.at(-1).comment).toBe('comment 5');
    // one visitor, one latest answer: (MAX_COMMENTS + 4) % 11
    expect(body).toMatchObject({ responses: 1 });
  });
});
