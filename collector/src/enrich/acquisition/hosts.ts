/**
 * The classification data (generated from the public lists by `pnpm --filter @kizuna/collector
 * acquisition:data`, see build-data.ts) turned into maps once, at load: a referrer host or a
 * utm_source is then a handful of Map lookups.
 */
import data from './sources.json' with { type: 'json' };
import { hostKeys } from './host-keys.ts';

export const SOURCE_CATEGORIES = ['search', 'social', 'video', 'shopping', 'ai', 'email'] as const;
export type SourceCategory = (typeof SOURCE_CATEGORIES)[number];

/** As stored in sources.json: category, canonical name (null when the lists name none), search-term parameters. */
export type StoredEntry = readonly [category: SourceCategory, name: string | null, params?: readonly string[]];

export interface SourceData {
  /** short hash of this data and of the rule modules (see build-data.ts) */
  version: string;
  /** where each list comes from: repository, commit, licence */
  upstream: Record<string, string>;
  /** host (or host + path prefix) patterns as the lists write them → entry */
  hosts: Record<string, StoredEntry>;
  /** utm_source names (`google`, `fb`, `twitter`) → entry */
  names: Record<string, StoredEntry>;
}

export interface SourceEntry {
  readonly category: SourceCategory;
  /**
   * Canonical lower-case name: the search engine, network or AI assistant id (`google`, `x`,
   * `chatgpt`); null when no list names the host (a shopping or webmail host, most often).
   */
  readonly name: string | null;
  /** query parameters that carry the search terms (search engines only) */
  readonly params: readonly string[];
}

const NO_PARAMS: readonly string[] = Object.freeze([]);
const toEntry = ([category, name, params]: StoredEntry): SourceEntry =>
  Object.freeze({ category, name, params: params ? Object.freeze([...params]) : NO_PARAMS });

const sourceData = data as unknown as SourceData;
export const SOURCE_DATA_VERSION: string = sourceData.version;

const byHost = new Map<string, SourceEntry>();
/** host → [path prefix, entry], for the few entries that need the path (`x.com/i/grok`, `google.{}/cse`) */
const byHostPath = new Map<string, Array<readonly [string, SourceEntry]>>();
for (const [pattern, stored] of Object.entries(sourceData.hosts)) {
  const slash = pattern.indexOf('/');
  if (slash < 0) {
    byHost.set(pattern, toEntry(stored));
    continue;
  }
  const host = pattern.slice(0, slash);
  const paths = byHostPath.get(host) ?? [];
  paths.push([pattern.slice(slash), toEntry(stored)]);
  byHostPath.set(host, paths);
}
const byName = new Map(Object.entries(sourceData.names).map(([name, stored]) => [name, toEntry(stored)]));

/** DEFINITIONS: `mail.*` is email, whatever host it is under. */
const WEBMAIL: SourceEntry = Object.freeze({ category: 'email', name: null, params: NO_PARAMS });

/** The entry of a referrer host (lower-case) and path, or undefined when no list knows the host. */
export function entryOfHost(host: string, path = '/'): SourceEntry | undefined {
  for (const key of hostKeys(host)) {
    const paths = byHostPath.get(key);
    if (paths) {
      for (const [prefix, entry] of paths) if (path.startsWith(prefix)) return entry;
    }
    const entry = byHost.get(key);
    if (entry) return entry;
  }
  return host.startsWith('mail.') ? WEBMAIL : undefined;
}

/** The entry a utm_source value (trimmed, lower-case) names: by name or alias, else as a host. */
export function entryOfSource(value: string): SourceEntry | undefined {
  return byName.get(value) ?? (value.includes('.') ? entryOfHost(value) : undefined);
}
