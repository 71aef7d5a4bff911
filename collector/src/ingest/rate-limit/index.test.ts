import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { rateLimit } from './index.ts';

/** An app limited per `x-client` header, on a clock the test moves. */
function limited(options: { perSecond: number; burst: number; maxKeys?: number }) {
  let now = 1_000_000;
  const app = new Hono().use(rateLimit({ key: (c) => c.req.header('x-client') ?? '', now: () => now, ...options })).get('/', (c) => c.text('ok'));
  return {
    hit: (client = 'a') => app.request('/', { headers: { 'x-client': client } }),
    wait: (ms: number) => void (now += ms),
  };
}

it('lets a burst through, then refuses with 429 and Retry-After until tokens come back', async () => {
  const { hit, wait } = limited({ perSecond: 2, burst: 3 });
  for (let i = 0; i < 3; i++) expect((await hit()).status).toBe(200);
  const refused = await hit();
  expect(refused.status).toBe(429);
  expect(await refused.json()).toEqual({ error: 'rate limited' });
  expect(refused.headers.get('retry-after')).toBe('1');
  wait(499);
  expect((await hit()).status).toBe(429);
  wait(1);
  expect((await hit()).status).toBe(200); // one token after half a second at 2/s
  expect((await hit()).status).toBe(429);
});

it('keeps a bucket per key: one flooding client does not stop another', async () => {
  const { hit } = limited({ perSecond: 1, burst: 1 });
  expect((await hit('a')).status).toBe(200);
  expect((await hit('a')).status).toBe(429);
  expect((await hit('b')).status).toBe(200);
});

it('never stores more than a burst of tokens, however long a client waited', async () => {
  const { hit, wait } = limited({ perSecond: 10, burst: 2 });
  wait(3_600_000);
  expect((await hit()).status).toBe(200);
  expect((await hit()).status).toBe(200);
  expect((await hit()).status).toBe(429);
});

it('forgets the least recently seen keys beyond maxKeys (a flood of addresses cannot grow memory)', async () => {
  const { hit } = limited({ perSecond: 1, burst: 1, maxKeys: 2 });
  expect((await hit('a')).status).toBe(200);
  expect((await hit('a')).status).toBe(429);
  await hit('b');
  await hit('c'); // a is the oldest and is forgotten: a fresh bucket
  expect((await hit('a')).status).toBe(200);
});
