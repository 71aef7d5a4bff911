// @vitest-environment happy-dom
/**
 * "Never throws into the host page, whatever the page does": every signal started, first-load and
 * lazy, on a hostile page — frozen History, missing observers and beacons, storage that throws.
 */
import { afterAll, expect, it, vi } from 'vitest';
import { startTracker, stubNetwork } from './testing/setup';

afterAll(() => vi.unstubAllGlobals());

it('keeps the page working and still sends on a hostile page', async () => {
  vi.useFakeTimers();
  const net = stubNetwork();
  Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: undefined });
  for (const name of ['PerformanceObserver', 'MutationObserver', 'IntersectionObserver', 'requestIdleCallback'])
    vi.stubGlobal(name, undefined);
  vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
    throw new DOMException('denied', 'SecurityError');
  });
  vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
    throw new DOMException('denied', 'SecurityError');
  });
  Object.freeze(history);
  document.body.innerHTML = `<button id="b">Buy</button><details data-kizuna-faq="x"><summary>Q</summary>A</details>
    <a id="share" href="https://x.com/intent/post?url=a">Share</a><form data-kizuna-faq-search><input name="q" value="q"></form>`;

  const errors: unknown[] = [];
  window.addEventListener('error', (e) => errors.push(e.error));
  let tracker: ReturnType<typeof startTracker>;
  expect(() => (tracker = startTracker())).not.toThrow();
  await import('./signals-chunk'); // the lazy signals arrive and start
  for (let i = 0; i < 5; i++) document.getElementById('b')!.click();
  document.getElementById('share')!.click();
  document.querySelector('details')!.open = true;
  document.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
  window.dispatchEvent(new Event('scroll'));
  history.back();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(() => window.dispatchEvent(new Event('pagehide'))).not.toThrow();
  await tracker!.flush();
  expect(errors).toEqual([]);
  expect(net.events().map((e) => e.type)).toEqual(expect.arrayContaining(['pageview', 'share', 'friction', 'faq']));
  expect(() => tracker!.stop()).not.toThrow();
  vi.useRealTimers();
});
