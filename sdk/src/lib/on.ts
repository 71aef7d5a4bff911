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
