/** Every string the classifier returns is at most this long (characters). */
export const MAX_LENGTH = 100;

const HIGH_SURROGATE = /[\uD800-\uDBFF]$/;

/**
 * Trimmed, lower-cased and cut to {@link MAX_LENGTH} without splitting a surrogate pair (an emoji cut in
 * half is not valid UTF-8 for the database); '' for null or undefined.
 */
export function clean(value: string | null | undefined): string {
  if (!value) return '';
  // Cut first: lower-casing a megabyte of padding is wasted work.
  const lower = value.slice(0, MAX_LENGTH * 4).trim().toLowerCase().slice(0, MAX_LENGTH);
  return HIGH_SURROGATE.test(lower) ? lower.slice(0, -1) : lower;
}
