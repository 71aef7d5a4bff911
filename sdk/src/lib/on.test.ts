// @vitest-environment happy-dom
import { afterEach, expect, it, vi } from 'vitest';
import { listen } from './listen';
import { on } from './on';

let stops: (() => void)[] = [];
afterEach(() => {
  stops.forEach((stop) => stop());
  stops = [];
  vi.restoreAllMocks();
});

const keydown = (target: EventTarget = document.body) => target.dispatchEvent(new Event('keydown', { bubbles: true }));
const added = (spy: { mock: { calls: unknown[][] } }, type: string) => spy.mock.calls.filter(([t]) => t === type).length;

it('on() adds a passive listener, capturing unless told, that throws nothing into the page', () => {
  const add = vi.spyOn(window, 'addEventListener');
  stops.push(
    on(window, 'keydown', () => {
      throw new Error('boom');
    }),
    on(window, 'keyup', () => {}, false),
  );
  expect(add.mock.calls.map(([type, , options]) => [type, options])).toEqual([
    ['keydown', { capture: true, passive: true }],
    ['keyup', { capture: false, passive: true }],
  ]);
  expect(() => keydown()).not.toThrow();
});

it('listen() hears events of every element through one capturing window listener per type', () => {
  const add = vi.spyOn(window, 'addEventListener');
  const a = vi.fn();
  const b = vi.fn();
  const c = vi.fn();
  stops.push(listen('keydown', a), listen('keydown', b), listen('wheel', c));
  expect(added(add, 'keydown')).toBe(1);
  expect(added(add, 'wheel')).toBe(1);
  keydown(document.body);
  expect(a).toHaveBeenCalledTimes(1);
  expect(b).toHaveBeenCalledTimes(1);
  expect(c).not.toHaveBeenCalled();
});

it('listen() lets the other handlers hear an event when one throws, and throws nothing into the page', () => {
  const b = vi.fn();
  stops.push(
    listen('keydown', () => {
      throw new Error('boom');
    }),
    listen('keydown', b),
  );
  expect(() => keydown()).not.toThrow();
  expect(b).toHaveBeenCalledTimes(1);
});

it('listen() still calls the next handler when one stops itself during the event', () => {
  const b = vi.fn();
  const stopA = listen('keydown', () => stopA());
  stops.push(listen('keydown', b));
  keydown();
  keydown();
  expect(b).toHaveBeenCalledTimes(2);
});

it('listen() removes the window listener with the last handler, once, and can start again', () => {
  const remove = vi.spyOn(window, 'removeEventListener');
  const a = vi.fn();
  const b = vi.fn();
  const stopA = listen('keydown', a);
  const stopB = listen('keydown', b);
  stopA();
  expect(added(remove, 'keydown')).toBe(0);
  stopB();
  stopB(); // twice is harmless
  expect(added(remove, 'keydown')).toBe(1);
  keydown();
  expect(a).not.toHaveBeenCalled();
  expect(b).not.toHaveBeenCalled();
  stops.push(listen('keydown', a));
  stopA(); // an old remover does not remove the new listener
  keydown();
  expect(a).toHaveBeenCalledTimes(1);
});
