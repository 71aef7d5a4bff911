// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Emit } from '../types';
import { toConfig } from '../config';
import { startDeadClick } from './dead-click';
import { startRageClick } from './rage-click';

const config = toConfig({ site: 'x' }, 'https://c.example');
let emit: Mock<Emit>;
let stops: (() => void)[];

/** a PerformanceObserver that the test feeds: happy-dom's never reports anything */
let report: ((name: string) => void) | undefined;
class FakePerformanceObserver {
  constructor(cb: (list: { getEntries(): { name: string }[] }) => void) {
    report = (name) => cb({ getEntries: () => [{ name }] });
  }
  observe() {}
  disconnect() {
    report = undefined;
  }
}
/** whether the MutationObserver is watching the document */
let watching = false;
class WatchedMutationObserver extends MutationObserver {
  observe(target: Node, options?: MutationObserverInit) {
    watching = true;
    super.observe(target, options);
  }
  disconnect() {
    watching = false;
    super.disconnect();
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/');
  vi.stubGlobal('PerformanceObserver', FakePerformanceObserver);
  vi.stubGlobal('MutationObserver', WatchedMutationObserver);
  document.body.innerHTML = `
    <main><button id="dead" class="btn">Buy</button><div id="box"><span>text</span></div><p id="panel" hidden>hi</p></main>
    <form><input id="text"><select id="sel"></select><textarea id="area"></textarea></form>
    <a id="blank" href="about:blank" target="_blank">out</a><a id="js" href="/js">js link</a>
    <div data-kizuna-ignore><button id="ignored">x</button></div>`;
  emit = vi.fn<Emit>();
  stops = [];
});
afterEach(() => {
  stops.forEach((stop) => stop());
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const start = () => stops.push(startDeadClick(emit, config));
const $ = (q: string) => document.querySelector(q)!;
const click = (el: Element, init: MouseEventInit = {}) =>
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, clientX: 10, clientY: 10, ...init }));
/** what `el` does when clicked */
const onClick = (el: Element, fn: (e: Event) => void) => el.addEventListener('click', fn);
const dead = (selector: string) => ['friction', { kind: 'dead_click', selector }];

describe('dead clicks', () => {
  it('reports a click that nothing answers within 2500 ms', async () => {
    start();
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(2499);
    expect(emit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(emit.mock.calls).toEqual([dead('button#dead.btn')]);
  });

  it.each([
    ['a DOM change', () => $('#panel').removeAttribute('hidden')],
    ['a text change', () => ($('#box span').firstChild!.textContent = 'other')],
    ['a new element', () => $('#box').append(document.createElement('b'))],
    ['a URL change', () => history.pushState(null, '', '/next')],
    ['a scroll of the page', () => document.dispatchEvent(new Event('scroll', { bubbles: true }))],
    ['a scroll of a box', () => $('#box').dispatchEvent(new Event('scroll'))],
    ['a focus change', () => ($('#text') as HTMLInputElement).focus()],
    ['a selection change', () => document.dispatchEvent(new Event('selectionchange'))],
    ['a form submission', () => $('form').dispatchEvent(new Event('submit', { bubbles: true }))],
    ['a new request', () => report!('https://api.example/cart')],
    ['the page being hidden', () => document.dispatchEvent(new Event('visibilitychange'))],
  ])('does not report a click answered by %s, even 2499 ms later', async (_, answer) => {
    start();
    onClick($('#dead'), () => setTimeout(answer, 2499));
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('does not report a click whose handler changes the DOM at once', async () => {
    start();
    onClick($('#dead'), () => $('#panel').removeAttribute('hidden'));
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('reports a click answered only after 2500 ms', async () => {
    start();
    onClick($('#dead'), () => setTimeout(() => $('#panel').removeAttribute('hidden'), 2600));
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit.mock.calls).toEqual([dead('button#dead.btn')]);
  });

  it("does not take the SDK's own beacons for an answer", async () => {
    start();
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(1000);
    report!('https://c.example/api/v1/events');
    await vi.advanceTimersByTimeAsync(1500);
    expect(emit.mock.calls).toEqual([dead('button#dead.btn')]);
  });

  it.each(['#text', '#sel', '#area', '#ignored'])('does not report clicks on %s', async (q) => {
    start();
    click($(q));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it.each(['ctrlKey', 'metaKey', 'shiftKey', 'altKey'])('does not report clicks with %s', async (key) => {
    start();
    click($('#dead'), { [key]: true });
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('does not report a link that opens a new tab', async () => {
    start();
    click($('#blank'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('reports a link whose script prevented its default action and then did nothing', async () => {
    start();
    onClick($('#js'), (e) => e.preventDefault());
    click($('#js'));
    await vi.advanceTimersByTimeAsync(2500);
    expect(emit.mock.calls).toEqual([dead('a#js')]);
  });

  it('names the button around the clicked icon', async () => {
    start();
    $('#dead').innerHTML = '<svg><path></path></svg>';
    click($('#dead path'));
    await vi.advanceTimersByTimeAsync(2500);
    expect(emit.mock.calls).toEqual([dead('button#dead.btn')]);
  });

  it('watches the latest click only: one event for two clicks on a dead button', async () => {
    start();
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(2000);
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(2499);
    expect(emit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(emit.mock.calls).toEqual([dead('button#dead.btn')]);
  });

  it('does not report the clicks of a rage burst, but reports 2 quick clicks', async () => {
    stops.push(startRageClick(emit, config));
    start();
    for (let i = 0; i < 3; i++) click($('#dead'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit.mock.calls.map(([, data]) => (data as { kind: string }).kind)).toEqual(['rage_click']);
    emit.mockClear();
    for (let i = 0; i < 2; i++) click($('#dead'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit.mock.calls).toEqual([dead('button#dead.btn')]);
  });

  it('observes the DOM only while a click is watched', async () => {
    start();
    expect(watching).toBe(false);
    click($('#dead'));
    expect(watching).toBe(true);
    await vi.advanceTimersByTimeAsync(2500);
    expect(watching).toBe(false);
    onClick($('#dead'), () => $('#panel').removeAttribute('hidden'));
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(0);
    expect(watching).toBe(false);
  });

  it('stops watching, listening and observing at stop()', async () => {
    start();
    click($('#dead'));
    stops.pop()!();
    expect(watching).toBe(false);
    expect(report).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('works without PerformanceObserver', async () => {
    vi.stubGlobal('PerformanceObserver', undefined);
    start();
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(2500);
    expect(emit.mock.calls).toEqual([dead('button#dead.btn')]);
  });

  it('does nothing, and throws nothing, without MutationObserver', async () => {
    vi.stubGlobal('MutationObserver', undefined);
    expect(start).not.toThrow();
    click($('#dead'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });
});
