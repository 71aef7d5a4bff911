/**
 * The engagement score, model v1 (DEFINITIONS: "Engagement score"), at every boundary of every
 * part. reports/visitors.test.ts holds the SQL twin to it on a real database.
 */
import { describe, expect, it } from 'vitest';
import { engagementScore, type ScoreInput } from './score.ts';

/** Nothing but a visitor last seen 30 days before the end: every part 0. */
const NONE: ScoreInput = {
  daysSinceLastSeen: 30, sessions: 0, pageviews: 0, engagedMs: 0, customEvents: 0, goalConversions: 0,
  faqVotes: 0, npsAnswers: 0, searches: 0, shares: 0, latestNps: null,
};
const score = (input: Partial<ScoreInput>) => engagementScore({ ...NONE, ...input });
const part = (name: keyof ReturnType<typeof score>['parts'], input: Partial<ScoreInput>) => score(input).parts[name];

describe('engagementScore (model v1)', () => {
  it('recency: 20 within a day of the end, then linear to 0 at 30 days', () => {
    expect(part('recency', { daysSinceLastSeen: 0 })).toBe(20);
    expect(part('recency', { daysSinceLastSeen: 1 })).toBe(20);
    expect(part('recency', { daysSinceLastSeen: 1.5 })).toBe(19.7); // 20 × 28.5 / 29 = 19.66
    expect(part('recency', { daysSinceLastSeen: 15.5 })).toBe(10); // half way between 1 and 30
    expect(part('recency', { daysSinceLastSeen: 29 })).toBe(0.7); // 20 / 29
    expect(part('recency', { daysSinceLastSeen: 30 })).toBe(0);
    expect(part('recency', { daysSinceLastSeen: 31 })).toBe(0);
  });

  it('frequency: 2 per session, at most 20', () => {
    expect(part('frequency', { sessions: 1 })).toBe(2);
    expect(part('frequency', { sessions: 9 })).toBe(18);
    expect(part('frequency', { sessions: 10 })).toBe(20);
    expect(part('frequency', { sessions: 11 })).toBe(20);
  });

  it('depth: engaged time (30 min = 10) plus page views (20 = 10), each at most 10', () => {
    expect(part('depth', { engagedMs: 900_000 })).toBe(5);
    expect(part('depth', { engagedMs: 1_800_000 })).toBe(10);
    expect(part('depth', { engagedMs: 3_600_000 })).toBe(10);
    expect(part('depth', { pageviews: 1 })).toBe(0.5);
    expect(part('depth', { pageviews: 19 })).toBe(9.5);
    expect(part('depth', { pageviews: 20 })).toBe(10);
    expect(part('depth', { pageviews: 40 })).toBe(10);
    expect(part('depth', { engagedMs: 3_600_000, pageviews: 40 })).toBe(20);
    expect(part('depth', { engagedMs: 900_000, pageviews: 30 })).toBe(15);
  });

  it('interaction: 4 per custom event, FAQ vote, NPS answer or search, 10 per goal conversion, at most 20', () => {
    expect(part('interaction', { customEvents: 1 })).toBe(4);
    expect(part('interaction', { faqVotes: 1, npsAnswers: 1, searches: 1 })).toBe(12);
    expect(part('interaction', { customEvents: 4 })).toBe(16);
    expect(part('interaction', { customEvents: 5 })).toBe(20);
    expect(part('interaction', { goalConversions: 1 })).toBe(10);
    expect(part('interaction', { goalConversions: 1, searches: 1 })).toBe(14);
    expect(part('interaction', { goalConversions: 3 })).toBe(20);
  });

  it('advocacy: 10 per share, 10 for a promoter latest answer, at most 20; a detractor latest answer sets 0', () => {
    expect(part('advocacy', { shares: 1 })).toBe(10);
    expect(part('advocacy', { shares: 2 })).toBe(20);
    expect(part('advocacy', { shares: 3 })).toBe(20);
    expect(part('advocacy', { latestNps: 9 })).toBe(10);
    expect(part('advocacy', { latestNps: 10, shares: 1 })).toBe(20);
    expect(part('advocacy', { latestNps: 10, shares: 2 })).toBe(20);
    expect(part('advocacy', { latestNps: 8, shares: 1 })).toBe(10); // passive: shares only
    expect(part('advocacy', { latestNps: 7 })).toBe(0);
    expect(part('advocacy', { latestNps: 6, shares: 2 })).toBe(0); // detractor
    expect(part('advocacy', { latestNps: 0, shares: 1 })).toBe(0);
  });

  it('totals the rounded parts and segments the total: champion ≥ 70, engaged ≥ 40, casual ≥ 15, dormant', () => {
    const full = { sessions: 10, goalConversions: 2, shares: 2 }; // 20 + 20 + 20
    expect(score({ ...full, pageviews: 20 })).toEqual({
      total: 70, segment: 'champion', parts: { recency: 0, frequency: 20, depth: 10, interaction: 20, advocacy: 20 },
    });
    expect(score({ ...full, engagedMs: 1_782_000 })).toMatchObject({ total: 69.9, segment: 'engaged' }); // depth 9.9
    expect(score({ sessions: 10, goalConversions: 2 })).toMatchObject({ total: 40, segment: 'engaged' });
    expect(score({ sessions: 10, customEvents: 4, engagedMs: 702_000 })).toMatchObject({ total: 39.9, segment: 'casual' });
    expect(score({ sessions: 1, customEvents: 3, pageviews: 2 })).toMatchObject({ total: 15, segment: 'casual' });
    expect(score({ sessions: 1, customEvents: 3, engagedMs: 162_000 })).toMatchObject({ total: 14.9, segment: 'dormant' });
    expect(score({ daysSinceLastSeen: 0, sessions: 20, pageviews: 99, engagedMs: 9e9, goalConversions: 9, shares: 9, latestNps: 10 }))
      .toMatchObject({ total: 100, segment: 'champion' });
    expect(score({})).toMatchObject({ total: 0, segment: 'dormant' });
    // 19.655… + 0.5 shows as 19.7 + 0.5: the total is the sum of what is shown
    expect(score({ daysSinceLastSeen: 1.5, pageviews: 1 }).total).toBe(20.2);
  });
});
