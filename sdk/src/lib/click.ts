/**
 * One click listener for every signal that hears clicks, in both of the SDK's scripts: Chromium
 * pays about a microsecond per listener per click, and the element a click is about (and whether
 * it sits in a `data-kizuna-ignore` region) is worked out once, not once per signal.
 */
import { on } from './on';
import { clickTarget } from './selector';

export type ClickHandler = (e: MouseEvent, el: Element) => void;

/**
 * Shared through the page's window, as the page-view bus is (lib/page.ts): `kizuna.signals.js` is
 * bundled with its own copy of this module. The list is replaced, never changed in place, so that a
 * handler stopped during a click does not make the next one miss it. `any` joins the handlers'
 * selectors: most clicks match none of them, and one `closest()` says so for all.
 */
const w = window as { __kizunaClicks?: { handlers: [ClickHandler, string?][]; any: string; off?: () => void } };
const clicks = (w.__kizunaClicks ||= { handlers: [], any: '' });

const listen = (handlers: typeof clicks.handlers) => {
  clicks.handlers = handlers;
  clicks.any = handlers.map(([, selector]) => selector).filter(Boolean).join();
};

/**
 * Calls `fn` for every click on an element outside `data-kizuna-ignore` regions (CONTRACT §2), with
 * the link or button the click landed in, else its target (lib/selector.ts `clickTarget`); or, with
 * a `selector`, only for clicks that landed in an element matching it (the target or an ancestor),
 * with that element. Returns the remover. A handler that throws does not keep the others from
 * hearing the click.
 */
export function onClick(fn: ClickHandler, selector?: string): () => void {
  clicks.off ||= on<MouseEvent>(document, 'click', (e) => {
    const el = clickTarget(e);
    if (!el) return;
    const target = e.target as Element;
    const some = clicks.any && target.closest(clicks.any);
    // indexed, not for…of with destructuring: until V8 optimizes it, this runs as bytecode, where
    // an iterator per click and per pair costs more than the handlers' own work
    const list = clicks.handlers;
    for (let i = 0; i < list.length; i++) {
      const sel = list[i]![1];
      const match = sel ? some && target.closest(sel) : el;
      if (match)
        try {
          list[i]![0](e, match);
        } catch {
          /* never into the page, nor into the next handler */
        }
    }
  });
  listen([...clicks.handlers, [fn, selector]]);
  return () => {
    listen(clicks.handlers.filter(([h]) => h != fn));
    if (!clicks.handlers.length && clicks.off) clicks.off = void clicks.off();
  };
}
