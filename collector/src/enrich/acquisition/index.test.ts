import { describe, expect, it } from 'vitest';
import { ACQUISITION_RULES_VERSION, classifySource } from './index.ts';
import { CHROME, classify, DIRECT } from './test-helpers.ts';

const IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const INSTAGRAM = `${IOS} Instagram 334.0.4.32.98 (iPhone14,5; iOS 17_5; ja_JP; ja; scale=3.00; 1170x2532; 606229137)`;
const LINE = `${IOS} Safari Line/14.9.0`;

describe('classifySource: where the source comes from', () => {
  it('takes UTM parameters first, lower-cased, over the click id and the referrer', () => {
    expect(classify('/?utm_source=Newsletter&utm_medium=Email&utm_campaign=Spring_Sale&utm_id=C42&utm_term=Shoes&utm_content=Hero&fbclid=abc', 'https://t.co/x')).toEqual({
      ...DIRECT, source: 'newsletter', medium: 'email', campaign: 'spring_sale', campaignId: 'c42', term: 'shoes', content: 'hero',
      channel: 'Email', clickId: 'fbclid', referrerHost: 't.co',
    });
  });

  it('takes the click id when there are no UTM parameters, over the referrer', () => {
    expect(classify('/?fbclid=abc', 'https://www.google.com/')).toMatchObject({
      source: 'facebook', medium: 'social', channel: 'Organic Social', network: 'facebook', clickId: 'fbclid', referrerHost: 'google.com',
    });
  });

  it('takes the first click id in the DEFINITIONS order', () => {
    expect(classify('/?msclkid=1&gclid=2')).toMatchObject({ source: 'google', clickId: 'gclid' });
  });

  it('lets a paid click id supply the medium a utm_source leaves out (the click id confirms paid)', () => {
    expect(classify('/?utm_source=google&gclid=1')).toMatchObject({ source: 'google', medium: 'cpc', channel: 'Paid Search', clickId: 'gclid' });
  });

  it('keeps the tagged medium over a paid click id (UTM wins)', () => {
    expect(classify('/?utm_source=acme&utm_medium=email&gclid=1')).toMatchObject({ medium: 'email', channel: 'Email', clickId: 'gclid' });
  });

  it('takes the referrer host as the lists name it', () => {
    expect(classify('/', 'https://lm.facebook.com/l.php?u=x')).toEqual({
      ...DIRECT, source: 'facebook', medium: 'social', channel: 'Organic Social', category: 'social', network: 'facebook', referrerHost: 'lm.facebook.com',
    });
  });

  it.each([
    ['https://news.yahoo.co.jp/articles/1', 'news.yahoo.co.jp'],
    ['https://liff.line.me/123', 'liff.line.me'],
    ['https://support.google.com/analytics', 'support.google.com'],
    ['https://docs.google.com/document/d/1', 'docs.google.com'],
  ])('never matches a portal subdomain the lists do not name: %s is a referral', (referrer, host) => {
    expect(classify('/', referrer)).toMatchObject({ source: host, medium: 'referral', channel: 'Referral', category: null, network: null });
  });

  it('takes www.facebook.com as GA4 does (facebook.com, social), not as the search engine Matomo lists there', () => {
    for (const referrer of ['https://www.facebook.com/', 'https://www.facebook.com/search/?q=kizuna', 'https://facebook.com/groups/x']) {
      expect(classify('/', referrer), referrer).toMatchObject({
        source: 'facebook', medium: 'social', channel: 'Organic Social', category: 'social', network: 'facebook', searchEngine: null, searchTerm: '',
      });
    }
  });

  it('counts a landing with no referrer in an in-app browser as organic social from that app', () => {
    expect(classify('/', null, { userAgent: INSTAGRAM })).toEqual({
      ...DIRECT, source: 'instagram', medium: 'social', channel: 'Organic Social', category: 'social', network: 'instagram', inApp: true,
    });
  });

  it('flags inApp even when the referrer decides the source', () => {
    expect(classify('/', 'https://www.google.co.jp/', { userAgent: LINE })).toMatchObject({
      source: 'google', channel: 'Organic Search', searchEngine: 'google', network: null, inApp: true,
    });
  });

  it('ignores a referrer on a site host or a subdomain of one', () => {
    expect(classify('/', 'https://shop.example.com/cart')).toEqual(DIRECT);
  });

  it('treats a site host given as an origin, with www. and a port, as the site', () => {
    const input = { landingUrl: 'https://app.example.net/', referrer: 'https://example.com/x', userAgent: CHROME };
    expect(classifySource({ ...input, siteHosts: ['https://www.example.com:8443'] })).toEqual(DIRECT);
  });

  it('treats a site host given with a port as the site', () => {
    const input = { landingUrl: 'https://app.example.net/', referrer: 'https://example.com/x', userAgent: CHROME };
    expect(classifySource({ ...input, siteHosts: ['example.com:8443'] })).toEqual(DIRECT);
  });

  it("treats the landing page's own host as the site even when siteHosts misses it", () => {
    expect(classify('/b', 'https://example.com/a', { siteHosts: [] })).toEqual(DIRECT);
  });

  it('falls through a same-site referrer to the in-app browser', () => {
    expect(classify('/', 'https://example.com/a', { userAgent: LINE })).toMatchObject({ source: 'line', channel: 'Organic Social', inApp: true });
  });

  it('maps a utm_source naming a network by alias to the network', () => {
    expect(classify('/?utm_source=+Twitter+&utm_medium=social')).toMatchObject({ source: 'x', network: 'x', channel: 'Organic Social' });
  });

  it('maps a utm_source naming a network by host to the network', () => {
    expect(classify('/?utm_source=m.facebook.com')).toMatchObject({ source: 'facebook', network: 'facebook', channel: 'Organic Social' });
  });

  it('takes the source from the referrer when the landing is tagged with utm_medium only', () => {
    expect(classify('/?utm_medium=social&utm_campaign=Launch', 'https://news.example.org/')).toMatchObject({
      source: 'news.example.org', medium: 'social', campaign: 'launch', channel: 'Organic Social', network: null,
    });
  });

  it("gives a utm_source with no utm_medium an empty medium, not the referrer's, and no channel rule matches it", () => {
    expect(classify('/?utm_source=partner', 'https://t.co/x')).toMatchObject({ source: 'partner', medium: '', channel: 'Unassigned', network: null });
  });

  it('reads the query of a hash-routed landing', () => {
    expect(classify('/#/faq?utm_source=line&utm_medium=social')).toMatchObject({ source: 'line', channel: 'Organic Social' });
  });

  it('takes android-app:// referrers by their package', () => {
    expect(classify('/', 'android-app://com.google.android.gm/')).toMatchObject({ source: 'gmail', channel: 'Email', category: 'email' });
    expect(classify('/', 'android-app://com.instagram.barcelona/')).toMatchObject({ source: 'threads', network: 'threads', channel: 'Organic Social' });
  });

  it('takes the path where a list needs it: Grok on x.com is an AI assistant, the rest of x.com is X', () => {
    expect(classify('/', 'https://x.com/i/grok?conversation=1')).toMatchObject({ source: 'grok', aiAssistant: 'grok', network: null, channel: 'AI Assistants' });
    expect(classify('/', 'https://x.com/kizuna/status/1')).toMatchObject({ source: 'x', network: 'x', channel: 'Organic Social' });
  });

  it('counts ChatGPT\'s own tag (utm_source=chatgpt.com) as the AI Assistants channel', () => {
    expect(classify('/?utm_source=chatgpt.com')).toMatchObject({ source: 'chatgpt', category: 'ai', aiAssistant: 'chatgpt', channel: 'AI Assistants' });
  });

  it('reads the search terms a search engine referrer still carries, from the parameter its list names', () => {
    expect(classify('/', 'https://search.yahoo.co.jp/search?p=%E7%B5%86+%E5%88%86%E6%9E%90&ei=UTF-8')).toMatchObject({
      source: 'yahoo.co.jp', searchEngine: 'yahoo.co.jp', searchTerm: '絆 分析',
    });
    expect(classify('/', 'https://www.bing.com/search?q=Kizuna%20Analytics')).toMatchObject({ searchEngine: 'bing', searchTerm: 'kizuna analytics' });
  });

  it('reads no search term off a referrer that is not a search engine', () => {
    expect(classify('/', 'https://www.reddit.com/search?q=kizuna')).toMatchObject({ network: 'reddit', searchTerm: '' });
  });

  it('exports the rules version sessions record: a short hash', () => {
    expect(ACQUISITION_RULES_VERSION).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('classifySource: hostile input', () => {
  it('never throws on bad URLs and treats them as absent', () => {
    for (const [landingUrl, referrer] of [['not a url', '::::'], ['', 'http://'], ['https://[bad', 'https://%zz']]) {
      expect(classifySource({ landingUrl: landingUrl!, referrer: referrer!, userAgent: '', siteHosts: ['', 'https://['] })).toEqual(DIRECT);
    }
  });

  it('reads a fully qualified referrer host (trailing dot) as the host', () => {
    expect(classify('/', 'https://t.co./abc')).toMatchObject({ source: 'x', referrerHost: 't.co' });
  });

  it('ignores referrers that are not web or app pages', () => {
    expect(classify('/', 'about:blank')).toEqual(DIRECT);
    expect(classify('/', 'chrome-extension://abcdef/page.html')).toEqual(DIRECT);
  });

  it('bounds returned strings to 100 characters', () => {
    const long = 'A'.repeat(500);
    const r = classify(
      `/?utm_source=${long}&utm_medium=${long}&utm_campaign=${long}&utm_term=${long}&utm_content=${long}&utm_id=${long}`,
      `https://${'b'.repeat(60)}.${'c'.repeat(60)}.org/`,
    );
    expect([r.source, r.medium, r.campaign, r.term, r.content, r.campaignId]).toEqual(Array(6).fill('a'.repeat(100)));
    expect(r.referrerHost).toBe(`${'b'.repeat(60)}.${'c'.repeat(39)}`);
  });

  it('never cuts a character in half at the bound', () => {
    const r = classify(`/?utm_campaign=${'a'.repeat(99)}${encodeURIComponent('😀')}`);
    expect(r.campaign).toBe('a'.repeat(99));
  });

  it('bounds a search term and drops one that did not decode (another charset)', () => {
    expect(classify('/', `https://www.bing.com/search?q=${'k'.repeat(300)}`).searchTerm).toBe('k'.repeat(100));
    expect(classify('/', 'https://search.yahoo.co.jp/search?p=%B3%F4').searchTerm).toBe('');
  });

  it('answers huge inputs quickly and the same every time', () => {
    const huge = `https://example.com/?utm_source=${'x'.repeat(1_000_000)}`;
    const input = { landingUrl: huge, referrer: huge, userAgent: 'Instagram '.repeat(100_000), siteHosts: ['example.com'] };
    const started = performance.now();
    const first = classifySource(input);
    expect(performance.now() - started).toBeLessThan(100);
    expect(classifySource(input)).toEqual(first);
    expect(first.source).toBe('x'.repeat(100));
  });

  it('takes odd unicode hosts as they come (punycode), without throwing', () => {
    expect(classify('/', 'https://例え.テスト/')).toMatchObject({ channel: 'Referral', referrerHost: 'xn--r8jz45g.xn--zckzah' });
  });
});
