// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { toConfig } from '../config';
import { pageViewed } from '../lib/page';
import type { Emit } from '../types';
import { startFaq } from './faq';

const config = toConfig({ site: 'x', faq: '/faq*', support: '/contact*' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: (() => void) | undefined;

/** An IntersectionObserver the test drives: `show(el, ratio)` is the browser reporting a crossing. */
class FakeIO {
  static last: FakeIO;
  targets = new Set<Element>();
  constructor(
    public callback: IntersectionObserverCallback,
    public options?: IntersectionObserverInit,
  ) {
    FakeIO.last = this;
  }
  observe(el: Element) {
    this.targets.add(el);
  }
  disconnect() {
    this.targets.clear();
  }
  show(target: Element, ratio: number) {
    if (this.targets.has(target))
      this.callback([{ target, isIntersecting: ratio > 0, intersectionRatio: ratio } as IntersectionObserverEntry], this as never);
  }
}

const start = () => (stop = startFaq(emit, config));
const $ = (selector: string) => document.querySelector(selector) as HTMLElement;
/** lets MutationObserver callbacks run */
const mutations = () => vi.advanceTimersByTimeAsync(0);
const navigate = (path: string) => {
  history.pushState({}, '', path);
  pageViewed(location.href);
};
const faqCalls = (action: string) => emit.mock.calls.filter(([type, data]) => type === 'faq' && (data as { action: string }).action === action).map(([, data]) => data);
const submit = (form: Element) => form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('IntersectionObserver', FakeIO);
  emit = vi.fn<Emit>();
  history.replaceState(null, '', '/help');
  document.body.innerHTML = '';
});
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('FAQ page views', () => {
  it('counts a page view matching data-faq, with its path as the article', () => {
    history.replaceState(null, '', '/faq/returns?from=x');
    start();
    expect(emit).toHaveBeenCalledExactlyOnceWith('faq', { action: 'view', article: '/faq/returns', title: undefined });
  });

  it('ignores other pages and counts each SPA page view of an FAQ page', () => {
    start();
    expect(emit).not.toHaveBeenCalled();
    navigate('/faq/shipping');
    navigate('/pricing');
    navigate('/faq/shipping');
    expect(faqCalls('view')).toEqual([
      { action: 'view', article: '/faq/shipping', title: undefined },
      { action: 'view', article: '/faq/shipping', title: undefined },
    ]);
  });
});

