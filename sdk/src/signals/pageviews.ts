/**
 * Page views, SPA navigations included (`data-spa`).
 *
 * SPA navigations are told by `kizuna.signals.js` (history.ts: the Navigation API, else the history
 * patch), through handoff.ts `NAVIGATED`; restores from the back/forward cache are heard here
 * (`pageshow`). The first view needs no chunk: a page whose chunk never loads still counts its
 * landing (a router navigates on the visitor's input, after the chunk has arrived).
 *
 * A view is sent once its route has rendered (issue #12): when no other navigation came for
 * {@link QUIET_MS} and the title has changed, or after {@link MAX_MS} at most. A replace within
 * {@link QUIET_MS} of the previous navigation is a redirect (`<Navigate replace>`, `onMounted →
 * replace`), not a page the visitor saw: one view, of where it led. The title, viewport and scroll depth are
 * then the new page's, not the old one's. A pending view goes out at once when the page is hidden
 * or `flush()` is called.
 *
 * Pages are told apart by their URL without the fragment (an anchor is the same page) unless the
 * fragment is a route (`#/…`, `#!/…`, as hash routers write them) or `data-spa="hash"` counts every
 * fragment; an anchor within a route (`#/faq#shipping`, as hash routers write one) is that route's page.
 */
import type { Config } from '../config';
import type { Emit } from '../types';
import { NAVIGATED, type HandoffWindow } from '../handoff';
import { on } from '../lib/on';

type Nav = 'load' | 'push' | 'replace' | 'pop';

/** a replace closer than this to the previous navigation is a redirect: one page view */
const QUIET_MS = 200;
/** the longest a view waits for its route's title */
const MAX_MS = 1000;

export function startPageviews(emit: Emit, config: Config): { stop(): void; settle(): void } {
  /**
   * the part of a URL that tells pages apart: up to its route fragment if it has one (`#/faq`, or any
   * fragment in hash mode), without the anchor after that (`#/faq#shipping`, `/faq#shipping`)
   */
  // by string search, not a RegExp: the first one a page runs costs its load about half a millisecond
  const page = (url: string) => {
    const [path, fragment] = url.split('#');
    return fragment != null && (config.spa == 'hash' || fragment[0] == '/' || fragment.startsWith('!/')) ? path + '#' + fragment : path!;
  };
  /** the page of the last view sent, the URL the visitor is on, the referrer of the view to send */
  let sent = '';
  let current = document.URL;
  let from = document.referrer || null;
  /** the view waiting to be sent: how it began, the title then, when it began, when last redirected */
  let pending: Nav | 0 = 'load';
  let title = document.title;
  let first = Date.now();
  let last = first;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const settle = () => {
    clearTimeout(timer);
    const nav = pending;
    pending = 0;
    // a redirect that came back, or nothing: no new page
    if (!nav || page(current) == sent) return;
    sent = page(current);
    // the time zone goes with the `timing` event: Chromium's first `Intl.DateTimeFormat()` costs
    // 15–60 ms of main thread (bench/sdk.ts), far beyond what a page view may cost
    // stamped when it began: before what the visitor did on the page meanwhile
    emit('pageview', { nav, lang: navigator.language, vw: innerWidth, vh: innerHeight }, { url: current, referrer: from, ts: first });
    from = current;
  };
  /**
   * At {@link QUIET_MS} after the last navigation, and at {@link MAX_MS} after the first if the
   * title had not changed then: two timers a view, not a poll (each timer's task costs the page
   * about 0.2 ms of main thread during its load, bench/sdk.ts).
   */
  const check = () => {
    const now = Date.now();
    if (now - last >= QUIET_MS && (document.title != title || now - first >= MAX_MS)) settle();
    else timer = setTimeout(check, Math.max(last + QUIET_MS, first + MAX_MS) - now);
  };
  const navigated = (nav: Nav) => {
    const url = document.URL;
    const now = Date.now();
    if (page(url) != page(current)) {
      // only a replace soon after the previous navigation is a redirect: after a quiet while, or
      // a push or traversal, the pending view was a page the visitor saw
      if (pending && (nav != 'replace' || now - last >= QUIET_MS)) settle();
      if (!pending) (pending = nav), (title = document.title), (first = now);
      last = now;
      clearTimeout(timer);
      timer = setTimeout(check, QUIET_MS);
    }
    current = url;
  };
  timer = setTimeout(check, QUIET_MS);

  const stops = [
    on(window, 'pagehide', settle),
    on(window, 'visibilitychange', () => document.visibilityState == 'hidden' && settle()),
    // back or forward to this document, kept whole by the browser: the visitor sees it again
    on<PageTransitionEvent>(window, 'pageshow', (e) => {
      if (e.persisted) (sent = current = ''), (from = null), navigated('pop');
    }),
  ];
  // SPA navigations are told by kizuna.signals.js (history.ts)
  if (config.spa != 'off') (window as HandoffWindow)[NAVIGATED] = navigated;
  return {
    stop() {
      clearTimeout(timer);
      stops.forEach((stop) => stop());
    },
    settle,
  };
}
