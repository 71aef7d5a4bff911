/**
 * Rage clicks (DEFINITIONS "Navigation friction", after PostHog): ≥ 3 clicks, each ≤ 1000 ms after
 * the previous one and ≤ 30 px from it; one event per burst, with the number of clicks.
 */
import type { Signal } from '../types';
import { on } from '../lib/on';
import { clickTarget, selector } from '../lib/selector';

/** The latest click counted in a rage burst: dead-click.ts does not count it again. */
export let rageClick: Event | undefined;

/**
 * Emits `friction` `rage_click` when a burst ends: at a click that breaks the chain, 1000 ms after
 * the last click, when the page is hidden or left, or at `stop()`.
 */
export const startRageClick: Signal = (emit) => {
  let n = 0;
  let prev: MouseEvent;
  /** the burst's element; its selector is computed once the burst has a second click */
  let first: Element;
  let sel = '';
  let url = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    // the URL where the burst began: a click may have navigated since
    if (n > 2) emit('friction', { kind: 'rage_click', selector: sel, count: n }, { url });
    n = 0;
  };
  const offs = [
    on<MouseEvent>(document, 'click', (e) => {
      const el = clickTarget(e);
      // Repeated clicks are normal on fields (placing the caret, selecting words, steppers) and on
      // next / previous / + / − buttons; the label is read to classify only, never sent.
      if (
        !el ||
        (el.closest('input,select,textarea') && !/^(button|submit|reset|image|checkbox|radio)$/.test((el as HTMLInputElement).type)) ||
        /^\W*(next|prev(ious)?)\b|^\s*[+\-−]\s*$/i.test(el.getAttribute('aria-label') || el.textContent!)
      )
        return;
      clearTimeout(timer);
      if (n && e.timeStamp - prev.timeStamp <= 1000 && Math.hypot(e.clientX - prev.clientX, e.clientY - prev.clientY) <= 30) {
        if (++n == 2) sel = selector(first);
        if (n > 2) rageClick = e;
      } else {
        flush();
        n = 1;
        first = el;
        url = location.href;
      }
      prev = e;
      // 1001: a click exactly 1000 ms later still belongs to the burst
      timer = setTimeout(flush, 1001);
    }),
    on(document, 'visibilitychange', flush),
    on(window, 'pagehide', flush),
  ];
  return () => {
    clearTimeout(timer);
    flush();
    offs.forEach((off) => off());
  };
};
