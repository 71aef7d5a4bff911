/**
 * The acquisition columns of a session (db/schema.ts `sessions`) from the classification of its
 * landing: one mapping for every writer — ingest (sessions/), reclassification
 * (aggregate/reclassify.ts) and the benchmarks' generator — so that a reclassified session is
 * exactly what ingest would have written with the same rules.
 */
import type { sessions } from '../db/schema.ts';
import { ACQUISITION_RULES_VERSION, classifySource, inAppNetwork, type ClassifyInput, type Source } from './acquisition.ts';

type SessionRow = typeof sessions.$inferInsert;

/** The columns a session takes from its landing, classification and rules version included. */
export const ACQUISITION_COLUMNS = [
  'source', 'medium', 'campaign', 'campaignId', 'term', 'content', 'channel', 'sourceCategory', 'network', 'searchEngine',
  'aiAssistant', 'searchTerm', 'inApp', 'inAppNetwork', 'rulesVersion',
] as const satisfies readonly (keyof SessionRow)[];

export type AcquisitionColumns = { [K in (typeof ACQUISITION_COLUMNS)[number]]-?: Exclude<SessionRow[K], undefined> };

/**
 * The acquisition columns of a session landing as `input` says, classified with the current rules;
 * a session without a landing page view yet is Direct. Of the user agent only the in-app browser it
 * names is kept (`inAppNetwork`): reclassification reads that instead.
 */
export function acquisitionColumns(input: ClassifyInput | undefined): AcquisitionColumns {
  const inApp = input && (input.inApp !== undefined ? input.inApp : inAppNetwork(input.userAgent));
  const a: Source | undefined = input && classifySource({ ...input, inApp });
  return {
    source: a?.source ?? '',
    medium: a?.medium ?? '',
    campaign: a?.campaign ?? '',
    campaignId: a?.campaignId ?? '',
    term: a?.term ?? '',
    content: a?.content ?? '',
    channel: a?.channel ?? 'Direct',
    sourceCategory: a?.category ?? null,
    network: a?.network ?? null,
    searchEngine: a?.searchEngine ?? null,
    aiAssistant: a?.aiAssistant ?? null,
    // at most MAX_SEARCH_TERM characters already (the classifier's bound; session-acquisition.test.ts)
    searchTerm: a?.searchTerm ?? '',
    inApp: a?.inApp ?? false,
    inAppNetwork: inApp ?? null,
    rulesVersion: ACQUISITION_RULES_VERSION,
  };
}
