/**
 * One click listener for every signal that hears clicks, in both of the SDK's scripts: Chromium
 * pays about a microsecond per listener per click, and the element a click is about (and whether
 * it sits in a `data-kizuna-ignore` region) is worked out once, not once per signal.
 */
import { on } from './on';
import { clickTarget } from './selector';

/** `el`: the link or button the click landed in, else its target (lib/selector.ts `clickTarget`). */
export type ClickHandler = (e: MouseEvent, el: Element) => void;

/**
 * Shared through the page's window, as the page-view bus is (lib/page.ts): `kizuna.signals.js` is
 * bundled with its own copy of this module. The list is replaced, never changed in place, so that a
 * handler stopped during a click does not make the next one miss it.
 */
const w = window as { __kizunaClicks?: { handlers: ClickHandler[]; off?: () => void } };
const clicks = (w.__kizunaClicks ||= { handlers: [] });

/**
 * Calls `fn` for every click on an element outside `data-kizuna-ignore` regions (CONTRACT §2);
 * returns its remover. A handler that throws does not keep the others from hearing the click.
 */
export function onClick(fn: ClickHandler): () => void {
  clicks.off ||= on<MouseEvent>(document, 'click', (e) => {
    const el = clickTarget(e);
    if (el)
      for (const handler of clicks.handlers)
        try {
          handler(e, el);
        } catch {
          /* never into the page, nor into the next handler */
        }
  });
  clicks.handlers = [...clicks.handlers, fn];
  return () => {
    clicks.handlers = clicks.handlers.filter((h) => h != fn);
    if (!clicks.handlers.length && clicks.off) clicks.off = void clicks.off();
  };
}

/** The element matching `selector` that the click landed in (its target or an ancestor), or null. */
export const clickedOn = (e: Event, selector: string) => (e.target as Element).closest(selector);
