// @vitest-environment happy-dom
/**
 * Issue #13 in the browser: the tracker scrubs every event with the protocol's rules (the same case
 * table as protocol/src/scrub.test.ts), ignored regions and excluded pages leave nothing, opting
 * out writes nothing, logout forgets, and the visitor id expires.
 */
import { describe, expect, it, vi } from 'vitest';
import type { WireBatch, WireEvent } from '@kizuna/protocol';
import { TEXT_CASES, URL_CASES } from '@kizuna/protocol/scrub.cases';
import { toConfig } from './config';
import { scrubFull } from './scrub-full';
import { startFaq } from './signals/faq';
import { hidePage, startTracker, trackerTests } from './testing/setup';

const t = trackerTests();
const QUEUE = 'kizuna_q_shop.example';
const named = (name: string) => (b: WireBatch) => b.events.some((e) => (e.data as { name?: string }).name === name);

describe('scrubbing in the tracker', () => {
  // a relative one is resolved against the page in a browser: only the collector sees what is no URL
  it.each(URL_CASES.filter(([, input]) => input.includes('://')))('URL: %s', async (_, input, output) => {
    t.start({ keepParams: 'q' });
    t.tracker!.page(input);
    await t.tracker!.flush();
    expect(t.net.events().find((e) => e.type === 'pageview' && (e.data as { nav?: string }).nav === 'manual')!.url).toBe(output);
  });

  it.each(TEXT_CASES)('title: %s', async (_, input, output) => {
    document.title = input;
    t.start();
    t.tracker!.track('x');
    await t.tracker!.flush();
    expect(t.net.events()[0]!.title).toBe(output);
  });

  it('scrubs the referrer, and the URL and text fields of data', async () => {
    t.start();
    t.tracker!.page('/next?token=t');
    t.tracker!.nps(3, 'mail me at dave@example.com');
    await t.tracker!.flush();
    const [view, nps] = t.net.events().filter((e) => e.type !== 'custom' && (e.data as { nav?: string }).nav !== 'load');
    expect(view!.url).toBe('http://localhost:3000/next?token=***');
    expect(nps!.data).toMatchObject({ comment: 'mail me at ***' });
  });
});

describe('scrubbing as the transport sends (lib/scrub.ts, scrub-full.ts)', () => {
  const event = (data: object, extra: object = {}) =>
    ({ id: 'i', type: 'error', ts: 1, url: 'https://s.example/', title: 't', data, ...extra }) as WireEvent;

  it('cuts text to the protocol\'s lengths after scrubbing: a cut never leaves half a secret', () => {
    const message = 'm'.repeat(490) + ' ivan@example.com ' + 'n'.repeat(100);
    expect((scrubFull(event({ message }), []).data as { message: string }).message).toBe('m'.repeat(490) + ' *** ' + 'n'.repeat(5));
    expect((scrubFull(event({ action: 'search', query: 'q'.repeat(300) }), []).data as { query: string }).query).toHaveLength(200);
    expect(scrubFull(event({}, { title: 'T'.repeat(600) }), []).title).toHaveLength(512);
  });

  it('another site\'s referrer keeps its query values scrubbed by shape (a search engine\'s terms); this site\'s by the allow-list', () => {
    const yahoo = 'https://search.yahoo.co.jp/search?p=%E6%97%85%E8%A1%8C+%E4%BA%88%E7%B4%84&ei=UTF-8&tel=090-1234-5678';
    expect(scrubFull(event({}, { referrer: yahoo }), []).referrer).toBe('https://search.yahoo.co.jp/search?p=%E6%97%85%E8%A1%8C+%E4%BA%88%E7%B4%84&ei=UTF-8&tel=***');
    expect(scrubFull(event({}, { referrer: location.origin + '/cart?p=1&token=abc' }), []).referrer).toBe(location.origin + '/cart?p=***&token=***');
  });

  it('without kizuna.signals.js (never arrived): page views still go, with no query, fragment, title or NPS comment', async () => {
    history.replaceState(null, '', '/welcome?utm_source=x&token=t#access_token=a');
    document.title = 'Dave (dave@example.com)';
    t.tracker = startTracker({}, true);
    t.tracker.nps(9, 'call me 090-1234-5678');
    await t.tracker.flush();
    const [nps, view] = t.net.events();
    expect(view).toMatchObject({ type: 'pageview', url: 'http://localhost:3000/welcome', title: '' });
    expect(nps).toMatchObject({ type: 'nps', data: { score: 9 }, title: '' });
    expect(nps!.data).not.toHaveProperty('comment');
  });

  it('stores the queue scrubbed: what waits in localStorage holds no secret', async () => {
    history.replaceState(null, '', '/account?token=s3cr3t-token-value');
    t.start();
    t.net.status = 'offline';
    t.tracker!.track('x');
    await t.tracker!.flush();
    hidePage();
    const stored = localStorage.getItem(QUEUE) || '';
    expect(stored).toContain('token=***');
    expect(stored).not.toContain('s3cr3t');
  });
});

