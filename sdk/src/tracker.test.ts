// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { hidePage, trackerTests } from './testing/setup';

const t = trackerTests();
const types = () => t.net.events().map((e) => e.type);

/** A visitor's pause on a page: long enough for its view to be sent (pageviews.ts MAX_MS). */
const read = () => vi.advanceTimersByTime(1_000);
const views = () => t.net.events().filter((e) => e.type === 'pageview');
const paths = () => views().map((e) => new URL(e.url).pathname + new URL(e.url).hash);

describe('page views', () => {
  it('counts the first load and every SPA navigation once', async () => {
    t.start();
    read();
    history.pushState({}, '', '/pricing');
    read();
    history.replaceState({}, '', '/pricing'); // same URL: not a new view
    history.pushState({}, '', '/pricing#plans'); // an anchor in history mode: same page
    read();
    history.pushState({}, '', '/faq');
    read();
    history.back(); // back to /pricing: a view again
    read();
    await t.tracker!.flush();
    // an anchor is not a route: dropped from what is sent (DEFINITIONS, privacy)
    expect(paths()).toEqual(['/', '/pricing', '/faq', '/pricing']);
    expect(views()[3]!.data).toMatchObject({ nav: 'pop' });
    expect(views()[1]!.referrer).toBe('http://localhost:3000/');
    expect(views()[1]!.data).toMatchObject({ nav: 'push' });
  });

  it('follows popstate', async () => {
    t.start();
    read();
    history.pushState({}, '', '/a');
    read();
    history.pushState({}, '', '/b');
    read();
    window.dispatchEvent(new PopStateEvent('popstate'));
    // popstate with an unchanged URL is not a new view; after a real back it is
    await t.tracker!.flush();
    expect(views()).toHaveLength(3);
  });

  it('counts hash routes in hash mode, whether the router pushes them or sets location.hash', async () => {
    t.start({ spa: 'hash' });
    read();
    location.hash = '#/faq';
    window.dispatchEvent(new PopStateEvent('popstate')); // as browsers fire it for a fragment change
    read();
    history.pushState(null, '', '#/pricing'); // how hash routers navigate: no hashchange
    read();
    history.pushState(null, '', '#/pricing#faq'); // an anchor within the route: the same page
    read();
    history.pushState(null, '', '#plans'); // in hash mode any fragment is a page
    await t.tracker!.flush();
    // a fragment that is not a route (`#/…`) is not sent: the view is counted, without it
    expect(views().map((e) => new URL(e.url).hash)).toEqual(['', '#/faq', '#/pricing', '']);
  });

  it('counts hash routes in the default mode too, and anchors not', async () => {
    t.start();
    read();
    history.pushState(null, '', '/#/faq');
    read();
    history.pushState(null, '', '/#!/pricing');
    read();
    history.pushState(null, '', '/#!/pricing#top'); // an anchor within the route: the same page
    read();
    history.pushState(null, '', '/'); // back to the home page
    read();
    history.pushState(null, '', '/#contact'); // an anchor
    await t.tracker!.flush();
    expect(paths()).toEqual(['/', '/#/faq', '/#!/pricing', '/']);
  });

  it('sends one view for a navigation and its redirect, with the title the new route renders', async () => {
    document.title = 'Home';
    t.start();
    read();
    history.pushState({}, '', '/old'); // the router renders /old, which redirects in a component
    document.title = 'Old';
    vi.advanceTimersByTime(60);
    history.replaceState({}, '', '/new');
    vi.advanceTimersByTime(150);
    document.title = 'New';
    read();
    await t.tracker!.flush();
    expect(views().map((e) => [new URL(e.url).pathname, e.title, e.referrer && new URL(e.referrer).pathname])).toEqual([
      ['/', 'Home', null],
      ['/new', 'New', '/'],
    ]);
  });

  it('waits at most a second for a title that does not change, and sends a pending view on flush', async () => {
    document.title = 'Shop';
    t.start();
    vi.advanceTimersByTime(999);
    expect(t.net.events()).toHaveLength(0);
    await t.tracker!.flush(); // a page that awaits flush() before it navigates away
    expect(views()).toHaveLength(1);
    history.pushState({}, '', '/next');
    window.dispatchEvent(new Event('pagehide'));
    // the first page's engaged time, then the view that was waiting
    expect(t.net.beacons.flatMap((b) => b.events).map((e) => [e.type, new URL(e.url).pathname])).toEqual([
      ['pageleave', '/'],
      ['pageview', '/next'],
    ]);
  });

  it('stamps a view with the time its navigation began, before what the visitor did meanwhile', async () => {
    t.start();
    const began = Date.now();
    vi.advanceTimersByTime(100);
    t.tracker!.track('early');
    read();
    await t.tracker!.flush();
    const [custom, view] = t.net.events();
    expect(view).toMatchObject({ type: 'pageview', ts: began });
    expect(custom!.ts).toBeGreaterThan(view!.ts);
  });

  it('counts a restore from the back/forward cache', async () => {
    t.start();
    read();
    const pageshow = (persisted: boolean) => window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted }));
    pageshow(true);
    pageshow(false); // a first show: no view
    read();
    await t.tracker!.flush();
    expect(views().map((e) => e.data)).toMatchObject([{ nav: 'load' }, { nav: 'pop' }]);
  });

  it('does not follow the router when data-spa is off', async () => {
    t.start({ spa: 'off' });
    history.pushState({}, '', '/other');
    read();
    await t.tracker!.flush();
    expect(types()).toEqual(['pageview']);
  });

  it("lets a library's later patch of History.prototype run, and counts through one made before", async () => {
    const proto = History.prototype;
    const native = proto.replaceState;
    const calls: string[] = [];
    t.start();
    read();
    // a library patching the prototype after the SDK
    proto.replaceState = function (this: History, ...args: Parameters<History['replaceState']>) {
      calls.push('lib');
      return native.apply(this, args);
    };
    try {
      history.replaceState({}, '', '/after');
      read();
      expect(calls).toEqual(['lib']);
    } finally {
      proto.replaceState = native;
    }
    t.tracker!.stop();
    // a library that put its own pushState on the instance before the SDK loaded
    const own = function (this: History, ...args: Parameters<History['pushState']>) {
      calls.push('own');
      return proto.pushState.apply(this, args);
    };
    history.pushState = own;
    try {
      t.start();
      read();
      history.pushState({}, '', '/own');
      read();
      await t.tracker!.flush();
      expect(calls).toEqual(['lib', 'own']);
      expect(paths().at(-1)).toBe('/own');
    } finally {
      t.tracker!.stop();
      delete (history as Partial<History>).pushState;
    }
  });

  it('restores history methods on stop', () => {
    const original = History.prototype.pushState;
    t.start();
    expect(History.prototype.pushState).not.toBe(original);
    t.tracker!.stop();
    expect(History.prototype.pushState).toBe(original);
  });
});

