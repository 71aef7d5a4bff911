/** What the classifier's tests share: a site, a plain browser, and a landing on it. */
import { classifySource, type ClassifyInput, type Source } from './index.ts';

export const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Classifies a landing on https://example.com (`landing` is its path and query). */
export const classify = (landing: string, referrer: string | null = null, extra: Partial<ClassifyInput> = {}): Source =>
  classifySource({ landingUrl: `https://example.com${landing}`, referrer, userAgent: CHROME, siteHosts: ['example.com'], ...extra });

export const DIRECT: Source = {
  source: '', medium: '', campaign: '', campaignId: '', term: '', content: '', channel: 'Direct', category: null,
  network: null, searchEngine: null, aiAssistant: null, searchTerm: '', inApp: false, clickId: null, referrerHost: null,
};
