// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Emit } from '../types';
import { toConfig } from '../config';
import { pageViewed } from '../lib/page';
import { startExcessiveScroll } from './excessive-scroll';

const config = toConfig({ site: 'x' }, 'https://c.example');
/** half of happy-dom's 768 px viewport */
const HALF = 384;
let emit: Mock<Emit>;
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  window.scrollTo(0, 0);
  emit = vi.fn<Emit>();
  stop = startExcessiveScroll(emit, config);
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

/** scrolls the page to `y` after `wait` ms, the way a browser tells it */
const scroll = (y: number, wait = 100) => {
  vi.advanceTimersByTime(wait);
  window.scrollTo(0, y);
  document.dispatchEvent(new Event('scroll', { bubbles: true }));
};
/** down `leg` px, then up and down again: `turns` changes of direction */
const zigzag = (turns: number, leg = HALF, wait = 100) => {
  const start = window.scrollY;
  for (let i = 0; i <= turns; i++) scroll(start + (i % 2 ? 0 : leg), wait);
};
const excessive = ['friction', { kind: 'excessive_scroll', count: 4 }];

describe('excessive scrolling', () => {
  it('reports 4 changes of direction of half a viewport each', () => {
    zigzag(4);
    expect(emit.mock.calls).toEqual([excessive]);
  });

  it('does not report 3', () => {
    zigzag(3);
    expect(emit).not.toHaveBeenCalled();
  });

  it('does not count runs shorter than half a viewport', () => {
    zigzag(8, HALF - 1);
    expect(emit).not.toHaveBeenCalled();
  });

  it('counts changes from the furthest point of a run, through small steps and jitter', () => {
    for (const y of [100, 200, 150, 400, 500, 116, 300, 600, 900, 400, 516, 900]) scroll(y);
    // runs: 0→500, 500→116, 116→900, 900→400 (only 500 px), 400→900 — 4 changes
    expect(emit.mock.calls).toEqual([excessive]);
  });

  it('counts 4 changes within 10 s, not 10.001 s', () => {
    scroll(HALF); // the first run, at 100 ms
    scroll(0, 900); // change 1 at 1000 ms
    scroll(HALF, 3000);
    scroll(0, 3000);
    scroll(HALF, 4000); // change 4 at 11 000 ms: 10 000 ms after the first
    expect(emit.mock.calls).toEqual([excessive]);
    emit.mockClear();
    scroll(0, 2000); // change 1 at 13 000 ms
    scroll(HALF, 3000);
    scroll(0, 3000);
    scroll(HALF, 4001); // 10 001 ms after change 1: only 3 changes within 10 s
    expect(emit).not.toHaveBeenCalled();
    scroll(0, 1000); // 4 changes within the last 10 s
    expect(emit.mock.calls).toEqual([excessive]);
  });

  it('counts afresh after reporting', () => {
    zigzag(4); // ends going down, at HALF
    for (const y of [0, HALF, 0]) scroll(y);
    expect(emit).toHaveBeenCalledTimes(1);
    scroll(HALF);
    expect(emit).toHaveBeenCalledTimes(2);
  });

  it('counts afresh on each page view', () => {
    zigzag(3);
    pageViewed('http://localhost:3000/next');
    zigzag(3);
    expect(emit).not.toHaveBeenCalled();
  });

  it('ignores scrolling boxes inside the page', () => {
    document.body.innerHTML = '<div id="box"></div>';
    const box = document.getElementById('box')!;
    zigzag(3); // ends going up, at 0
    window.scrollTo(0, HALF); // as if, but the event is the box's
    box.dispatchEvent(new Event('scroll'));
    expect(emit).not.toHaveBeenCalled();
  });

  it('hears nothing after stop()', () => {
    stop();
    zigzag(8);
    expect(emit).not.toHaveBeenCalled();
  });
});
