/**
 * How friction events name an element (DEFINITIONS "Navigation friction": "the element's CSS
 * selector (no text content)"): tags, ids and classes only, never text or input values.
 */

/** Form fields: clicks on them place a caret or pick a value, and answer themselves (rage and dead clicks). */
export const FIELDS = 'input,select,textarea';

/** Plain CSS identifiers only: generated ids (`:r1:`) and utility classes (`md:flex`, `w-1/2`) are noise. */
const ident = (s: string) => /^-?[a-z_][\w-]*$/i.test(s);

/**
 * A short CSS selector for `el`, e.g. `main>div.card>button#buy.btn`: at most 5 levels, ending at
 * the nearest element with an id (or below `<body>`), at most 200 characters.
 */
export function selector(el: Element | null): string {
  let s = '';
  for (let n = 5; el && n--; ) {
    const id = ident(el.id);
    const part = el.localName + (id ? '#' + el.id : '') + Array.from(el.classList, (c) => (ident(c) ? '.' + c : '')).join('');
    // keep the clicked end when a long class list would break the bound
    if (s && s.length + part.length > 199) break;
    s = s ? part + '>' + s : part;
    if (id || (el = el.parentElement) == document.body) break;
  }
  return s.slice(0, 200);
}
