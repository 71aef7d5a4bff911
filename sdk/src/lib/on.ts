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
  const options = { capture, passive: true };
  target.addEventListener(type, listener, options);
  return () => target.removeEventListener(type, listener, options);
};

type Handlers = { fns: ((e: Event) => void)[]; off: () => void };

/**
 * Shared through the page's window, as the page-view bus is (lib/page.ts): `kizuna.signals.js` is
 * bundled with its own copy of this module (rename the global if its shape ever changes: the two
 * scripts are cached apart). A list is replaced, never changed in place, so that a handler removed
 * during an event does not make the next one miss it.
 */
const w = window as { __kizunaOn?: Record<string, Handlers> };
const shared = (w.__kizunaOn ||= {});

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
