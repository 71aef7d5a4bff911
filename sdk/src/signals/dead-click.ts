/**
 * Dead clicks (DEFINITIONS "Navigation friction", after PostHog): a click that within 2500 ms causes
 * no DOM change, no URL change, no scroll, no focus or selection change and no new request.
 */
import type { Signal } from '../types';
import { on } from '../lib/on';
import { clickTarget, selector } from '../lib/selector';
import { rageClick } from './rage-click';

/**
 * Emits `friction` `dead_click` 2500 ms after a click that nothing answered. Not on form fields,
 * links that went ahead (a new tab, a download, a slow page load), clicks with a modifier key or
 * clicks counted in a rage burst. One click is watched at a time: a new click cancels the watch,
 * since what follows can no longer be told apart from the new click's effect.
 */
export const startDeadClick: Signal = (emit, config) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let mo: MutationObserver;
  let po: PerformanceObserver | undefined;
  const cancel = () => {
    clearTimeout(timer);
    // observing the whole document costs on busy pages: only while a click is watched
    mo.disconnect();
  };
  try {
    mo = new MutationObserver(cancel);
  } catch {
    return () => {}; // without it no click can be called dead
  }
  try {
    // our own beacons are requests too, but not an answer to the click
    po = new PerformanceObserver((list) => list.getEntries().some((r) => !r.name.startsWith(config.endpoint)) && cancel());
    po.observe({ type: 'resource' });
  } catch {
    /* no Resource Timing: requests are not seen */
  }
  // listened to on window, capturing, to hear them from every element
  const offs = ['scroll', 'focusin', 'blur', 'selectionchange', 'submit', 'visibilitychange'].map((type) => on(window, type, cancel));
  offs.push(
    on<MouseEvent>(document, 'click', (e) => {
      cancel();
      const el = clickTarget(e);
      if (!el || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || el.closest('input,select,textarea')) return;
      const href = location.href;
      mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      timer = setTimeout(() => {
        cancel();
        // a link whose default action was not prevented navigates, perhaps slowly or in a new tab
        if (location.href == href && !(el.closest('a[href]') && !e.defaultPrevented) && e != rageClick)
          emit('friction', { kind: 'dead_click', selector: selector(el) }); // count: 1, the protocol's default
      }, 2500);
    }),
  );
  return () => {
    cancel();
    po?.disconnect();
    offs.forEach((off) => off());
  };
};
