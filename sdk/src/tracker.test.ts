// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { hidePage, trackerTests } from './testing/setup';

const t = trackerTests();
const types = () => t.net.events().map((e) => e.type);

describe('page views', () => {
  it('counts the first load and every SPA navigation once', async () => {
    t.start();
    history.pushState({}, '', '/pricing');
    history.replaceState({}, '', '/pricing'); // same URL: not a new view
    history.pushState({}, '', '/pricing#plans'); // hash change in history mode: same page
    history.pushState({}, '', '/faq');
    history.back(); // back to /pricing: a view again
    await t.tracker!.flush();
    const views = t.net.events().filter((e) => e.type === 'pageview');
    expect(views.map((e) => new URL(e.url).pathname)).toEqual(['/', '/pricing', '/faq', '/pricing']);
    expect(views[3]!.data).toMatchObject({ nav: 'pop' });
    expect(views[1]!.referrer).toBe('http://localhost:3000/');
    expect(views[1]!.data).toMatchObject({ nav: 'push' });
  });

  it('follows popstate', async () => {
    t.start();
    history.pushState({}, '', '/a');
    history.pushState({}, '', '/b');
    window.dispatchEvent(new PopStateEvent('popstate'));
    // popstate with an unchanged URL is not a new view; after a real back it is
    await t.tracker!.flush();
    expect(t.net.events().filter((e) => e.type === 'pageview')).toHaveLength(3);
  });

  it('counts hash routes in hash mode only', async () => {
    t.start({ spa: 'hash' });
    location.hash = '#/faq';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await t.tracker!.flush();
    expect(t.net.events().filter((e) => e.type === 'pageview').map((e) => new URL(e.url).hash)).toEqual(['', '#/faq']);
  });

  it('does not follow the router when data-spa is off', async () => {
    t.start({ spa: 'off' });
    history.pushState({}, '', '/other');
    await t.tracker!.flush();
    expect(types()).toEqual(['pageview']);
  });

  it('restores history methods on stop', () => {
    const original = history.pushState;
    t.start();
    expect(history.pushState).not.toBe(original);
    t.tracker!.stop();
    expect(history.pushState).toBe(original);
  });
});

describe('API', () => {
  it('sends custom events, identify, NPS and FAQ votes with the contract shapes', async () => {
    t.start();
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
  it('removes query parameters that look like secrets or personal data from every URL', async () => {
    history.replaceState(null, '', '/welcome?utm_source=x&email=a@b.c&token=t&user_name=n&ref=ok');
    t.start();
    await t.tracker!.flush();
    const url = new URL(t.net.events()[0]!.url);
    expect([...url.searchParams.keys()]).toEqual(['utm_source', 'ref']);
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
