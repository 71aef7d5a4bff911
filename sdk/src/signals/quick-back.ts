/**
 * Quick backs (DEFINITIONS "Navigation friction", the U-turn of UXify and ActionXM): the visitor
 * leaves a page for the page they came from ≤ 5 s after arriving, without interacting on it.
 */
import type { Signal } from '../types';
import { listen } from '../lib/listen';
import { onPageView } from '../lib/page';

/**
 * Emits `friction` `quick_back`, on the page bounced from, when a page view (history back, or a
 * link) returns to the previous page ≤ 5000 ms after arriving, with no pointerdown, keydown, wheel
 * or touchstart before the last second: the gesture that goes back (a click on a link or a back
 * button, a mouse's back button, a shortcut) is not an interaction with the page. Page views are
 * those of this document: a full page load starts afresh.
 */
export const startQuickBack: Signal = (emit) => {
  let prev = '';
  // as the tracker's page views know it, whether or not the first one was heard
  let cur = document.URL;
  let at = Date.now();
  let seen = 0;
  // pointerdown, not click: a router that navigates on the press gets the click on the next page
  const offs = ['pointerdown', 'keydown', 'touchstart', 'wheel'].map((type) => listen(type, () => (seen ||= Date.now())));
  offs.push(
    onPageView((url) => {
      const now = Date.now();
      if (url == prev && now - at <= 5000 && (!seen || now - seen < 1000)) emit('friction', { kind: 'quick_back' }, { url: cur });
      prev = cur;
      cur = url;
      at = now;
      seen = 0;
    }),
  );
  return () => offs.forEach((off) => off());
};
