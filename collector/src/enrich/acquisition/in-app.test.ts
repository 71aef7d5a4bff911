import { describe, expect, it } from 'vitest';
import { IN_APP_MARKERS, inAppNetwork } from './in-app.ts';
import { IN_APP_USER_AGENTS } from './in-app.fixtures.ts';
import { CHROME, classify } from './test-helpers.ts';

describe('in-app browsers (DEFINITIONS markers)', () => {
  it.each(IN_APP_USER_AGENTS)('%s is %s… → %s', (_app, userAgent, network) => {
    expect(inAppNetwork(userAgent)).toBe(network);
    expect(classify('/', null, { userAgent })).toMatchObject({ source: network, network, inApp: true, channel: 'Organic Social', category: 'social' });
  });

  it('has real user agents for every network with a marker', () => {
    const covered = new Set(IN_APP_USER_AGENTS.map(([, , network]) => network));
    expect(IN_APP_MARKERS.map(([network]) => network).filter((n) => !covered.has(n))).toEqual([]);
    expect(IN_APP_USER_AGENTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each([
    ['Chrome', CHROME],
    ['Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'],
    ['Android Chrome', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'],
    ['a page about timelines', 'Mozilla/5.0 Timeline/1.0 inline/2'],
    ['empty', ''],
  ])('is no in-app browser: %s', (_name, userAgent) => {
    expect(inAppNetwork(userAgent)).toBeNull();
  });

  it('takes the first marker in table order (Threads before Instagram, Instagram before Facebook)', () => {
    expect(inAppNetwork('Mozilla/5.0 Barcelona 289.0 Instagram 334.0')).toBe('threads');
    expect(inAppNetwork('Mozilla/5.0 Instagram 334.0 [FB_IAB/FB4A;FBAV/440.0]')).toBe('instagram');
  });
});
