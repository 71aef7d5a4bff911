/**
 * Acquisition: the module lives in ./acquisition/ (rules, data, tests); this file keeps the import
 * path of its callers (enrich, store, bench).
 */
export * from './acquisition/index.ts';
