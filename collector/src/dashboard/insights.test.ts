/** Each insight rule (DEFINITIONS, "Insights") fires past its threshold and stays silent below it. */
import { describe, expect, it } from 'vitest';
import { failedSearch, funnelDrop, inAppBounce, poorLcp, rageClicks, ranked, THRESHOLDS, unhelpfulArticle, type PageSignal } from './insights.ts';

const page = (path: string, s: Partial<PageSignal>): PageSignal => ({ path, pageviews: 0, rageBursts: 0, lcpSamples: 0, lcpPoor: 0, ...s });
// the rest of the site: 1,000 views with 5 rage bursts, 200 LCP samples with 10 poor
const rest = page('/rest', { pageviews: 1000, rageBursts: 5, lcpSamples: 200, lcpPoor: 10 });

describe('rageClicks', () => {
  it('fires for a page whose rage clicks per view are 3× the site’s or more', () => {
    const found = rageClicks([rest, page('/checkout', { pageviews: 100, rageBursts: 10 })]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'rageClicks', page: 'usability', figures: { path: '/checkout', rate: 0.1 } });
    expect(found[0]!.figures.times).toBeCloseTo(0.1 / (15 / 1100));
  });
  it('is silent below 3×, or on too few views or bursts', () => {
    expect(rageClicks([rest, page('/a', { pageviews: 1000, rageBursts: 12 })])).toEqual([]); // 1.2 % against 0.85 %
    expect(rageClicks([rest, page('/b', { pageviews: THRESHOLDS.rageClicks.minPageviews - 1, rageBursts: 20 })])).toEqual([]);
    expect(rageClicks([rest, page('/c', { pageviews: 60, rageBursts: THRESHOLDS.rageClicks.minBursts - 1 })])).toEqual([]);
  });
});

describe('poorLcp', () => {
  it('fires for a page with a quarter of its LCP poor and twice the site’s share', () => {
    const found = poorLcp([rest, page('/slow', { lcpSamples: 40, lcpPoor: 20 })]);
    expect(found.map((f) => f.figures.path)).toEqual(['/slow']);
    expect(found[0]!.figures.rate).toBe(0.5);
  });
  it('is silent under a quarter, under twice the site’s share, or on few samples', () => {
    expect(poorLcp([rest, page('/a', { lcpSamples: 100, lcpPoor: 20 })])).toEqual([]); // 20 %
    expect(poorLcp([page('/x', { lcpSamples: 100, lcpPoor: 40 }), page('/y', { lcpSamples: 100, lcpPoor: 30 })])).toEqual([]); // 30 % against 35 %
    expect(poorLcp([rest, page('/b', { lcpSamples: THRESHOLDS.poorLcp.minSamples - 1, lcpPoor: 19 })])).toEqual([]);
  });
});

describe('unhelpfulArticle', () => {
  it('fires when more than half of ten or more votes say not helpful', () => {
    const found = unhelpfulArticle([{ article: 'returns', title: '返品について', helpful: 4, notHelpful: 6 }]);
    expect(found[0]).toMatchObject({ kind: 'unhelpfulArticle', page: 'faq', figures: { path: '返品について', rate: 0.6, votes: 10 } });
  });
  it('is silent at half, or under ten votes', () => {
    expect(unhelpfulArticle([{ article: 'a', title: null, helpful: 5, notHelpful: 5 }])).toEqual([]);
    expect(unhelpfulArticle([{ article: 'b', title: null, helpful: 0, notHelpful: 9 }])).toEqual([]);
  });
});

describe('failedSearch', () => {
  it('fires for a query searched five times or more with no result', () => {
    expect(failedSearch([{ query: '送料', zeroResults: 7 }])).toMatchObject([{ kind: 'failedSearch', figures: { query: '送料', count: 7 } }]);
  });
  it('is silent below five', () => {
    expect(failedSearch([{ query: 'x', zeroResults: 4 }])).toEqual([]);
  });
});

describe('inAppBounce', () => {
  const site = { sessions: 1000, engagedSessions: 600 };
  it('fires for a network whose in-app sessions engage 20 points less than the site’s', () => {
    const found = inAppBounce([{ network: 'Instagram', inAppSessions: 50, inAppEngaged: 15 }], site);
    expect(found[0]).toMatchObject({ kind: 'inAppBounce', page: 'acquisition', figures: { network: 'Instagram', rate: 0.3, site: 0.6 } });
  });
  it('is silent within 20 points, or on fewer than 20 in-app sessions', () => {
    expect(inAppBounce([{ network: 'LINE', inAppSessions: 50, inAppEngaged: 21 }], site)).toEqual([]); // 42 %
    expect(inAppBounce([{ network: 'X', inAppSessions: 19, inAppEngaged: 0 }], site)).toEqual([]);
  });
});

describe('funnelDrop', () => {
  it('fires for a step that loses 70 % or more of 20 or more sessions', () => {
    const found = funnelDrop([{ step: '/pricing', sessions: 100 }, { step: '/signup', sessions: 80 }, { step: 'event:Signup', sessions: 20 }]);
    expect(found).toMatchObject([{ kind: 'funnelDrop', page: 'journeys', figures: { from: '/signup', to: 'event:Signup', rate: 0.75 } }]);
  });
  it('is silent under 70 %, or after a step of fewer than 20 sessions', () => {
    expect(funnelDrop([{ step: '/a', sessions: 100 }, { step: '/b', sessions: 31 }])).toEqual([]);
    expect(funnelDrop([{ step: '/a', sessions: 19 }, { step: '/b', sessions: 0 }])).toEqual([]);
  });
});

it('ranks the strongest first and keeps five', () => {
  const found = failedSearch([3, 50, 10, 20, 6, 8, 30].map((n) => ({ query: `q${n}`, zeroResults: n })));
  expect(ranked(found).map((f) => f.figures.query)).toEqual(['q50', 'q30', 'q20', 'q10', 'q8']);
});
