// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Emit } from '../types';
import { toConfig } from '../config';
import { startRageClick } from './rage-click';

const config = toConfig({ site: 'x' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/');
  document.body.innerHTML = `
    <main><button id="buy" class="btn">Buy</button><div class="card"><span>text</span></div></main>
    <input id="text"><input id="num" type="number"><input id="range" type="range"><select id="sel"></select>
    <textarea id="area"></textarea><input id="check" type="checkbox"><input id="submit" type="submit">
    <div data-kizuna-ignore><button id="ignored">x</button></div>
    <button id="next">Next</button><button id="prev" aria-label="Previous slide"><svg></svg></button>
    <button id="plus">+</button><button id="minus"> − </button><a id="next-link" href="#">Next ›</a>`;
  emit = vi.fn<Emit>();
  stop = startRageClick(emit, config);
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

const $ = (q: string) => document.querySelector(q)!;
/** clicks `el` at (x, y) after `wait` ms */
const click = (el: Element, x = 10, y = 10, wait = 100) => {
  vi.advanceTimersByTime(wait);
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, clientX: x, clientY: y }));
};
const clicks = (el: Element, n: number, wait = 100) => {
  for (let i = 0; i < n; i++) click(el, 10, 10, wait);
};
const rage = (selector: string, count: number) => ['friction', { kind: 'rage_click', selector, count }, { url: 'http://localhost:3000/' }];

describe('rage clicks', () => {
  it('sends one event per burst of 3 clicks, when the burst ends', () => {
    clicks($('#buy'), 3);
    expect(emit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(emit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
  });

  it('does not count 2 clicks', () => {
    clicks($('#buy'), 2);
    vi.advanceTimersByTime(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('counts every click of a longer burst', () => {
    clicks($('#buy'), 7);
    vi.advanceTimersByTime(1001);
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 7)]);
  });

  it('chains clicks 1000 ms apart, not 1001 ms', () => {
    clicks($('#buy'), 3, 1000);
    vi.advanceTimersByTime(1001);
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
    emit.mockClear();
    clicks($('#buy'), 3, 1001);
    vi.advanceTimersByTime(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('chains clicks 30 px from the previous one, not 31 px', () => {
    click($('#buy'), 10, 10);
    click($('#buy'), 40, 10);
    click($('#buy'), 40, 40);
    vi.advanceTimersByTime(1001);
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
    emit.mockClear();
    click($('#buy'), 10, 10);
    click($('#buy'), 10, 10);
    click($('#buy'), 41, 10);
    click($('#buy'), 41, 10);
    vi.advanceTimersByTime(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('measures the distance diagonally', () => {
    click($('#buy'), 0, 0);
    click($('#buy'), 18, 24); // 30 px
    click($('#buy'), 36, 48);
    click($('#buy'), 55, 72); // 30.6 px: a new chain
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
  });

  it('ends a burst at the click that breaks the chain', () => {
    clicks($('#buy'), 3);
    click($('span'), 500, 500);
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
    click($('span'), 500, 500);
    click($('span'), 500, 500);
    vi.advanceTimersByTime(1001);
    expect(emit.mock.calls[1]).toEqual(rage('main>div.card>span', 3));
  });

  it('names the element where the burst began, and its page', () => {
    clicks($('#buy'), 2);
    history.pushState(null, '', '/next');
    click($('#buy'));
    vi.advanceTimersByTime(1001);
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
  });

  it('names the page where the burst began when its first click navigates', () => {
    // the page's own handler runs after the SDK's capturing listener
    $('#buy').addEventListener('click', () => history.pushState(null, '', '/next'), { once: true });
    clicks($('#buy'), 3);
    vi.advanceTimersByTime(1001);
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
  });

  it.each(['#text', '#num', '#range', '#sel', '#area', '#ignored', '#next', '#prev', '#prev svg', '#plus', '#minus', '#next-link'])(
    'does not count clicks on %s',
    (q) => {
      clicks($(q), 5);
      vi.advanceTimersByTime(1001);
      expect(emit).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['#check', 'input#check'],
    ['#submit', 'input#submit'],
  ])('counts clicks on %s', (q, selector) => {
    clicks($(q), 3);
    vi.advanceTimersByTime(1001);
    expect(emit.mock.calls).toEqual([rage(selector, 3)]);
  });

  it('does not let ignored clicks break a chain', () => {
    clicks($('#buy'), 2);
    click($('#text'), 400, 400);
    click($('#buy'));
    vi.advanceTimersByTime(1001);
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
  });

  it.each([
    ['pagehide', () => window.dispatchEvent(new Event('pagehide'))],
    ['visibilitychange', () => document.dispatchEvent(new Event('visibilitychange'))],
  ])('sends a pending burst at %s, once', (_, leave) => {
    clicks($('#buy'), 3);
    leave();
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
    vi.advanceTimersByTime(5000);
    expect(emit).toHaveBeenCalledTimes(1);
  });

  it('sends a pending burst at stop(), then hears nothing and leaves no timer', () => {
    clicks($('#buy'), 3);
    stop();
    expect(emit.mock.calls).toEqual([rage('button#buy.btn', 3)]);
    expect(vi.getTimerCount()).toBe(0);
    clicks($('#buy'), 3);
    window.dispatchEvent(new Event('pagehide'));
    vi.advanceTimersByTime(5000);
    expect(emit).toHaveBeenCalledTimes(1);
  });

  it('ignores clicks whose target is not an element', () => {
    for (let i = 0; i < 3; i++) document.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    vi.advanceTimersByTime(1001);
    expect(emit).not.toHaveBeenCalled();
  });
});
