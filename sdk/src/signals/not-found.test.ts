// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Emit } from '../types';
import { toConfig } from '../config';
import { pageViewed } from '../lib/page';
import { startNotFound } from './not-found';

const config = toConfig({ site: 'x' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: (() => void) | undefined;

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/');
  document.head.innerHTML = '';
  emit = vi.fn<Emit>();
});
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const start = () => (stop = startNotFound(emit, config));
/** the document's own response, as Navigation Timing tells it */
const respond = (responseStatus: number) =>
  vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ responseStatus } as PerformanceNavigationTiming]);
const mark = (status = '404') => {
  document.head.innerHTML = `<meta name="kizuna:status" content="${status}">`;
};
/** a router's navigation: the URL first (and with it the page view), the page after */
const navigate = (path: string, render: () => void) => {
  history.pushState(null, '', path);
  pageViewed(location.href);
  queueMicrotask(render);
};
const notFound = ['friction', { kind: 'not_found' }];

describe('not found', () => {
  it('reports a first page that answered 404', async () => {
    respond(404);
    start();
    expect(emit.mock.calls).toEqual([notFound]); // at once: a visitor may leave a 404 page right away
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit.mock.calls).toEqual([notFound]);
  });

  it('does not report a first page that answered 200', async () => {
    respond(200);
    start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('reports a page marked with the meta tag, once even when it also answered 404', async () => {
    respond(404);
    mark();
    start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit.mock.calls).toEqual([notFound]);
  });

  it('reports a client-rendered first page that adds the tag after the script ran', async () => {
    respond(200);
    start();
    mark();
    await vi.advanceTimersByTimeAsync(500);
    expect(emit.mock.calls).toEqual([notFound]);
  });

  it('does not report other statuses in the tag', async () => {
    mark('200');
    start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('reports an SPA page view whose page the router marks after pushState, on that page', async () => {
    start();
    await vi.advanceTimersByTimeAsync(1000);
    navigate('/missing', () => mark());
    await vi.advanceTimersByTimeAsync(499);
    expect(emit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(emit.mock.calls).toEqual([notFound]);
    expect(location.pathname).toBe('/missing');
  });

  it('does not report the later page views of a document that answered 404', async () => {
    respond(404);
    start();
    await vi.advanceTimersByTimeAsync(1000);
    navigate('/found', () => {});
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit.mock.calls).toEqual([notFound]);
  });

  it('reports each marked page view, and not the unmarked ones', async () => {
    start();
    navigate('/a', () => mark());
    await vi.advanceTimersByTimeAsync(1000);
    navigate('/b', () => (document.head.innerHTML = ''));
    await vi.advanceTimersByTimeAsync(1000);
    navigate('/c', () => mark());
    await vi.advanceTimersByTimeAsync(1000);
    expect(emit).toHaveBeenCalledTimes(2);
  });

  it('works without Navigation Timing entries', async () => {
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([]);
    expect(start).not.toThrow();
    mark();
    await vi.advanceTimersByTimeAsync(500);
    expect(emit.mock.calls).toEqual([notFound]);
  });

  it('hears nothing and leaves no timer after stop()', async () => {
    respond(200);
    start();
    stop!();
    expect(vi.getTimerCount()).toBe(0);
    navigate('/missing', () => mark());
    await vi.advanceTimersByTimeAsync(5000);
    expect(emit).not.toHaveBeenCalled();
  });
});
