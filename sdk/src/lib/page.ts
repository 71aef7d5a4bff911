/**
 * The page-view bus: signals that measure "per page view" (engagement, quick backs, error caps,
 * FAQ items) subscribe here and hear of every new page view just before it is sent, so that their
 * closing event (a `pageleave`) goes out ahead of the next page's view. `kizuna.signals.js` uses
 * this module of the first-load script (handoff.ts `LIB`), so both hear the same views.
 */
import { safe } from './safe';

type Listener = (url: string) => void;
const listeners: Listener[] = [];
let last = '';

export function onPageView(fn: Listener): () => void {
  const safeFn = safe(fn) as Listener;
  listeners.push(safeFn);
  return () => {
    const i = listeners.indexOf(safeFn);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/** The URL of the last page view sent ('' before the first): for a signal that starts later. */
export const lastView = () => last;

export const pageViewed = (url: string) => {
  last = url;
  listeners.slice().forEach((fn) => fn(url));
};
