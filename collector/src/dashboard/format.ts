/**
 * How the dashboard writes figures, dates and browser-sent strings: numbers, percentages, dates and
 * durations with `Intl` for the reader's language and the site's time zone; paths shown decoded;
 * only http(s) URLs ever become links.
 */
import type { Lang } from './messages.ts';

export interface Format {
  lang: Lang;
  number: (n: number | null | undefined) => string;
  /** a 0–1 fraction as a percentage */
  percent: (f: number | null | undefined) => string;
  /** a change between two figures, signed ("+12.5%"), or "—" when there was nothing before */
  change: (now: number, before: number) => string;
  /** `YYYY-MM-DD` (a day of the site's calendar); anything else as it is */
  day: (d: string) => string;
  /** an instant, in the site's time zone */
  time: (t: Date | string | number) => string;
  /** milliseconds as minutes and seconds ("1m 23s", "1 分 23 秒") */
  duration: (ms: number | null | undefined) => string;
}

const NONE = '—';

export function formatFor(lang: Lang, timezone: string): Format {
  const integer = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const signed = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  // a calendar day is the same day everywhere: formatted at UTC noon in UTC, it cannot move
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone });
  // Japanese has no narrow unit of its own (ICU gives "1m"): its short one is "1 分"
  const unitDisplay = lang === 'ja' ? 'short' : 'narrow';
  const minutes = new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay });
  const seconds = new Intl.NumberFormat(lang, { style: 'unit', unit: 'second', unitDisplay, maximumFractionDigits: 1 });
  const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);
  return {
    lang,
    number: (n) => (finite(n) ? integer.format(n) : NONE),
    percent: (f) => (finite(f) ? percent.format(f) : NONE),
    change: (now, before) => (before === 0 ? NONE : signed.format((now - before) / before)),
    day: (d) => {
      const date = new Date(`${d}T12:00:00Z`);
      return Number.isNaN(date.getTime()) ? d : day.format(date);
    },
    time: (t) => time.format(new Date(t)),
    duration: (ms) => {
      if (!finite(ms)) return NONE;
      const s = ms / 1000;
      if (s < 60) return seconds.format(s < 10 ? Math.round(s * 10) / 10 : Math.round(s));
      const whole = Math.round(s);
      return `${minutes.format(Math.floor(whole / 60))} ${seconds.format(whole % 60)}`;
    },
  };
}

/**
 * A path or URL as a person reads it: percent-escapes decoded (`/よくある質問`), but only where the
 * whole string decodes — a malformed escape leaves it as it came. The result is text: JSX escapes it.
 */
export function readable(pathOrUrl: string): string {
  try {
    return decodeURI(pathOrUrl);
  } catch {
    return pathOrUrl;
  }
}

/** The URL as an href when it is http or https; anything else (`javascript:`, `data:` …) is no link. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
