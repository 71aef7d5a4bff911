/** The acquisition columns every session writer stores (ingest, reclassification, the benchmarks' generator). */
import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_TERM } from '../db/schema.ts';
import { ACQUISITION_RULES_VERSION } from './acquisition.ts';
import { MAX_LENGTH } from './acquisition/text.ts';
import { acquisitionColumns } from './session-acquisition.ts';

const siteHosts = ['s.example'];

describe('acquisitionColumns', () => {
  it('keeps every field of the classification, and the rules version', () => {
    const landingUrl = 'https://s.example/?utm_source=line&utm_medium=cpc&utm_campaign=spring&utm_id=42&utm_term=Rental&utm_content=banner_a';
    expect(acquisitionColumns({ landingUrl, referrer: null, userAgent: 'Mozilla/5.0 Line/14.0.0', siteHosts })).toEqual({
      source: 'line', medium: 'cpc', campaign: 'spring', campaignId: '42', term: 'rental', content: 'banner_a', channel: 'Paid Social',
      sourceCategory: 'social', network: 'line', searchEngine: null, aiAssistant: null, searchTerm: '', inApp: true,
      inAppNetwork: 'line', rulesVersion: ACQUISITION_RULES_VERSION,
    });
    const search = acquisitionColumns({ landingUrl: 'https://s.example/', referrer: 'https://search.yahoo.co.jp/search?p=%E6%97%85%E8%A1%8C', userAgent: '', siteHosts });
    expect(search).toMatchObject({ channel: 'Organic Search', sourceCategory: 'search', searchEngine: 'yahoo.co.jp', searchTerm: '旅行' });
    expect(acquisitionColumns({ landingUrl: 'https://s.example/', referrer: 'https://chatgpt.com/', userAgent: '', siteHosts })).toMatchObject({
      channel: 'AI Assistants', aiAssistant: 'chatgpt', sourceCategory: 'ai',
    });
  });

  it('keeps of the user agent only the in-app browser it names, and reclassifies from that alone', () => {
    const userAgent = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 Instagram 309.0.0.0';
    const columns = acquisitionColumns({ landingUrl: 'https://s.example/', referrer: null, userAgent, siteHosts });
    expect(columns).toMatchObject({ inApp: true, inAppNetwork: 'instagram', network: 'instagram' });
    expect(JSON.stringify(columns)).not.toContain('iPhone');
    const again = acquisitionColumns({ landingUrl: 'https://s.example/', referrer: null, userAgent: '', inApp: columns.inAppNetwork, siteHosts });
    expect(again).toEqual(columns);
  });

  it('keeps search terms within the column bound, a hostile referrer included', () => {
    expect(MAX_SEARCH_TERM).toBe(MAX_LENGTH);
    const referrer = `https://search.yahoo.co.jp/search?p=${'%F0%9F%98%80'.repeat(200)}`;
    const { searchTerm } = acquisitionColumns({ landingUrl: 'https://s.example/', referrer, userAgent: '', siteHosts });
    expect(searchTerm.length).toBeGreaterThan(0);
    expect([...searchTerm].length).toBeLessThanOrEqual(MAX_SEARCH_TERM);
  });

  it('makes a session without a landing page view Direct', () => {
    expect(acquisitionColumns(undefined)).toMatchObject({ channel: 'Direct', source: '', medium: '', inAppNetwork: null, rulesVersion: ACQUISITION_RULES_VERSION });
  });
});