describe('FAQ items', () => {
  it('counts a <details> item when it is opened, once per page view', async () => {
    document.body.innerHTML = '<details data-kizuna-faq="returns" data-kizuna-faq-title="Returns"><summary>Q</summary>A</details>';
    start();
    const details = $('details') as HTMLDetailsElement;
    details.open = true;
    await mutations();
    expect(faqCalls('view')).toEqual([{ action: 'view', article: 'returns', title: 'Returns' }]);
    details.open = false;
    await mutations();
    details.open = true;
    await mutations();
    expect(faqCalls('view')).toHaveLength(1);
    navigate('/other');
    details.open = false;
    await mutations();
    details.open = true;
    await mutations();
    expect(faqCalls('view')).toHaveLength(2);
  });

  it('counts an accordion item when a control inside it becomes expanded', async () => {
    document.body.innerHTML =
      '<div data-kizuna-faq="shipping"><button aria-expanded="false">Q</button><div>A</div></div><button id="menu" aria-expanded="false">Menu</button>';
    start();
    const control = $('[data-kizuna-faq] button');
    control.addEventListener('click', () => control.setAttribute('aria-expanded', 'true'));
    control.click();
    $('#menu').setAttribute('aria-expanded', 'true'); // not inside an item
    await mutations();
    expect(faqCalls('view')).toEqual([{ action: 'view', article: 'shipping', title: undefined }]);
  });

  it('does not count an item being closed', async () => {
    document.body.innerHTML = '<div data-kizuna-faq="a"><button aria-expanded="true">Q</button></div>';
    start();
    $('button').setAttribute('aria-expanded', 'false');
    await mutations();
    expect(emit).not.toHaveBeenCalled();
  });

  it('counts an item at least half visible for 1 s: not at 999 ms, at 1000 ms', () => {
    document.body.innerHTML = '<section data-kizuna-faq="a"></section>';
    start();
    expect(FakeIO.last.options).toEqual({ threshold: 0.5 });
    FakeIO.last.show($('section'), 0.5);
    vi.advanceTimersByTime(999);
    expect(emit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(emit).toHaveBeenCalledExactlyOnceWith('faq', { action: 'view', article: 'a', title: undefined });
  });

  it('does not count an item less than half visible, or scrolled past within 1 s', () => {
    document.body.innerHTML = '<section data-kizuna-faq="a"></section><section data-kizuna-faq="b"></section>';
    start();
    const [a, b] = document.querySelectorAll('section');
    FakeIO.last.show(a!, 0.49);
    FakeIO.last.show(b!, 0.8);
    vi.advanceTimersByTime(900);
    FakeIO.last.show(b!, 0.3);
    vi.advanceTimersByTime(5_000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('watches items rendered after start', async () => {
    start();
    document.body.insertAdjacentHTML('beforeend', '<div><article data-kizuna-faq="late"></article></div>');
    await mutations();
    FakeIO.last.show($('article'), 1);
    vi.advanceTimersByTime(1_000);
    expect(faqCalls('view')).toEqual([{ action: 'view', article: 'late', title: undefined }]);
  });

  it('falls back to the page path for an item without an id', async () => {
    document.body.innerHTML = '<details data-kizuna-faq></details>';
    start();
    ($('details') as HTMLDetailsElement).open = true;
    await mutations();
    expect(faqCalls('view')).toEqual([{ action: 'view', article: '/help', title: undefined }]);
  });

  it('still counts opened items without IntersectionObserver', async () => {
    vi.stubGlobal('IntersectionObserver', undefined);
    document.body.innerHTML = '<details data-kizuna-faq="a"></details>';
    expect(start).not.toThrow();
    ($('details') as HTMLDetailsElement).open = true;
    await mutations();
    expect(faqCalls('view')).toHaveLength(1);
  });
});

describe('FAQ search', () => {
  const page = (results = '') =>
    (document.body.innerHTML = `<form data-kizuna-faq-search><input type="hidden" value="secret"><input type="search"></form><ul ${results}></ul>`);
  const search = (query: string) => {
    ($('input[type=search]') as HTMLInputElement).value = query;
    submit($('form'));
  };
  /** the page renders its results `after` ms after the submit */
  const renderResults = (n: number, after: number) =>
    $('form').addEventListener('submit', () => setTimeout(() => $('ul').setAttribute('data-kizuna-results', String(n)), after));

  it('sends the query, trimmed and lower-cased, with the result count once it renders', async () => {
    page();
    renderResults(3, 300);
    start();
    search('  Return POLICY ');
    await vi.advanceTimersByTimeAsync(299);
    expect(emit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(emit).toHaveBeenCalledExactlyOnceWith('faq', { action: 'search', query: 'return policy', results: 3 });
  });

  it('sends a failed search (0 results), also when the previous search had 0 too', async () => {
    page('data-kizuna-results="0"');
    renderResults(0, 100); // same value again: no change to see
    start();
    search('refund');
    await vi.advanceTimersByTimeAsync(1_499);
    expect(emit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(faqCalls('search')).toEqual([{ action: 'search', query: 'refund', results: 0 }]);
  });

  it('waits 1.5 s for results, then sends without a count', async () => {
    page();
    start();
    search('warranty');
    await vi.advanceTimersByTimeAsync(1_499);
    expect(emit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(JSON.stringify(faqCalls('search'))).toBe('[{"action":"search","query":"warranty"}]');
  });

  it('finds the input marked data-kizuna-faq-search in a form (its query cut to 200 characters as it is sent: scrub-full.ts)', () => {
    document.body.innerHTML = '<form><input name="email" value="me@example.com"><input data-kizuna-faq-search></form>';
    start();
    ($('[data-kizuna-faq-search]') as HTMLInputElement).value = 'A'.repeat(250);
    submit($('form'));
    window.dispatchEvent(new Event('pagehide'));
    expect(faqCalls('search')).toEqual([{ action: 'search', query: 'a'.repeat(250), results: undefined }]);
  });

  it('sends a waiting search at once when the page goes (a form that loads a new page)', () => {
    page();
    start();
    search('delivery');
    window.dispatchEvent(new Event('pagehide'));
    expect(faqCalls('search')).toEqual([{ action: 'search', query: 'delivery', results: undefined }]);
    vi.advanceTimersByTime(2_000);
    expect(faqCalls('search')).toHaveLength(1);
  });

  it('ignores other forms and empty queries', () => {
    page();
    document.body.insertAdjacentHTML('beforeend', '<form id="login"><input type="text" value="me"></form>');
    start();
    submit($('#login'));
    search('   ');
    vi.advanceTimersByTime(2_000);
    expect(emit).not.toHaveBeenCalled();
  });
});

describe('helpful votes', () => {
  it('sends yes / no votes for the item they sit in, and nothing else', () => {
    document.body.innerHTML = `<div data-kizuna-faq="returns"><button data-kizuna-helpful="yes"><b>Yes</b></button>
      <button data-kizuna-helpful="no">No</button><button data-kizuna-helpful="maybe">?</button></div>
      <button data-kizuna-helpful="yes" id="outside">Yes</button>`;
    start();
    $('b').click();
    $('[data-kizuna-helpful=no]').click();
    $('[data-kizuna-helpful=maybe]').click();
    $('#outside').click();
    expect(faqCalls('vote')).toEqual([
      { action: 'vote', article: 'returns', helpful: true },
      { action: 'vote', article: 'returns', helpful: false },
    ]);
  });
});

it('stop() removes every listener, observer and timer', async () => {
  document.body.innerHTML =
    '<details data-kizuna-faq="a"></details><section data-kizuna-faq="b"><button data-kizuna-helpful="yes"></button></section><form data-kizuna-faq-search><input value="q"></form>';
  start();
  FakeIO.last.show($('section'), 1);
  submit($('form'));
  stop!();
  ($('details') as HTMLDetailsElement).open = true;
  $('button').click();
  submit($('form'));
  navigate('/faq');
  await vi.advanceTimersByTimeAsync(5_000);
  expect(emit).not.toHaveBeenCalled();
});