describe('API', () => {
  it('sends custom events, identify, NPS and FAQ votes with the contract shapes', async () => {
    t.start();
    read();
    t.tracker!.track('Signup', { plan: 'pro', seats: 3, annual: true });
    t.tracker!.identify('cust-42', { tier: 'gold' });
    t.tracker!.nps(9, 'great');
    t.tracker!.nps(11); // not an NPS score: ignored
    t.tracker!.nps(3.5);
    t.tracker!.faqVote('returns', false);
    await t.tracker!.flush();
    const [, custom, identify, nps, vote] = t.net.events();
    expect(custom).toMatchObject({ type: 'custom', data: { name: 'Signup', props: { plan: 'pro', seats: 3, annual: true } } });
    expect(identify).toMatchObject({ type: 'identify', data: { customer: 'cust-42', traits: { tier: 'gold' } } });
    expect(nps).toMatchObject({ type: 'nps', data: { score: 9, comment: 'great' } });
    expect(vote).toMatchObject({ type: 'faq', data: { action: 'vote', article: 'returns', helpful: false } });
    expect(t.net.events()).toHaveLength(5);
  });

  it('gives every event a distinct uuid v4 and stamps the batch with site, visitor, session', async () => {
    t.start();
    t.tracker!.track('a');
    t.tracker!.track('b');
    await t.tracker!.flush();
    const ids = t.net.events().map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
    ids.forEach((id) => expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));
    expect(t.net.batches[0]).toMatchObject({ site: 'shop.example', visitor: expect.any(String), session: expect.any(String) });
  });

  it('page(url) sends a manual page view', async () => {
    t.start({ spa: 'off' });
    t.tracker!.page('https://shop.example/virtual/step-2');
    await t.tracker!.flush();
    expect(t.net.events()[1]).toMatchObject({ type: 'pageview', url: 'https://shop.example/virtual/step-2', data: { nav: 'manual' } });
  });

  it('sends data-kizuna-event clicks with their props, and not inside data-kizuna-ignore', async () => {
    document.body.innerHTML = `<button id="b" data-kizuna-event="Signup" data-kizuna-prop-plan="trial"><span id="inner">Go</span></button>
      <div data-kizuna-ignore><button id="i" data-kizuna-event="Hidden">x</button></div>`;
    t.start();
    document.getElementById('inner')!.click();
    document.getElementById('i')!.click();
    await t.tracker!.flush();
    expect(t.net.events().filter((e) => e.type === 'custom').map((e) => e.data)).toEqual([{ name: 'Signup', props: { plan: 'trial' } }]);
  });

  it('never throws into the page, whatever it is given', () => {
    t.start();
    expect(() => t.tracker!.track(undefined as never, { bad: {} as never })).not.toThrow();
    expect(() => t.tracker!.identify(null as never)).not.toThrow();
    expect(() => (t.tracker as any).nps('x')).not.toThrow();
    expect(t.tracker!.flush()).toBeInstanceOf(Promise);
  });
});

