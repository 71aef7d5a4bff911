// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { toConfig } from '../config';
import type { EventData } from '@kizuna/protocol';
import type { Emit } from '../types';
import { pageViewed } from '../lib/page';
import { hidePage } from '../testing/setup';
import { startEngagement } from './engagement';

const config = toConfig({ site: 'x', faq: '/faq*', support: '/contact*' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: () => void;

/** Starts engagement and sends the first page view, as the tracker does once the page has rendered. */
const start = () => {
  stop = startEngagement(emit, config);
  pageViewed(location.href);
};
const showPage = () => document.dispatchEvent(new Event('visibilitychange'));
/** An SPA navigation as the tracker reports it: page-view listeners hear of it before its pageview. */
const navigate = (path: string) => {
  history.pushState({}, '', path);
  pageViewed(location.href);
};
const leaves = () => emit.mock.calls.filter(([type]) => type === 'pageleave') as [string, EventData<'pageleave'>, unknown][];
const engaged = () => leaves().map(([, data]) => data.engaged);
const setScroll = (y: number) => {
  Object.defineProperty(window, 'scrollY', { configurable: true, value: y });
  window.dispatchEvent(new Event('scroll'));
};

beforeEach(() => {
  vi.useFakeTimers();
  emit = vi.fn<Emit>();
  history.replaceState(null, '', '/a');
  Object.defineProperty(window, 'scrollY', { configurable: true, value: 0 });
  Object.defineProperty(window, 'innerHeight', { configurable: true, value: 1000 });
  Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, value: 4000 });
});
afterEach(() => {
  stop?.();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('engaged time', () => {
  it('sends the visible time on hide, with the URL of the page left', () => {
    start();
    vi.advanceTimersByTime(10_000);
    hidePage();
    expect(emit).toHaveBeenCalledWith('pageleave', { engaged: 10_000, scroll: 25 }, { url: 'http://localhost:3000/a' });
  });

  it('pauses after 5 minutes without input: 299 s all count, 301 s count 300 s', () => {
    start();
    vi.advanceTimersByTime(299_000);
    hidePage();
    showPage();
    vi.advanceTimersByTime(301_000);
    hidePage();
    expect(engaged()).toEqual([299_000, 300_000]);
  });

  it('restarts the idle clock on every input', () => {
    start();
    for (const type of ['pointerdown', 'keydown', 'touchstart', 'wheel']) {
      vi.advanceTimersByTime(200_000);
      window.dispatchEvent(new Event(type));
    }
    vi.advanceTimersByTime(200_000);
    setScroll(0);
    vi.advanceTimersByTime(200_000);
    hidePage();
    expect(engaged()).toEqual([1_200_000]);
  });

  it('sends only the increment after the page is shown again, and no hidden time', () => {
    start();
    vi.advanceTimersByTime(10_000);
    hidePage();
    vi.advanceTimersByTime(60_000); // hidden
    showPage();
    vi.advanceTimersByTime(5_000);
    window.dispatchEvent(new Event('pagehide'));
    expect(engaged()).toEqual([10_000, 5_000]);
  });

  it('sends one pageleave when visibilitychange and pagehide both fire on unload', () => {
    start();
    vi.advanceTimersByTime(3_000);
    hidePage();
    window.dispatchEvent(new Event('pagehide'));
    expect(engaged()).toEqual([3_000]);
  });

  it('does not count time while the window is not focused', () => {
    start();
    vi.advanceTimersByTime(4_000);
    const focus = vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    window.dispatchEvent(new Event('blur'));
    vi.advanceTimersByTime(60_000);
    focus.mockReturnValue(true);
    window.dispatchEvent(new Event('focus'));
    vi.advanceTimersByTime(2_000);
    hidePage();
    expect(engaged()).toEqual([6_000]);
  });

  it('does not count a wheel or a scroll that comes to a window without the focus', () => {
    start();
    vi.advanceTimersByTime(4_000);
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    window.dispatchEvent(new Event('blur'));
    vi.advanceTimersByTime(10_000);
    window.dispatchEvent(new Event('wheel'));
    vi.advanceTimersByTime(10_000);
    setScroll(100);
    vi.advanceTimersByTime(10_000);
    hidePage();
    expect(engaged()).toEqual([4_000]);
  });

  it('does not count an input that comes to a hidden page', () => {
    start();
    vi.advanceTimersByTime(1_000);
    hidePage();
    for (const type of ['pointerdown', 'keydown', 'touchstart', 'wheel']) window.dispatchEvent(new Event(type));
    vi.advanceTimersByTime(240_000);
    showPage();
    vi.advanceTimersByTime(1_000);
    hidePage();
    expect(engaged()).toEqual([1_000, 1_000]);
  });

  it('sends nothing for a page that was never visible', () => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' });
    start();
    vi.advanceTimersByTime(60_000);
    window.dispatchEvent(new Event('pagehide'));
    Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'visible' });
    expect(emit).not.toHaveBeenCalled();
  });
});

