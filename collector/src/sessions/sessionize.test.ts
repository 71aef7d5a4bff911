import { describe, expect, it } from 'vitest';
import { campaignKey, sessionize, type KnownSession, type SessionEvent } from './sessionize.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 2, 9, 0);
const pv = (minute: number, url = 'https://s.example/', extra: Partial<SessionEvent> = {}): SessionEvent => ({
  ts: T0 + minute * MIN,
  type: 'pageview',
  url,
  path: new URL(url).pathname,
  data: {},
  ...extra,
});
const ids = () => {
  let n = 0;
  return () => `s${++n}`;
};

describe('sessionize (DEFINITIONS: Session)', () => {
  it('keeps events 30 minutes apart in one session and splits at 30 min + 1 ms', () => {
    const together = sessionize([], [pv(0), pv(30)], ids());
    expect(new Set(together.sessionOf).size).toBe(1);
    const apart = sessionize([], [pv(0), { ...pv(30), ts: T0 + 30 * MIN + 1 }], ids());
    expect(apart.sessionOf).toEqual(['s1', 's2']);
  });

  it('chains: each event within 30 minutes of the previous keeps the session open', () => {
    const { sessionOf, deltas } = sessionize([], [pv(0), pv(25), pv(50), pv(75)], ids());
    expect(new Set(sessionOf).size).toBe(1);
    expect(deltas[0]).toMatchObject({ start: T0, last: T0 + 75 * MIN, pageviews: 4, events: 4 });
  });

  it('starts a new session on a landing from another campaign, not on a campaign-less page', () => {
    const events = [
      pv(0, 'https://s.example/?utm_source=x&utm_campaign=spring'),
      pv(2, 'https://s.example/pricing'),
      pv(4, 'https://s.example/?utm_source=x&utm_campaign=spring'),
      pv(6, 'https://s.example/?utm_source=newsletter&utm_medium=email'),
    ];
    expect(sessionize([], events, ids()).sessionOf).toEqual(['s1', 's1', 's1', 's2']);
  });

  it('sorts events by time, whatever order they arrive in', () => {
    const { sessionOf, deltas } = sessionize([], [pv(40, 'https://s.example/b'), pv(0, 'https://s.example/a'), pv(20, 'https://s.example/c')], ids());
    expect(new Set(sessionOf).size).toBe(1);
    expect(deltas[0]!.first).toMatchObject({ path: '/a' });
    expect(deltas[0]!.exit).toMatchObject({ path: '/b' });
  });

  it('continues a stored session and keeps its landing unless the batch saw an earlier page', () => {
    const known: KnownSession[] = [{ id: 'old', start: T0, last: T0 + 10 * MIN, campaign: '', hasLanding: true }];
    const later = sessionize(known, [pv(20, 'https://s.example/next')], ids());
    expect(later.sessionOf).toEqual(['old']);
    expect(later.deltas[0]).toMatchObject({ id: 'old', isNew: false, first: undefined, exit: { path: '/next' } });
    const earlier = sessionize(known, [pv(-5, 'https://s.example/first')], ids());
    expect(earlier.deltas[0]).toMatchObject({ id: 'old', first: { path: '/first' }, exit: undefined, start: T0 - 5 * MIN });
  });

  it('puts a late event (an offline queue replayed later) into the stored session it falls in', () => {
    const known: KnownSession[] = [
      { id: 'monday', start: T0, last: T0 + 10 * MIN, campaign: '', hasLanding: true },
      { id: 'tuesday', start: T0 + 1440 * MIN, last: T0 + 1450 * MIN, campaign: '', hasLanding: true },
    ];
    const { sessionOf } = sessionize(known, [{ ...pv(12), type: 'custom' }, pv(600)], ids());
    expect(sessionOf).toEqual(['monday', 's1']);
  });

  it('adds up engaged time from pageleave events', () => {
    const { deltas } = sessionize([], [pv(0), { ...pv(1), type: 'pageleave', data: { engaged: 7000 } }, { ...pv(2), type: 'pageleave', data: { engaged: 4000 } }], ids());
    expect(deltas[0]).toMatchObject({ engagedMs: 11_000, pageviews: 1, events: 3 });
  });
});

describe('campaignKey', () => {
  it('is utm source|medium|campaign, lower-cased, or empty', () => {
    expect(campaignKey('https://s.example/?utm_source=X&utm_medium=Social&utm_campaign=Spring')).toBe('x|social|spring');
    expect(campaignKey('https://s.example/?gclid=1')).toBe('');
    expect(campaignKey('not a url')).toBe('');
  });
});
