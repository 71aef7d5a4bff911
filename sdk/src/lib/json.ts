/**
 * JSON of the SDK's own plain data (events, batches, the stored queue), written without calling
 * `JSON.stringify` on objects: that one calls any `toJSON` the page's libraries put on built-in
 * prototypes (Prototype.js 1.6's `Array.prototype.toJSON` returns a string, so every array was sent
 * as a string and every batch refused with a 400; issue #12). Strings, numbers and booleans go
 * through the `JSON.stringify` the page had as the SDK loaded: for a primitive it looks up no
 * `toJSON` (ECMA-262 SerializeJSONProperty), and it escapes what JSON must, lone surrogates (half of
 * an emoji the page cut) included.
 *
 * Numbers that JSON cannot hold and `undefined` / functions in arrays become `null`; keys holding
 * `undefined` or a function are left out, as `JSON.stringify` does.
 */
const primitive = JSON.stringify;

export const json = (v: unknown): string =>
  v && typeof v == 'object'
    ? Array.isArray(v)
      ? '[' + v.map((x) => json(x)).join() + ']'
      : '{' +
        Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined && typeof (v as Record<string, unknown>)[k] != 'function')
          .map((k) => primitive(k) + ':' + json((v as Record<string, unknown>)[k]))
          .join() +
        '}'
    : // a function or a BigInt is an object to JSON.stringify (its toJSON looked up) or an error
      typeof v == 'string' || typeof v == 'number' || typeof v == 'boolean'
      ? primitive(v)
      : 'null';
