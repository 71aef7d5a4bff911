// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, it, vi, type Mock } from 'vitest';
import { toConfig } from '../config';
import type { Emit } from '../types';
import { startTiming } from './timing';

const config = toConfig({ site: 'x', faq: '/faq*', support: '/contact*' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: () => void;

const entry = {
  domainLookupStart: 10.2,
  domainLookupEnd: 30.7,
  connectStart: 30.7,
  connectEnd: 80.1,
  responseStart: 120.6,
  domInteractive: 450.4,
  loadEventEnd: 900.5,
  responseStatus: 404,
};
const setReadyState = (value: DocumentReadyState) => Object.defineProperty(document, 'readyState', { configurable: true, value });

beforeEach(() => {
  vi.useFakeTimers();
  emit = vi.fn<Emit>();
  vi.spyOn(performance, 'getEntriesByType').mockReturnValue([entry as unknown as PerformanceNavigationTiming]);
});
afterEach(() => {
  stop?.();
  setReadyState('complete');
  vi.restoreAllMocks();
  vi.useRealTimers();
});

it('sends the navigation timing, rounded, a tick after the page has loaded', () => {
  setReadyState('complete');
  stop = startTiming(emit, config);
  expect(emit).not.toHaveBeenCalled(); // loadEventEnd is set only after the load listeners
  vi.advanceTimersByTime(0);
  expect(emit).toHaveBeenCalledExactlyOnceWith('timing', { dns: 21, connect: 49, ttfb: 121, domInteractive: 450, load: 901, status: 404, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
});

it('reads the time zone from Temporal where the browser has it, without Intl', () => {
  vi.stubGlobal('Temporal', { Now: { timeZoneId: () => 'Asia/Tokyo' } });
  const intl = vi.spyOn(Intl, 'DateTimeFormat');
  stop = startTiming(emit, config);
  vi.advanceTimersByTime(0);
  expect(emit.mock.calls[0]![1]).toMatchObject({ tz: 'Asia/Tokyo' });
  expect(intl).not.toHaveBeenCalled();
  vi.unstubAllGlobals();
});

it('waits for the load event while the page is loading', () => {
  setReadyState('loading');
  stop = startTiming(emit, config);
  vi.advanceTimersByTime(10_000);
  expect(emit).not.toHaveBeenCalled();
  window.dispatchEvent(new Event('load'));
  vi.advanceTimersByTime(0);
  expect(emit).toHaveBeenCalledTimes(1);
});

it('leaves the status out where the browser has no responseStatus', () => {
  const { responseStatus: _, ...old } = entry;
  vi.mocked(performance.getEntriesByType).mockReturnValue([old as unknown as PerformanceNavigationTiming]);
  stop = startTiming(emit, config);
  vi.advanceTimersByTime(0);
  // as it travels on the wire
  expect(JSON.parse(JSON.stringify(emit.mock.calls[0]![1]))).toEqual({ dns: 21, connect: 49, ttfb: 121, domInteractive: 450, load: 901, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
});

it('does nothing without Navigation Timing, and throws nothing', () => {
  vi.mocked(performance.getEntriesByType).mockReturnValue([]);
  stop = startTiming(emit, config);
  vi.advanceTimersByTime(0);
  vi.mocked(performance.getEntriesByType).mockImplementation(() => {
    throw new TypeError('not supported');
  });
  const again = startTiming(emit, config);
  expect(() => vi.advanceTimersByTime(0)).not.toThrow();
  again();
  expect(emit).not.toHaveBeenCalled();
});

it('stop() before the load sends nothing', () => {
  setReadyState('loading');
  stop = startTiming(emit, config);
  stop();
  window.dispatchEvent(new Event('load'));
  vi.advanceTimersByTime(0);
  expect(emit).not.toHaveBeenCalled();
});

it('stop() in the tick after the load sends nothing', () => {
  setReadyState('complete');
  stop = startTiming(emit, config);
  stop();
  vi.advanceTimersByTime(0);
  expect(emit).not.toHaveBeenCalled();
});
