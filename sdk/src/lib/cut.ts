/**
 * `s` cut to at most `max` UTF-16 units (the collector's bounds are in those), on a code-point
 * boundary: a plain `slice` through an emoji leaves half of it, a lone surrogate (issue #12).
 */
export const cut = (s: string, max: number) => {
  const c = s.slice(0, max);
  return /[\ud800-\udbff]$/.test(c) ? c.slice(0, -1) : c;
};
