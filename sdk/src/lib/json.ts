/**
 * JSON of the SDK's own plain data (events, batches, the stored queue), written without
 * `JSON.stringify`: that one calls any `toJSON` the page's libraries put on built-in prototypes
 * (Prototype.js 1.6's `Array.prototype.toJSON` returns a string, so every array was sent as a
 * string and every batch refused with a 400; issue #12), and a page may replace it altogether.
 *
 * Numbers that JSON cannot hold and `undefined` / functions in arrays become `null`; keys holding
 * `undefined` or a function are left out, as `JSON.stringify` does. A lone surrogate (half of an
 * emoji the page cut) is left as it is: the body goes out as UTF-8, where it becomes U+FFFD.
 */
const SPECIAL = /["\\\x00-\x1f]/g;

const escape = (c: string) => (c == '"' || c == '\\' ? '\\' + c : '\\u' + (c.charCodeAt(0) + 65536).toString(16).slice(1));

export const json = (v: unknown): string =>
  typeof v == 'string'
    ? '"' + v.replace(SPECIAL, escape) + '"'
    : typeof v == 'boolean' || (typeof v == 'number' && isFinite(v))
      ? '' + v
      : !v || typeof v != 'object'
        ? 'null'
        : Array.isArray(v)
          ? '[' + v.map((x) => json(x)).join() + ']'
          : '{' +
            Object.keys(v)
              .filter((k) => (v as Record<string, unknown>)[k] !== undefined && typeof (v as Record<string, unknown>)[k] != 'function')
              .map((k) => json(k) + ':' + json((v as Record<string, unknown>)[k]))
              .join() +
            '}';
