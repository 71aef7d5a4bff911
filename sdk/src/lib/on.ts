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

type Handlers = { fns: ((e: Event) => void)[]; off: () => void };

/**
 * On the page's window, where bench/sdk.ts checks which types the SDK hears (`kizuna.signals.js`
 * borrows this module: handoff.ts `LIB`). A list is replaced, never changed in place, so that a
 * handler removed during an event does not make the next one miss it.
 */
const shared: Record<string, Handlers> = ((window as { __kizunaOn?: Record<string, Handlers> }).__kizunaOn = {});

/**
 * `on(window, type, fn)` for the events a page fires often (clicks, keys, scrolls, wheels, touches,
 * selection changes), through one listener per type for every signal of both scripts: Chromium
 * pays about 10 µs to enter script for each listener of a trusted event, and well under 1 µs for
 * one more call inside it (bench/sdk.ts). Capturing on window, so it hears element events too.
 */
export function listen<E extends Event = Event>(type: string, fn: (e: E) => void): () => void {
  const handlers = (shared[type] ||= {
    fns: [],
    off: on(window, type, (e) => {
      // indexed, not for…of: until V8 optimizes it this runs as bytecode, where an iterator per
      // event costs more than most handlers' own work
      const fns = handlers.fns;
      for (let i = 0; i < fns.length; i++)
        try {
          fns[i]!(e);
        } catch {
          /* never into the page, nor into the next handler */
        }
    }),
  });
  handlers.fns = [...handlers.fns, fn as (e: Event) => void];
  return () => {
    handlers.fns = handlers.fns.filter((f) => f != fn);
    // once: a remover called again must not take a later listener of the type
    if (!handlers.fns.length && shared[type] == handlers) {
      handlers.off();
      delete shared[type];
    }
  };
}
