/**
 * Dead clicks (DEFINITIONS "Navigation friction", after PostHog): a click that within 2500 ms causes
 * no DOM change, no URL change, no scroll, no focus or selection change and no new request.
 */
import type { Signal } from '../types';
import { onClick } from '../lib/click';
import { listen } from '../lib/listen';
import { FIELDS, selector } from '../lib/selector';
import { rageClick } from './rage-click';

/**
 * Emits `friction` `dead_click` 2500 ms after a click that nothing answered. Not on form fields,
 * links that went ahead (a new tab, a download, a slow page load), clicks with a modifier key or
 * clicks counted in a rage burst. One click is watched at a time: a new click cancels the watch,
 * since what follows can no longer be told apart from the new click's effect (a click in a
 * `data-kizuna-ignore` region is not heard, and does not).
 */
const WHOLE_DOCUMENT: MutationObserverInit = { subtree: true, childList: true, attributes: true, characterData: true };

export const startDeadClick: Signal = (emit, config) => {
  /** when the watched click is dead; 0 while no click is watched */
  let due = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let click: MouseEvent;
  let el: Element;
  let href: string;
  let mo: MutationObserver;
  // Called by every scroll, focus and selection change: free while no click is watched.
  const cancel = () => {
    if (due) {
      due = 0;
      // observing the whole document costs on busy pages: only while a click is watched
      mo.disconnect();
    }
  };
  // One timer for a run of clicks: a new click moves the deadline, and a timer that fires before
  // it waits for the rest, instead of a clearTimeout and a setTimeout per click.
  const check = () => {
    timer = undefined;
    if (!due) return;
    const wait = due - performance.now();
    if (wait > 0) timer = setTimeout(check, wait);
    else {
      cancel();
      // a link whose default action was not prevented navigates, perhaps slowly or in a new tab;
      // asked only now, of the one click found unanswered, not at every click
      if (
        document.URL == href &&
        !(click.ctrlKey || click.metaKey || click.shiftKey || click.altKey || el.closest(FIELDS)) &&
        !(el.closest('a[href]') && !click.defaultPrevented) &&
        click != rageClick
      )
        emit('friction', { kind: 'dead_click', selector: selector(el) }); // count: 1, the protocol's default
    }
  };
  try {
    mo = new MutationObserver(cancel);
  } catch {
    return () => {}; // without it no click can be called dead
  }
  let po: PerformanceObserver | undefined;
  try {
    // our own beacons are requests too, but not an answer to the click
    po = new PerformanceObserver((list) => list.getEntries().some((r) => !r.name.startsWith(config.endpoint)) && cancel());
    po.observe({ type: 'resource' });
  } catch {
    /* no Resource Timing: requests are not seen */
  }
  // capturing on window, to hear them from every element
  const offs = ['scroll', 'focusin', 'blur', 'selectionchange', 'submit', 'visibilitychange'].map((type) => listen(type, cancel));
  offs.push(
    onClick((e, target) => {
      // still observing for the previous click: what it changed is no answer to this one
      if (due) mo.takeRecords();
      else mo.observe(document, WHOLE_DOCUMENT);
      click = e;
      el = target;
      href = document.URL;
      // monotonic, as the timer is: a wall clock set back would keep the watch going
      due = performance.now() + 2500;
      timer ||= setTimeout(check, 2500);
    }),
  );
  return () => {
    cancel();
    clearTimeout(timer);
    po?.disconnect();
    offs.forEach((off) => off());
  };
};
