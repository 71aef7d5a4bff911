/**
 * Listeners that survive `document.open()`: it erases every listener of the document and its
 * window (issue #12: page leaves and later clicks were lost). Each `on()` is kept in a list shared
 * by the SDK's scripts, and when the document's own children change (as `document.open()` changes
 * them) all of them are added again: `addEventListener` ignores a listener already there, so the
 * others cost nothing. The observer hears nothing else of a page: only the `<html>` element's
 * coming and going.
 */
type Entry = [EventTarget, string, (e: Event) => void, AddEventListenerOptions];
const all = new Set<Entry>();
try {
  new MutationObserver(() => all.forEach(([target, type, fn, options]) => target.addEventListener(type, fn, options))).observe(document, {
    childList: true,
  });
} catch {
  /* no MutationObserver: listeners last until a document.open() */
}

/**
 * Adds a passive, capturing, exception-safe listener and returns its remover: every signal's
 * `stop()` is a list of these.
 */
export const on = <E extends Event = Event>(
  target: EventTarget,
  type: string,
  fn: (e: E) => void,
  capture = true,
): (() => void) => {
  // one argument, no rest / spread: this runs for every event the SDK hears
  const listener = (e: Event) => {
    try {
      fn(e as E);
    } catch {
      /* never into the page */
    }
  };
  const entry: Entry = [target, type, listener, { capture, passive: true }];
  target.addEventListener(type, listener, entry[3]);
  all.add(entry);
  return () => {
    all.delete(entry);
    target.removeEventListener(type, listener, entry[3]);
  };
};
