/**
 * The SDK never throws into the host page: every entry point from the page (API calls, listeners,
 * timers) runs through `safe`, which swallows what goes wrong.
 */
export const safe =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (...args: A): R | undefined => {
    try {
      return fn(...args);
    } catch {
      return undefined;
    }
  };
