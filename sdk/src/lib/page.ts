/**
 * The page-view bus: signals that measure "per page view" (engagement, quick backs, error caps,
 * FAQ items) subscribe here and hear of every new page view just before it is sent, so that their
 * closing event (a `pageleave`) goes out ahead of the next page's view.
 */
import { safe } from './safe';

type Listener = (url: string) => void;
/**
 * Shared through the page's window: the signals of `kizuna.signals.js` are bundled with their own
 * copy of this module and must hear the page views the first-load script sends.
 */
const w = window as { __kizunaPageViews?: Listener[] };
const listeners: Listener[] = (w.__kizunaPageViews ||= []);

export function onPageView(fn: Listener): () => void {
  const safeFn = safe(fn) as Listener;
  listeners.push(safeFn);
  return () => {
    const i = listeners.indexOf(safeFn);
    if (i >= 0) listeners.splice(i, 1);
  };
}

export const pageViewed = (url: string) => listeners.slice().forEach((fn) => fn(url));
