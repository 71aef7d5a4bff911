/**
 * Support contacts (`support`): a page view of a support page, or a click on a support control.
 * Also home of the page-matching helper the FAQ signal uses.
 */
import type { Signal } from '../types';
import { onClick } from '../lib/click';
import { onPageView } from '../lib/page';
import { matches } from '../lib/url';

/**
 * Calls `fn(url)` now for the current page and then for each page view whose URL matches one of
 * `patterns` (`*` wildcard). SPA page views are heard just before their `pageview` is sent.
 */
export const onPageMatch = (patterns: string[], fn: (url: string) => void) => {
  const check = (url: string) => {
    if (matches(patterns, url)) fn(url);
  };
  check(document.URL);
  return onPageView(check);
};

const SUPPORT = 'data-kizuna-support';

/**
 * Support contact: a page view matching `data-support`, or a click on a `data-kizuna-support`
 * element (DEFINITIONS: support contact). A click names its element by the attribute's value when it
 * has one (`[data-kizuna-support="chat"]`) — never by its text.
 */
export const startSupport: Signal = (emit, config) => {
  const stops = [
    onPageMatch(config.support, (url) => emit('support', { via: 'page' }, { url })),
    onClick((_, el) => {
      const v = el.getAttribute(SUPPORT);
      emit('support', { via: 'click', selector: v ? `[${SUPPORT}="${v}"]` : undefined });
    }, `[${SUPPORT}]`),
  ];
  return () => stops.forEach((stop) => stop());
};
