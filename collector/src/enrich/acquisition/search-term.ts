/**
 * Search terms (issue #14): what a search engine's referrer still carries in the parameters the lists
 * name for it (most engines strip them now, so this is often empty). Bounded, trimmed, lower-cased,
 * white space folded.
 */
import { clean } from './text.ts';

/** A term decoded from another charset (EUC-JP, Shift_JIS) is garbage as UTF-8: drop it rather than store it. */
const REPLACEMENT_CHARACTER = '\uFFFD';
const SPACES = /\s+/g;

/** The first non-empty value of `params` in the referrer's query (or fragment, where some engines put it), '' when none. */
export function searchTermOf(referrer: URL, params: readonly string[]): string {
  if (params.length === 0) return '';
  const query = referrer.searchParams;
  const fragment = referrer.hash.length > 1 ? new URLSearchParams(referrer.hash.slice(1)) : undefined;
  for (const param of params) {
    const value = query.get(param) ?? fragment?.get(param);
    const term = clean(value?.replace(SPACES, ' '));
    if (term !== '') return term.includes(REPLACEMENT_CHARACTER) ? '' : term;
  }
  return '';
}