describe('privacy', () => {
  it('keeps the values of allowed query parameters only, in every URL (protocol/src/scrub.ts)', async () => {
    history.replaceState(null, '', '/welcome?utm_source=x&email=a@b.c&token=t&user_name=n&ref=ok&q=shoes');
    t.start({ keepParams: 'q' });
    await t.tracker!.flush();
    expect(t.net.events()[0]!.url).toBe('http://localhost:3000/welcome?utm_source=x&email=***&token=***&user_name=***&ref=ok&q=shoes');
    // and the collector is told which the site keeps, to scrub the same way
    expect(t.net.batches[0]!.keep).toEqual(['q']);
  });

  it('sends nothing for excluded URLs', async () => {
    history.replaceState(null, '', '/admin/users');
    t.start({ exclude: '/admin*' });
    t.tracker!.track('x');
    history.pushState({}, '', '/shop');
    await t.tracker!.flush();
    expect(t.net.events().map((e) => new URL(e.url).pathname)).toEqual(['/shop']);
  });

  it('honours DNT and GPC only with data-respect-dnt', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: true });
    t.start({ respectDnt: true });
    await t.tracker!.flush();
    expect(t.net.batches).toHaveLength(0);
    t.tracker!.stop();
    t.start();
    await t.tracker!.flush();
    expect(t.net.batches).toHaveLength(1);
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: undefined });
  });

  it('with consent required, stores and sends nothing until consent(true), then sends what was held', async () => {
    t.start({ consent: 'required' });
    read();
    t.tracker!.track('before');
    await t.tracker!.flush();
    vi.advanceTimersByTime(10_000);
    hidePage();
    expect(t.net.batches).toHaveLength(0);
    expect(localStorage.length).toBe(0);
    t.tracker!.consent(true);
    await t.tracker!.flush();
    expect(types()).toEqual(['pageview', 'custom', 'pageleave']); // the hide's pageleave was held too
    expect(localStorage.getItem('kizuna_v')).toBeTruthy();
  });

  it('withdrawing consent deletes the local ids and the queue', async () => {
    t.start();
    t.net.status = 'offline';
    t.tracker!.track('queued');
    hidePage();
    expect(localStorage.getItem('kizuna_q_shop.example')).toBeTruthy();
    t.tracker!.consent(false);
    expect(localStorage.length).toBe(0);
    t.net.status = 202;
    t.tracker!.track('after');
    await t.tracker!.flush();
    expect(t.net.fetches).toHaveLength(0);
  });

  it('sends no visitor id (the collector derives one, as in cookieless mode) when storage throws', async () => {
    const denied = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    vi.stubGlobal('localStorage', { getItem: denied, setItem: denied, removeItem: denied });
    for (let load = 0; load < 2; load++) {
      t.start();
      await t.tracker!.flush();
      t.tracker!.stop();
    }
    expect(t.net.batches.map((b) => b.visitor)).toEqual([null, null]);
  });

  it('writes nothing to any storage in cookieless mode, and sends a null visitor', async () => {
    t.start({ mode: 'cookieless' });
    t.tracker!.track('x');
    t.net.status = 'offline';
    await t.tracker!.flush();
    hidePage();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(t.net.beacons[0]!.visitor).toBeNull();
  });
});
