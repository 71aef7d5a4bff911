/**
 * Clicks for every signal that hears them: one handler on the shared click listener (lib/listen.ts) works out once per click the element it is about (and whether
 * it sits in a `data-kizuna-ignore` region) and which signals' selectors it matches.
 */
import { listen } from './listen';

/** Regions whose clicks are never recorded (CONTRACT §2), and the controls a click is about. */
export const IGNORED = '[data-kizuna-ignore]';
const CONTROLS = 'a,button,[role=button]';

export type ClickHandler = (e: MouseEvent, el: Element) => void;

/**
 * The list is replaced, never changed in place. `any` joins the handlers' selectors, `marks` adds
 * the ignored regions and the controls: most clicks land in none of them, and one `closest()` says
 * so for every handler. Only `kizuna.signals.js` hears clicks.
 */
const clicks: { handlers: [ClickHandler, string?][]; any: string; marks: string; off?: () => void } = { handlers: [], any: '', marks: '' };

const update = (handlers: typeof clicks.handlers) => {
  clicks.handlers = handlers;
  clicks.any = handlers.map(([, selector]) => selector).filter(Boolean).join();
  clicks.marks = [IGNORED, CONTROLS, clicks.any].filter(Boolean).join();
};

const dispatch = (e: MouseEvent) => {
  const target = e.target as Element;
  if (!target.closest) return; // the document, the window
  const marked = target.closest(clicks.marks);
  // the link or button the click landed in (an icon inside a button is the button), else the target
  const el = marked ? !target.closest(IGNORED) && (target.closest(CONTROLS) || target) : target;
  if (!el) return;
  const some = marked && clicks.any && target.closest(clicks.any);
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
};

/**
 * Calls `fn` for every click on an element outside `data-kizuna-ignore` regions (CONTRACT §2), with
 * the link or button the click landed in, else its target; or, with
 * a `selector`, only for clicks that landed in an element matching it (the target or an ancestor),
 * with that element. Returns the remover. A handler that throws does not keep the others from
 * hearing the click.
 */
export function onClick(fn: ClickHandler, selector?: string): () => void {
  clicks.off ||= listen('click', dispatch);
  update([...clicks.handlers, [fn, selector]]);
  return () => {
    update(clicks.handlers.filter(([h]) => h != fn));
    if (!clicks.handlers.length && clicks.off) clicks.off = void clicks.off();
  };
}
