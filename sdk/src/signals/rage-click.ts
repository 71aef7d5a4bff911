/**
 * Rage clicks (DEFINITIONS "Navigation friction", after PostHog): ≥ 3 clicks, each ≤ 1000 ms after
 * the previous one and ≤ 30 px from it; one event per burst, with the number of clicks.
 */
import type { Signal } from '../types';
import { onClick } from '../lib/click';
import { on } from '../lib/on';
import { FIELDS, selector } from '../lib/selector';

/** The latest click counted in a rage burst: dead-click.ts does not count it again. */
export let rageClick: Event | undefined;

/**
 * Repeated clicks are normal on fields (placing the caret, selecting words, steppers) and on next /
 * previous / + / − buttons: such clicks are left out. The label is read to classify only, never sent.
 */
const isRoutine = (el: Element) =>
  (el.closest(FIELDS) && !/^(button|submit|reset|image|checkbox|radio)$/.test((el as HTMLInputElement).type)) ||
  /^\W*(next|prev(ious)?)\b|^\s*[+\-−]\s*$/i.test(el.getAttribute('aria-label') || el.textContent!);

/**
 * Emits `friction` `rage_click` when a burst ends: at a click that breaks the chain, 1000 ms after
 * the last click, when the page is hidden or left, or at `stop()`. A lone click costs a comparison:
 * a click is classified only ≤ 1000 ms after the one before (a burst's first click with its second;
 * later clicks could not join a burst that a routine click is left out of anyway), and the timer
 * runs only once a burst has three clicks.
 */
export const startRageClick: Signal = (emit) => {
  let n = 0;
  let prev: MouseEvent;
  /** the burst's element (named once the burst has a second click) and its page */
  let first: Element;
  let sel = '';
  let url = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * `isRoutine`, remembered for the last element asked about: a run of clicks is mostly on one
   * element, and its label (all of a container's text) is read once, not at every click.
   */
  let known: Element | undefined;
  let knownRoutine: unknown;
  const routine = (el: Element) => (el == known ? knownRoutine : (knownRoutine = isRoutine((known = el))));
  const flush = () => {
    if (n > 2) {
      clearTimeout(timer);
      // the page where the burst began: a click may have navigated since
      emit('friction', { kind: 'rage_click', selector: sel, count: n }, { url });
    }
    n = 0;
  };
  const offs = [
    onClick((e, el) => {
      const soon = n && e.timeStamp - prev.timeStamp <= 1000;
      if (soon && routine(el)) return;
      if (soon && Math.hypot(e.clientX - prev.clientX, e.clientY - prev.clientY) <= 30 && (n > 1 || !routine(first))) {
        if (++n == 2) sel = selector(first);
        if (n > 2) {
          rageClick = e;
          clearTimeout(timer);
          // 1001: a click exactly 1000 ms later still belongs to the burst
          timer = setTimeout(flush, 1001);
        }
      } else {
        flush();
        n = 1;
        first = el;
        // before the page's own handlers: a click that navigates has not yet
        url = document.URL;
      }
      prev = e;
    }),
    on(document, 'visibilitychange', flush),
    on(window, 'pagehide', flush),
  ];
  return () => {
    flush();
    offs.forEach((off) => off());
  };
};
