// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { onClick } from './click';

let stops: (() => void)[] = [];
beforeEach(() => {
  document.body.innerHTML = `<main><button id="b"><i id="icon">x</i></button><p id="p">t</p></main>
    <div data-kizuna-ignore><button id="ignored">x</button></div>`;
});
afterEach(() => {
  stops.forEach((stop) => stop());
  stops = [];
  vi.restoreAllMocks();
});

const $ = (q: string) => document.querySelector(q)!;
const click = (el: Element) => el.dispatchEvent(new MouseEvent('click', { bubbles: true }));

it('hears every click through one window listener, with the element the click is about', () => {
  const add = vi.spyOn(window, 'addEventListener');
  const a = vi.fn();
  const b = vi.fn();
  stops.push(onClick(a), onClick(b));
  expect(add.mock.calls.filter(([type]) => type === 'click')).toHaveLength(1);
  click($('#icon'));
  expect(a).toHaveBeenCalledWith(expect.any(MouseEvent), $('#b')); // the button around the icon
  expect(b).toHaveBeenCalledTimes(1);
  click($('#p'));
  expect(a).toHaveBeenLastCalledWith(expect.any(MouseEvent), $('#p'));
});

it('does not hear clicks in data-kizuna-ignore regions', () => {
  const a = vi.fn();
  stops.push(onClick(a));
  click($('#ignored'));
  expect(a).not.toHaveBeenCalled();
});

it('lets the other handlers hear a click when one throws, and throws nothing into the page', () => {
  const b = vi.fn();
  stops.push(
    onClick(() => {
      throw new Error('boom');
    }),
    onClick(b),
  );
  expect(() => click($('#p'))).not.toThrow();
  expect(b).toHaveBeenCalledTimes(1);
});

it('still calls the next handler when one stops itself during a click', () => {
  const b = vi.fn();
  const stopA = onClick(() => stopA());
  stops.push(onClick(b));
  click($('#p'));
  expect(b).toHaveBeenCalledTimes(1);
});

it('removes its listener with the last handler, and can start again', () => {
  const remove = vi.spyOn(window, 'removeEventListener');
  const a = vi.fn();
  const stop = onClick(a);
  stop();
  stop(); // twice is harmless
  expect(remove.mock.calls.filter(([type]) => type === 'click')).toHaveLength(1);
  click($('#p'));
  expect(a).not.toHaveBeenCalled();
  stops.push(onClick(a));
  click($('#p'));
  expect(a).toHaveBeenCalledTimes(1);
});

it('with a selector, hears only clicks in a matching element, and gets that element', () => {
  document.body.innerHTML = `<section data-x="outer"><button id="b" data-y><i id="icon">x</i></button><p id="p">t</p></section>`;
  const x = vi.fn();
  const y = vi.fn();
  const z = vi.fn();
  stops.push(onClick(x, '[data-x]'), onClick(y, '[data-y]'), onClick(z, '[data-z]'));
  click($('#icon'));
  // the nearest match of each selector, even when another selector matched nearer the target
  expect(x).toHaveBeenCalledWith(expect.any(MouseEvent), $('section'));
  expect(y).toHaveBeenCalledWith(expect.any(MouseEvent), $('#b'));
  click($('#p'));
  expect(x).toHaveBeenCalledTimes(2);
  expect(y).toHaveBeenCalledTimes(1);
  expect(z).not.toHaveBeenCalled();
});

it('gives the button or link around the clicked element, else the element itself', () => {
  document.body.innerHTML = '<button id="b"><svg><path></path></svg></button><a href="/x"><span>go</span></a><div role="button"><b>x</b></div><p>t</p>';
  const a = vi.fn();
  stops.push(onClick(a));
  for (const q of ['path', 'span', 'b', 'p']) click($(q));
  expect(a.mock.calls.map(([, el]) => el)).toEqual([$('button'), $('a'), $('[role=button]'), $('p')]);
});

it('hears no click whose target is not an element', () => {
  const a = vi.fn();
  stops.push(onClick(a), onClick(a, '[data-x]'));
  document.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  window.dispatchEvent(new MouseEvent('click'));
  expect(a).not.toHaveBeenCalled();
});
