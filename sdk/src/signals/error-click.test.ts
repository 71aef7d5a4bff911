// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Emit } from '../types';
import { toConfig } from '../config';
import { pageViewed } from '../lib/page';
import { startErrorClick } from './error-click';

const config = toConfig({ site: 'x' }, 'https://c.example');
let emit: Mock<Emit>;
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = `<main><button id="pay" class="btn"><svg></svg></button><img id="img">
    <div data-kizuna-ignore><button id="ignored">x</button></div></main>`;
  emit = vi.fn<Emit>();
  stop = startErrorClick(emit, config);
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

const $ = (q: string) => document.querySelector(q)!;
const click = (q: string) => $(q).dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
const fail = (message = 'boom', filename = 'https://shop.example/app.js', lineno = 12) =>
  window.dispatchEvent(new ErrorEvent('error', { message, filename, lineno }));
/** happy-dom has no PromiseRejectionEvent */
const reject = (reason: unknown) => window.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason }));
/** what each call sent: `error`, or the friction kind */
const kinds = (from = 0) => emit.mock.calls.slice(from).map(([type, data]) => (type === 'error' ? type : (data as { kind: string }).kind));

describe('errors', () => {
  it('sends uncaught errors with their source and line', () => {
    fail('TypeError: x is undefined', 'https://shop.example/app.js?v=3&token=abc', 42);
    expect(emit.mock.calls).toEqual([
      ['error', { message: 'TypeError: x is undefined', source: 'https://shop.example/app.js?v=3&token=abc', line: 42 }],
    ]);
  });

  it('sends unhandled rejections, with the message of an Error reason', () => {
    reject(new Error('fetch failed'));
    reject('plain reason');
    reject(undefined);
    expect(emit.mock.calls.map((c) => c[1])).toEqual([
      { message: 'fetch failed', source: undefined, line: undefined },
      { message: 'plain reason', source: undefined, line: undefined },
      { message: 'undefined', source: undefined, line: undefined },
    ]);
  });

  it('bounds the source to 512 characters; the message goes whole, to be scrubbed then cut as it is sent (scrub-full.ts)', () => {
    fail('m'.repeat(600), 'https://shop.example/' + 'a'.repeat(600));
    const data = emit.mock.calls[0]![1] as { message: string; source: string };
    expect(data.message).toHaveLength(600);
    expect(data.source).toHaveLength(512);
  });

  it('sends at most 10 per page view', () => {
    for (let i = 0; i < 12; i++) fail();
    expect(emit).toHaveBeenCalledTimes(10);
    pageViewed('http://localhost:3000/next');
    for (let i = 0; i < 12; i++) reject('r');
    expect(emit).toHaveBeenCalledTimes(20);
  });

  it('does not take a failed image for a script error', () => {
    $('#img').dispatchEvent(new Event('error'));
    expect(emit).not.toHaveBeenCalled();
  });
});

describe('error clicks', () => {
  it('reports an error 1000 ms after a click, with the clicked element', () => {
    click('#pay svg');
    vi.advanceTimersByTime(1000);
    fail();
    expect(emit.mock.calls[1]).toEqual(['friction', { kind: 'error_click', selector: 'button#pay.btn' }]);
  });

  it('reports a rejection right after a click', () => {
    click('#pay');
    reject(new Error('no'));
    expect(kinds()).toEqual(['error', 'error_click']);
  });

  it('does not report an error 1001 ms after a click', () => {
    click('#pay');
    vi.advanceTimersByTime(1001);
    fail();
    expect(kinds()).toEqual(['error']);
  });

  it('does not report an error without a click', () => {
    fail();
    expect(kinds()).toEqual(['error']);
  });

  it('reports one error click per click', () => {
    click('#pay');
    fail();
    fail();
    click('#pay');
    fail();
    expect(kinds()).toEqual(['error', 'error_click', 'error', 'error', 'error_click']);
  });

  it('still reports error clicks once the errors themselves are capped', () => {
    for (let i = 0; i < 10; i++) fail();
    click('#pay');
    fail();
    expect(kinds(10)).toEqual(['error_click']);
  });

  it('does not name elements the page asked to ignore', () => {
    click('#ignored');
    fail();
    expect(kinds()).toEqual(['error']);
  });

  it('hears nothing after stop()', () => {
    stop();
    click('#pay');
    fail();
    reject('r');
    expect(emit).not.toHaveBeenCalled();
  });
});
