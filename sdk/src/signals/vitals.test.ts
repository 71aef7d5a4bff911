// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"handleDisabledFileLoadingAsSuccess": true}}
// Covers signals/vitals.ts and the chunk it loads, src/vitals-chunk.ts (timing.test.ts: the timing it sends). web-vitals itself never
// reports in happy-dom (PerformanceObserver never fires): it is mocked, and tested in Chromium.
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { toConfig } from '../config';
import type { Emit } from '../types';
import { startVitals } from './vitals';

type Report = (metric: { name: string; value: number; rating: string; attribution?: Record<string, unknown> }) => void;
const reporters = vi.hoisted(() => ({}) as Record<string, Report>);
const fake = (name: string) => ({
  ['on' + name]: (report: Report) => {
    reporters[name] = report;
  },
});
vi.mock('web-vitals/attribution/onCLS.js', () => fake('CLS'));
vi.mock('web-vitals/attribution/onINP.js', () => fake('INP'));
vi.mock('web-vitals/attribution/onLCP.js', () => fake('LCP'));
vi.mock('web-vitals/onFCP.js', () => fake('FCP'));
vi.mock('web-vitals/onTTFB.js', () => fake('TTFB'));

const config = toConfig({ site: 'x', faq: '/faq*', support: '/contact*' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: () => void;

const chunkScripts = () => [...document.querySelectorAll('script')].filter((s) => s.src === 'https://c.example/kizuna.vitals.js');
const setReadyState = (value: DocumentReadyState) => Object.defineProperty(document, 'readyState', { configurable: true, value });

beforeEach(() => {
  vi.useFakeTimers();
  emit = vi.fn<Emit>();
  document.head.innerHTML = '';
});
afterEach(() => {
  stop?.();
  setReadyState('complete');
  vi.useRealTimers();
});

describe('loading the vitals chunk', () => {
  // (async without saying so: a script that a script inserts is, in browsers; happy-dom does not model it)
  it('adds the chunk script from the endpoint only after the load event', () => {
    setReadyState('loading');
    stop = startVitals(emit, config);
    vi.advanceTimersByTime(10_000);
    expect(chunkScripts()).toHaveLength(0);
    window.dispatchEvent(new Event('load'));
    vi.advanceTimersByTime(0);
    expect(chunkScripts()).toHaveLength(1);
  });

  it('adds it a tick after start when the page has already loaded', () => {
    stop = startVitals(emit, config);
    expect(chunkScripts()).toHaveLength(0);
    vi.advanceTimersByTime(0);
    expect(chunkScripts()).toHaveLength(1);
  });

  it('stop() before the load adds nothing', () => {
    setReadyState('loading');
    stop = startVitals(emit, config);
    stop();
    window.dispatchEvent(new Event('load'));
    vi.advanceTimersByTime(0);
    expect(chunkScripts()).toHaveLength(0);
  });
});

describe('reports from the chunk', () => {
  // the chunk runs once, as the browser runs kizuna.vitals.js once
  const loadChunk = () => import('../vitals-chunk');

  it('sends the navigation timing once, as it runs (a tick after the load event)', async () => {
    const timing = { domainLookupStart: 1, domainLookupEnd: 2, connectStart: 2, connectEnd: 3, responseStart: 40, domInteractive: 90, loadEventEnd: 200 };
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([timing as unknown as PerformanceNavigationTiming]);
    stop = startVitals(emit, config);
    await loadChunk();
    vi.restoreAllMocks();
    expect(emit.mock.calls).toEqual([['timing', expect.objectContaining({ ttfb: 40, load: 200 })]]);
  });

  it('sends each metric with its rating and the attribution selector', async () => {
    stop = startVitals(emit, config);
    await loadChunk();
    reporters.LCP!({ name: 'LCP', value: 2710.4, rating: 'needs-improvement', attribution: { target: 'main>img.hero' } });
    reporters.INP!({ name: 'INP', value: 560, rating: 'poor', attribution: { interactionTarget: '#buy' } });
    reporters.CLS!({ name: 'CLS', value: 0.12, rating: 'needs-improvement', attribution: { largestShiftTarget: 'div.ad' } });
    reporters.FCP!({ name: 'FCP', value: 900, rating: 'good' }); // standard build: no attribution
    reporters.TTFB!({ name: 'TTFB', value: 300, rating: 'good' });
    expect(emit.mock.calls).toEqual([
      ['vital', { name: 'LCP', value: 2710.4, rating: 'needs-improvement', selector: 'main>img.hero' }],
      ['vital', { name: 'INP', value: 560, rating: 'poor', selector: '#buy' }],
      ['vital', { name: 'CLS', value: 0.12, rating: 'needs-improvement', selector: 'div.ad' }],
      ['vital', { name: 'FCP', value: 900, rating: 'good', selector: undefined }],
      ['vital', { name: 'TTFB', value: 300, rating: 'good', selector: undefined }],
    ]);
  });

  it('goes quiet after stop()', async () => {
    stop = startVitals(emit, config);
    await loadChunk();
    stop();
    reporters.LCP!({ name: 'LCP', value: 1000, rating: 'good', attribution: {} });
    expect(emit).not.toHaveBeenCalled();
  });

  it('never throws into web-vitals when sending fails', async () => {
    stop = startVitals(() => {
      throw new Error('queue broken');
    }, config);
    await loadChunk();
    expect(() => reporters.CLS!({ name: 'CLS', value: 0, rating: 'good', attribution: {} })).not.toThrow();
    expect(() => reporters.TTFB!({ name: 'TTFB', value: 80, rating: 'good' })).not.toThrow();
  });
});
