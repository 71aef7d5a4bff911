/**
 * The period a dashboard page shows, from its URL (so that a view can be shared): a preset
 * (`range=7d|28d|30d|90d|thisMonth|lastMonth`, counted back from the site's today) or
 * `range=custom&from=…&to=…`; `compare=1` adds the previous period of the same length.
 */
import { addDays, daysIn, localDate } from '../lib/dates.ts';

export const PRESETS = ['7d', '28d', '30d', '90d', 'thisMonth', 'lastMonth'] as const;
export type Preset = (typeof PRESETS)[number];
/**
 * The report API's default period: the 30 days up to today, whose visitor figures the rollup job
 * keeps precomputed (aggregate/visitor-windows.ts), so the first page a reader opens is the fastest.
 */
export const DEFAULT_PRESET = '30d' satisfies Preset;

export interface View {
  range: Preset | 'custom';
  /** what the report API's range takes (validated there: api/params.ts parseRange) */
  from: string;
  to: string;
  compare: boolean;
}

/** The query keys that make a view: kept in every link and form of the page (nav, CSV, tables). */
export const VIEW_KEYS = ['range', 'from', 'to', 'compare'] as const;

export function viewOf(query: Record<string, string | undefined>, now: number, timezone: string): View {
  const today = localDate(now, timezone);
  const compare = query.compare === '1';
  if (query.range === 'custom' || (query.range === undefined && (query.from || query.to))) {
    const to = query.to || today;
    return { range: 'custom', from: query.from || addDays(to, -(daysOfPreset(DEFAULT_PRESET) - 1)), to, compare };
  }
  const range = PRESETS.includes(query.range as Preset) ? (query.range as Preset) : DEFAULT_PRESET;
  return { range, ...presetDates(range, today), compare };
}

const daysOfPreset = (preset: '7d' | '28d' | '30d' | '90d') => Number(preset.slice(0, -1));

function presetDates(preset: Preset, today: string): { from: string; to: string } {
  const monthStart = `${today.slice(0, 8)}01`;
  if (preset === 'thisMonth') return { from: monthStart, to: today };
  if (preset === 'lastMonth') {
    const to = addDays(monthStart, -1);
    return { from: `${to.slice(0, 8)}01`, to };
  }
  return { from: addDays(today, -(daysOfPreset(preset) - 1)), to: today };
}

/** The previous period: the same number of days just before (the overview report's `previous`). */
export function previousOf(view: { from: string; to: string }) {
  const days = daysIn(view);
  return { from: addDays(view.from, -days), to: addDays(view.from, -1) };
}

/** The view's part of a URL query (with the page's own keys added by the caller). */
export function viewQuery(view: View, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  params.set('range', view.range);
  if (view.range === 'custom') {
    params.set('from', view.from);
    params.set('to', view.to);
  }
  if (view.compare) params.set('compare', '1');
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') params.set(k, v);
  return params.toString();
}