describe('ignore and exclude', () => {
  it('records no FAQ search typed in a data-kizuna-ignore region, nor its items', () => {
    document.body.innerHTML = `<div data-kizuna-ignore><details data-kizuna-faq="a1" open></details>
      <form data-kizuna-faq-search><input value="my card 4111111111111111"></form></div>
      <form id="ok" data-kizuna-faq-search><input value="refund for bob@example.com"></form>`;
    const emit = vi.fn();
    const stop = startFaq(emit, toConfig({ site: 'x' }, 'https://c.example'));
    document.querySelector('details')!.setAttribute('open', '');
    document.querySelectorAll('form').forEach((f) => f.dispatchEvent(new Event('submit', { bubbles: true })));
    vi.advanceTimersByTime(2000);
    stop();
    // only the search outside the region (scrubbed as it is sent: below)
    expect(emit.mock.calls).toEqual([['faq', { action: 'search', query: 'refund for bob@example.com', results: undefined }]]);
  });

  it('leaves no trace of an excluded page: no event, and not the next view\'s referrer', async () => {
    history.replaceState(null, '', '/account/secret?x=1');
    t.start({ exclude: '/account/*' });
    vi.advanceTimersByTime(1000);
    t.tracker!.track('inside');
    history.pushState(null, '', '/shop');
    vi.advanceTimersByTime(1000);
    await t.tracker!.flush();
    expect(t.net.events().map((e) => [e.type, new URL(e.url).pathname, e.referrer])).toEqual([['pageview', '/shop', null]]);
  });
});

describe('opting out writes nothing', () => {
  const gpc = () => Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: true });
  const ours = () => Object.keys(localStorage).filter((k) => k.startsWith('kizuna_'));

  it('under GPC with data-respect-dnt: no write, what was stored removed, an old queue never sent', async () => {
    const old = { id: '0b0b0b0b-0000-4000-8000-000000000000', type: 'custom', ts: Date.now(), url: 'http://localhost:3000/', data: { name: 'Before' } };
    localStorage.setItem('kizuna_v', JSON.stringify(['old-visitor', Date.now()]));
    localStorage.setItem('kizuna_s', '{}');
    localStorage.setItem('kizuna_c', '1');
    localStorage.setItem(QUEUE, JSON.stringify([old]));
    localStorage.setItem(QUEUE + 'b', JSON.stringify([old]));
    gpc();
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    try {
      t.start({ respectDnt: true, consent: 'required' });
      t.tracker!.consent(true);
      t.tracker!.track('x');
      t.tracker!.identify('cust-1');
      hidePage();
      await t.tracker!.flush();
      expect(setItem).not.toHaveBeenCalled();
      expect(ours()).toEqual([]);
      expect(t.net.batches).toEqual([]);
    } finally {
      setItem.mockRestore();
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
    }
  });
});

describe('logout and the visitor id', () => {
  for (const [name, logout] of [
    ['reset()', () => t.tracker!.reset()],
    ['identify(null)', () => t.tracker!.identify(null)],
  ] as const)
    it(`${name}: what was recorded goes once under the old visitor; then a new visitor, session and an empty stored queue`, async () => {
      t.start();
      t.tracker!.identify('alice', { plan: 'pro' });
      t.tracker!.track('AliceThing');
      logout();
      expect(localStorage.getItem(QUEUE)).toBeNull();
      t.tracker!.track('NextThing');
      await t.tracker!.flush();
      const alice = t.net.batches.find(named('AliceThing'))!;
      const next = t.net.batches.find(named('NextThing'))!;
      expect(alice.events.map((e) => e.type)).toContain('identify');
      expect(next.events.map((e) => e.type)).not.toContain('identify');
      expect(next.visitor).toBeTruthy();
      expect(next.visitor).not.toBe(alice.visitor);
      expect(next.session).not.toBe(alice.session);
      expect(JSON.parse(localStorage.getItem('kizuna_v')!)[0]).toBe(next.visitor);
    });

  it('keeps a visitor id for data-visitor-days from its creation, not renewed by visits', async () => {
    const day = 864e5;
    localStorage.setItem('kizuna_v', JSON.stringify(['v-young', Date.now() - 394 * day]));
    t.start();
    await t.tracker!.flush();
    expect(t.net.batches[0]!.visitor).toBe('v-young');
    // the visit did not renew it
    expect(JSON.parse(localStorage.getItem('kizuna_v')!)).toEqual(['v-young', expect.any(Number)]);
    expect(JSON.parse(localStorage.getItem('kizuna_v')!)[1]).toBeLessThan(Date.now() - 393 * day);
    t.tracker!.stop();

    localStorage.setItem('kizuna_v', JSON.stringify(['v-old', Date.now() - 396 * day]));
    t.start();
    await t.tracker!.flush();
    expect(t.net.batches[1]!.visitor).not.toBe('v-old');

    localStorage.setItem('kizuna_v', JSON.stringify(['v-week', Date.now() - 8 * day]));
    t.start({ visitorDays: '7' });
    await t.tracker!.flush();
    expect(t.net.batches[2]!.visitor).not.toBe('v-week');
  });
});