describe('SPA navigation', () => {
  it("does not take the next page's height for the page left, when the router renders it first", () => {
    start(); // 1000 of 4000 px seen: 25 %
    vi.advanceTimersByTime(1_000);
    Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, value: 1000 }); // the next page, shorter
    navigate('/b');
    expect(leaves()).toEqual([['pageleave', { engaged: 1_000, scroll: 25 }, { url: 'http://localhost:3000/a' }]]);
    vi.advanceTimersByTime(1_000); // the new page was measured as its view was sent: all of it is seen
    hidePage();
    expect(leaves()[1]![1].scroll).toBe(100);
  });

  it('reads no layout on a click or a key, and asks for the focus on no input', () => {
    start();
    const height = vi.spyOn(document.documentElement, 'scrollHeight', 'get');
    const focus = vi.spyOn(document, 'hasFocus');
    for (const type of ['pointerdown', 'keydown', 'touchstart', 'wheel']) window.dispatchEvent(new Event(type));
    vi.advanceTimersByTime(1_000);
    expect(height).not.toHaveBeenCalled();
    setScroll(500);
    expect(focus).not.toHaveBeenCalled();
  });

  it('sends the pageleave of the page left, then measures the new page from zero', () => {
    start();
    setScroll(3000);
    vi.advanceTimersByTime(7_000);
    setScroll(0); // the router scrolls to the top as it renders the next page, before its view is sent
    navigate('/b');
    expect(leaves()).toEqual([['pageleave', { engaged: 7_000, scroll: 100 }, { url: 'http://localhost:3000/a' }]]);
    vi.advanceTimersByTime(3_000);
    hidePage();
    expect(leaves()[1]).toEqual(['pageleave', { engaged: 3_000, scroll: 25 }, { url: 'http://localhost:3000/b' }]);
  });
});

describe('scroll depth', () => {
  it('keeps the largest share of the page seen, across hides', () => {
    start();
    setScroll(1000); // 2000 of 4000 px seen
    setScroll(0);
    vi.advanceTimersByTime(1_000);
    hidePage();
    showPage();
    setScroll(499); // 1499 / 4000 = 37.5 % → 37
    vi.advanceTimersByTime(1_000);
    hidePage();
    expect(leaves().map(([, data]) => data.scroll)).toEqual([50, 50]);
  });

  it('rounds to the nearest percent and never passes 100', () => {
    start();
    setScroll(1980); // 2980 / 4000 = 74.5 %
    vi.advanceTimersByTime(1_000);
    hidePage();
    showPage();
    setScroll(9000);
    vi.advanceTimersByTime(1_000);
    hidePage();
    expect(leaves().map(([, data]) => data.scroll)).toEqual([75, 100]);
  });
});

it('stop() removes every listener', () => {
  start();
  stop();
  vi.advanceTimersByTime(5_000);
  navigate('/b');
  hidePage();
  window.dispatchEvent(new Event('pagehide'));
  expect(emit).not.toHaveBeenCalled();
});
