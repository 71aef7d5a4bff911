/**
 * FAQ and self-service (`faq` events): views of FAQ pages and items, FAQ searches with their result
 * counts, and "was this helpful?" votes.
 */
import type { Signal } from '../types';
import { on } from '../lib/on';
import { onPageView } from '../lib/page';
import { safe } from '../lib/safe';
import { IGNORED, onClick } from '../lib/click';
import { onPageMatch } from './support';

const FAQ = 'data-kizuna-faq';
const ITEM = `[${FAQ}]`;
const SEARCH = `[${FAQ}-search]`;
const RESULTS = 'data-kizuna-results';
const HELPFUL = 'data-kizuna-helpful';

/**
 * FAQ view: a page view matching `data-faq` (the article is its path), or a `data-kizuna-faq` item
 * opened (`<details>` open, or `aria-expanded="true"` on a control inside it) or ≥ 50 % visible for
 * 1 s — once per article per page view. FAQ search: the query of a `data-kizuna-faq-search` form,
 * trimmed, lower-cased, ≤ 200 characters, with the `data-kizuna-results` count once the results
 * render. Votes: clicks on `data-kizuna-helpful="yes|no"` inside an item (DEFINITIONS: FAQ and
 * self-service; CONTRACT §2). The search query is the only input value the SDK ever reads.
 */
export const startFaq: Signal = (emit, config) => {
  const seen = new Set<string>();
  const timers = new Map<Element, ReturnType<typeof setTimeout>>();
  const view = (article: string, title?: string) => {
    if (!seen.has(article)) emit('faq', { action: 'view', article, title });
    seen.add(article);
  };
  // an article is its data-kizuna-faq id, else its page's path (DEFINITIONS)
  const article = (item: Element) => item.getAttribute(FAQ) || location.pathname;
  // nothing from inside a data-kizuna-ignore region: no item, no search typed there (CONTRACT §2)
  const viewItem = (item: Element) => item.closest(IGNORED) || view(article(item), item.getAttribute(FAQ + '-title') || undefined);
  const results = () => document.querySelector(`[${RESULTS}]`)?.getAttribute(RESULTS);

  // A search waits up to 1.5 s for its count: data-kizuna-results appearing or changing after the
  // submit (the page renders it after our capturing listener has run); at the deadline, whatever
  // is shown, or nothing.
  let query: string | undefined;
  let shown: string | null | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const search = (count?: string | null) => {
    clearTimeout(deadline);
    const n = parseInt(count!);
    if (query) emit('faq', { action: 'search', query, results: n >= 0 ? n : undefined });
    query = undefined;
  };

  let io: IntersectionObserver | undefined;
  let mo: MutationObserver | undefined;
  const observeItems = () => io && document.querySelectorAll(ITEM).forEach((item) => io!.observe(item));
  try {
    // One observer for items rendered later (observe() ignores those already watched), items being
    // opened however the page opens them (click, keyboard, script), and search results rendering.
    mo = new MutationObserver(
      safe((records: MutationRecord[]) => {
        let added = false;
        for (const { target, attributeName, addedNodes } of records) {
          const t = target as HTMLDetailsElement;
          const item = attributeName && (t.open || t.getAttribute('aria-expanded') == 'true') && t.closest(ITEM);
          if (item) viewItem(item);
          added ||= addedNodes.length > 0;
        }
        // only added nodes can hold new items: no document query per mutation otherwise
        if (added) observeItems();
        const count = query && results();
        if (count != null && count != shown) search(count);
      }),
    );
    mo.observe(document, { subtree: true, childList: true, attributeFilter: ['open', 'aria-expanded', RESULTS] });
    // items ≥ 50 % visible for 1 s
    io = new IntersectionObserver(
      safe((entries: IntersectionObserverEntry[]) => {
        for (const { target, intersectionRatio } of entries) {
          clearTimeout(timers.get(target));
          if (intersectionRatio >= 0.5) timers.set(target, setTimeout(safe(() => viewItem(target)), 1000));
        }
      }),
      { threshold: 0.5 },
    );
    observeItems();
  } catch {
    /* without IntersectionObserver only opened items count; without MutationObserver (older than
       both) no item counts, and searches wait for the deadline */
  }

  const stops = [
    // before onPageMatch's listener, so that a new page view starts with nothing seen
    onPageView(() => seen.clear()),
    onPageMatch(config.faq, (url) => view(new URL(url).pathname)),
    on(document, 'submit', (e) => {
      const form = e.target as HTMLFormElement;
      const input = (form.querySelector(SEARCH) ||
        (form.matches(SEARCH) && form.querySelector('input:not([type]),[type=search],[type=text]'))) as HTMLInputElement | null;
      const q = input && !input.closest(IGNORED) && input.value.trim().toLowerCase(); // scrubbed and cut as it is sent (lib/scrub.ts)
      if (!q) return;
      search(); // a search still waiting goes out without its count
      query = q;
      shown = results();
      deadline = setTimeout(safe(() => search(results())), 1500);
    }),
    // a search form that loads a new document: send the query before the page goes
    on(window, 'pagehide', () => search()),
    onClick((_, button) => {
      const item = button.closest(ITEM);
      const v = item && button.getAttribute(HELPFUL);
      if (v == 'yes' || v == 'no') emit('faq', { action: 'vote', article: article(item!), helpful: v == 'yes' });
    }, `[${HELPFUL}]`),
  ];
  return () => {
    stops.forEach((stop) => stop());
    io?.disconnect();
    mo?.disconnect();
    timers.forEach(clearTimeout);
    clearTimeout(deadline);
  };
};
