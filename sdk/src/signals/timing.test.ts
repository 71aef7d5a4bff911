// @vitest-environment happy-dom
// What kizuna.vitals.js sends as `timing` (vitals.test.ts: when it sends it).
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { json } from '../lib/json';
import { navigationTiming } from './timing';

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
const tz = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

beforeEach(() => {
  vi.spyOn(performance, 'getEntriesByType').mockReturnValue([entry as unknown as PerformanceNavigationTiming]);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

it('gives the navigation timing, rounded, with the status and the time zone', () => {
  expect(navigationTiming()).toEqual({ dns: 21, connect: 49, ttfb: 121, domInteractive: 450, load: 901, status: 404, tz: tz() });
});

it('reads the time zone from Temporal where the browser has it, without Intl', () => {
  vi.stubGlobal('Temporal', { Now: { timeZoneId: () => 'Asia/Tokyo' } });
  const intl = vi.spyOn(Intl, 'DateTimeFormat');
  expect(navigationTiming()).toMatchObject({ tz: 'Asia/Tokyo' });
  expect(intl).not.toHaveBeenCalled();
});

it('reads the time zone as the event is sent, not as the page loads', () => {
  const timeZoneId = vi.fn(() => 'Asia/Tokyo');
  vi.stubGlobal('Temporal', { Now: { timeZoneId } });
  const timing = navigationTiming();
  expect(timeZoneId).not.toHaveBeenCalled();
  expect(json(timing)).toContain('"tz":"Asia/Tokyo"');
  expect(timeZoneId).toHaveBeenCalled();
});

it('leaves the status out where the browser has no responseStatus', () => {
  const { responseStatus: _, ...old } = entry;
  vi.mocked(performance.getEntriesByType).mockReturnValue([old as unknown as PerformanceNavigationTiming]);
  // as it travels on the wire
  expect(JSON.parse(JSON.stringify(navigationTiming()))).toEqual({ dns: 21, connect: 49, ttfb: 121, domInteractive: 450, load: 901, tz: tz() });
});

it('gives nothing without Navigation Timing', () => {
  vi.mocked(performance.getEntriesByType).mockReturnValue([]);
  expect(navigationTiming()).toBeUndefined();
});
