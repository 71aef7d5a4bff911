// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Emit } from '../types';
import { toConfig } from '../config';
import { pageViewed } from '../lib/page';
import { startQuickBack } from './quick-back';

const config = toConfig({ site: 'x' }, 'https://c.example');
const ORIGIN = 'http://localhost:3000';
let emit: Mock<Emit>;
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/a');
  emit = vi.fn<Emit>();
  stop = startQuickBack(emit, config);
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

/** a page view of `path` after `wait` ms, as the tracker announces it (history back, a link: the same) */
const view = (path: string, wait = 0) => {
  vi.advanceTimersByTime(wait);
  history.pushState(null, '', path);
  pageViewed(location.href);
};
const quickBack = (from: string) => ['friction', { kind: 'quick_back' }, { url: ORIGIN + from }];

describe('quick backs', () => {
  it('reports going back to the previous page 5 s after arriving, on the page left', () => {
    view('/b', 1000);
    view('/a', 5000);
    expect(emit.mock.calls).toEqual([quickBack('/b')]);
  });

  it('does not report it 6 s after arriving, nor 5001 ms', () => {
    view('/b');
    view('/a', 6000);
    view('/c', 6000);
    view('/a', 5001);
    expect(emit).not.toHaveBeenCalled();
  });

  it('knows the page where the tracker started, whether or not its view was heard', () => {
    view('/b', 2000);
    view('/a', 1000);
    expect(emit.mock.calls).toEqual([quickBack('/b')]);
    stop();
    history.replaceState(null, '', '/a');
    emit.mockClear();
    stop = startQuickBack(emit, config);
    pageViewed(location.href); // the tracker's first view, when this signal starts first
    view('/b', 2000);
    view('/a', 1000);
    expect(emit.mock.calls).toEqual([quickBack('/b')]);
  });

  it('compares URLs as the page has them (the tracker scrubs what it sends)', () => {
    stop();
    history.replaceState(null, '', '/a?token=s3cret&q=1');
    stop = startQuickBack(emit, config);
    view('/b?token=other');
    view('/a?token=s3cret&q=1', 1000);
    expect(emit.mock.calls).toEqual([quickBack('/b?token=other')]);
  });

  it('does not report going on to another page', () => {
    view('/b');
    view('/c', 1000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('compares with the page just before', () => {
    view('/b');
    view('/c', 10_000);
    view('/b', 1000);
    expect(emit.mock.calls).toEqual([quickBack('/c')]);
  });

  it.each(['pointerdown', 'keydown', 'wheel', 'touchstart'])('does not report it after a %s on the page', (type) => {
    view('/b');
    vi.advanceTimersByTime(1000);
    document.body.dispatchEvent(new Event(type, { bubbles: true }));
    view('/a', 1000);
    expect(emit).not.toHaveBeenCalled();
  });

  it('does not take the gesture that goes back (in the last second) for an interaction', () => {
    view('/b');
    vi.advanceTimersByTime(2000);
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    view('/a', 999);
    expect(emit.mock.calls).toEqual([quickBack('/b')]);
  });

  it('forgets interactions on the pages before', () => {
    document.body.dispatchEvent(new Event('keydown', { bubbles: true }));
    view('/b', 3000);
    view('/a', 3000);
    expect(emit.mock.calls).toEqual([quickBack('/b')]);
  });

  it('hears nothing after stop()', () => {
    stop();
    view('/b');
    view('/a', 1000);
    expect(emit).not.toHaveBeenCalled();
  });
});
