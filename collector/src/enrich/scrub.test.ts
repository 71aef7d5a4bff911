/**
 * The collector scrubs at ingest with the SDK's rules (protocol/src/scrub.ts), on the same case
 * table: what an old script, a server-side sender or a bug sends raw is stored scrubbed.
 */
import { describe, expect, it } from 'vitest';
import { TEXT_CASES, URL_CASES } from '@kizuna/protocol/scrub.cases';
import { batchSchema, type ValidBatch } from '@kizuna/protocol';
import type { Site } from '../sites/index.ts';
import { enrichBatch, type EnrichedBatch } from './index.ts';

const NOW = Date.UTC(2025, 0, 15, 12);
const deps = { now: () => NOW, visitorHash: async () => 'hash', country: () => null };
const site = { id: 's.example', origins: ['https://s.example'], timezone: 'UTC' } as Site;
let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

const enrich = async (events: object[], keep?: string[]) => {
  const batch = batchSchema.parse({ site: 's.example', visitor: 'v1', session: 's1', sentAt: NOW, keep, events: events.map((e) => ({ id: id(), ts: NOW, ...e })) });
  const out = await enrichBatch(deps, batch as ValidBatch, { ip: '192.0.2.1', userAgent: 'Mozilla/5.0 Chrome/120', site });
  return (out as EnrichedBatch).events;
};

describe('ingest scrubbing', () => {
  it.each(URL_CASES.filter(([, input]) => /^https?:/.test(input)))('url, referrer, data.url: %s', async (_, input, output) => {
    const [view, outbound] = await enrich(
      [
        { type: 'pageview', url: input, referrer: input, data: {} },
        { type: 'outbound', url: 'https://s.example/', data: { url: input } },
      ],
      ['q'],
    );
    expect([view!.url, view!.referrer, outbound!.data.url]).toEqual([output, output, output]);
  });

  it.each(TEXT_CASES)('title, error message, FAQ search: %s', async (_, input, output) => {
    const [error, faq] = await enrich([
      { type: 'error', url: 'https://s.example/', title: input, data: { message: input } },
      { type: 'faq', url: 'https://s.example/', data: { action: 'search', query: input.slice(0, 200) } },
    ]);
    expect([error!.title, error!.data.message, faq!.data.query]).toEqual([output, output, output]);
  });

  it('groups a page whose id was scrubbed with the others', async () => {
    const [e] = await enrich([{ type: 'pageview', url: 'https://s.example/users/dave@example.com/profile', data: {} }]);
    expect([e!.url, e!.path]).toEqual(['https://s.example/users/***/profile', '/users/:id/profile']);
  });

  it('a search engine\'s referrer keeps its terms (scrubbed by shape), and the session reads them; other referrers\' values go', async () => {
    const yahoo = 'https://search.yahoo.co.jp/search?p=%E6%97%85%E8%A1%8C+%E4%BA%88%E7%B4%84&ei=UTF-8&fr=top_ga1_sa';
    const google = 'https://www.google.com/search?q=carol%40example.com+refund&sourceid=chrome';
    const blog = 'https://blog.example/post?q=shoes&p=2';
    const [a, b, c] = await enrich([yahoo, google, blog].map((referrer) => ({ type: 'pageview', url: 'https://s.example/', referrer, data: {} })));
    expect([a!.referrer, b!.referrer, c!.referrer]).toEqual([
      'https://search.yahoo.co.jp/search?p=%E6%97%85%E8%A1%8C+%E4%BA%88%E7%B4%84&ei=***&fr=***',
      'https://www.google.com/search?q=***%20refund&sourceid=***',
      'https://blog.example/post?q=***&p=***',
    ]);
    const batch = batchSchema.parse({ site: 's.example', visitor: 'v1', session: 's1', sentAt: NOW, events: [{ id: id(), ts: NOW, type: 'pageview', url: 'https://s.example/', referrer: yahoo, data: {} }] });
    const out = (await enrichBatch(deps, batch as ValidBatch, { ip: '192.0.2.1', userAgent: 'Mozilla/5.0 Chrome/120', site })) as EnrichedBatch;
    expect(out.acquire(out.events[0]!.url, out.events[0]!.referrer!)).toMatchObject({ searchTerm: '旅行 予約', searchEngine: 'yahoo.co.jp' });
  });
});
