/**
 * JavaScript errors, and error clicks (DEFINITIONS "Navigation friction", after Clarity): an uncaught
 * error or unhandled rejection ≤ 1000 ms after a click.
 */
import type { Signal } from '../types';
import { onClick } from '../lib/click';
import { cut } from '../lib/cut';
import { on } from '../lib/on';
import { onPageView } from '../lib/page';
import { selector } from '../lib/selector';

/**
 * Emits each uncaught error and unhandled rejection as an `error` event (at most 10 per page view:
 * a failing loop must not flood the queue), and `friction` `error_click` with the clicked element
 * when the first of them follows a click by ≤ 1000 ms.
 */
export const startErrorClick: Signal = (emit) => {
  let n = 0;
  /** the last click, and its element: a click costs two assignments, the error does the rest */
  let click: Event | undefined;
  let el: Element;
  const report = (e: Event, message: unknown, source?: string, line?: number) => {
    if (n++ < 10) emit('error', { message: String(message), source: source && cut(source, 512), line });
    // both stamps are on the page's monotonic clock
    if (click && e.timeStamp - click.timeStamp <= 1000) emit('friction', { kind: 'error_click', selector: selector(el) });
    click = undefined;
  };
  const offs = [
    onClick((e, target) => {
      click = e;
      el = target;
    }),
    // not capturing: a failed <img> or <script> fires `error` on its element, not on window
    on<ErrorEvent>(window, 'error', (e) => report(e, e.message, e.filename, e.lineno), false),
    on<PromiseRejectionEvent>(window, 'unhandledrejection', (e) => report(e, (e.reason && e.reason.message) || e.reason)),
    onPageView(() => (n = 0)),
  ];
  return () => offs.forEach((off) => off());
};
