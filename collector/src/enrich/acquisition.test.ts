import { describe, expect, it } from 'vitest';
import { classifySource, type ClassifyInput, type Source } from './acquisition.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const INSTAGRAM = `${IOS} Instagram 334.0.4.32.98 (iPhone14,5; iOS 17_5; ja_JP; ja; scale=3.00; 1170x2532; 606229137)`;
const LINE = `${IOS} Safari Line/14.9.0`;

const classify = (landing: string, referrer: string | null = null, extra: Partial<ClassifyInput> = {}) =>
  classifySource({ landingUrl: `https://example.com${landing}`, referrer, userAgent: CHROME, siteHosts: ['example.com'], ...extra });

const DIRECT: Source = {
  source: '', medium: '', campaign: '', channel: 'Direct', network: null, inApp: false, clickId: null, referrerHost: null,
};

describe('classifySource: where the source comes from', () => {
  it('takes UTM parameters first, lower-cased, over the click id and the referrer', () => {
    expect(classify('/?utm_source=Newsletter&utm_medium=Email&utm_campaign=Spring_Sale&fbclid=abc', 'https://t.co/x')).toEqual({
      source: 'newsletter', medium: 'email', campaign: 'spring_sale', channel: 'Email',
      network: null, inApp: false, clickId: 'fbclid', referrerHost: 't.co',
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

  it('takes the referrer host, subdomains included, when the landing carries no tags', () => {
    expect(classify('/', 'https://lm.facebook.com/l.php?u=x')).toEqual({
      ...DIRECT, source: 'facebook', medium: 'social', channel: 'Organic Social', network: 'facebook', referrerHost: 'lm.facebook.com',
    });
  });

  it('counts a landing with no referrer in an in-app browser as organic social from that app', () => {
    expect(classify('/', null, { userAgent: INSTAGRAM })).toEqual({
      ...DIRECT, source: 'instagram', medium: 'social', channel: 'Organic Social', network: 'instagram', inApp: true,
    });
  });

  it('flags inApp even when the referrer decides the source', () => {
    expect(classify('/', 'https://www.google.co.jp/', { userAgent: LINE })).toMatchObject({
      source: 'google', channel: 'Organic Search', network: null, inApp: true,
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

  it("gives a utm_source with no utm_medium an empty medium, not the referrer's", () => {
    expect(classify('/?utm_source=partner', 'https://t.co/x')).toMatchObject({ source: 'partner', medium: '', channel: 'Campaign' });
  });

  it('reads the query of a hash-routed landing', () => {
    expect(classify('/#/faq?utm_source=line&utm_medium=social')).toMatchObject({ source: 'line', channel: 'Organic Social' });
  });

  it('takes android-app:// referrers by their package', () => {
    expect(classify('/', 'android-app://com.google.android.gm/')).toMatchObject({ source: 'gmail', channel: 'Email' });
  });
});

describe('classifySource: channels', () => {
  it('Paid Social: social source and paid medium', () => {
    expect(classify('/?utm_source=fb&utm_medium=paid_social')).toMatchObject({ source: 'facebook', channel: 'Paid Social', network: 'facebook' });
  });

  it('Paid Social comes before Paid Search when a tagged social ad also carries a gclid', () => {
    expect(classify('/?utm_source=youtube&utm_medium=cpc&gclid=1')).toMatchObject({ channel: 'Paid Social', network: 'youtube' });
  });

  it('Paid Search: search source and paid medium', () => {
    expect(classify('/?utm_source=google&utm_medium=ppc')).toMatchObject({ source: 'google', channel: 'Paid Search', network: null });
  });

  it.each([
    ['gclid', 'google'],
    ['msclkid', 'bing'],
    ['yclid', 'yandex'],
  ])('Paid Search: a %s alone, as %s / cpc', (param, source) => {
    expect(classify(`/?${param}=Cj0KCQ`)).toMatchObject({ source, medium: 'cpc', channel: 'Paid Search', clickId: param });
  });

  it('Paid Search: a gclid wins over an email tag (GA4 order)', () => {
    expect(classify('/?utm_source=newsletter&gclid=1')).toMatchObject({ source: 'newsletter', channel: 'Paid Search' });
  });

  it.each([['ttclid', 'tiktok'], ['twclid', 'x'], ['li_fat_id', 'linkedin']])(
    'Organic Social: a %s alone (DEFINITIONS names only search click ids as paid)',
    (param, network) => {
      expect(classify(`/?${param}=1`)).toMatchObject({ source: network, network, channel: 'Organic Social' });
    },
  );

  it.each(['social', 'social-network', 'social-media', 'sm', 'social network', 'social media'])(
    'Organic Social: medium %j with an unknown source',
    (medium) => {
      expect(classify(`/?utm_source=partner&utm_medium=${encodeURIComponent(medium)}`)).toMatchObject({ channel: 'Organic Social', network: null });
    },
  );

  it('Organic Social comes before Organic Search: social source with medium organic', () => {
    expect(classify('/?utm_source=ig&utm_medium=organic')).toMatchObject({ source: 'instagram', channel: 'Organic Social' });
  });

  it('Organic Search: medium organic with an unknown source', () => {
    expect(classify('/?utm_source=acme&utm_medium=organic')).toMatchObject({ channel: 'Organic Search' });
  });

  it('Organic Search: google under a country domain', () => {
    expect(classify('/', 'https://www.google.com.au/')).toMatchObject({ source: 'google', medium: 'organic', channel: 'Organic Search' });
  });

  it('Organic Search: google.* does not match look-alikes', () => {
    expect(classify('/', 'https://google.example.org/')).toMatchObject({ source: 'google.example.org', channel: 'Referral' });
    expect(classify('/', 'https://notgoogle.com/')).toMatchObject({ source: 'notgoogle.com', channel: 'Referral' });
  });

  it.each([
    ['https://www.bing.com/search?q=kizuna', 'bing'],
    ['https://search.yahoo.com/search', 'yahoo'],
    ['https://search.yahoo.co.jp/search', 'yahoo.co.jp'],
    ['https://duckduckgo.com/', 'duckduckgo'],
    ['https://www.baidu.com/', 'baidu'],
    ['https://yandex.ru/search', 'yandex'],
    ['https://search.naver.com/', 'naver'],
    ['https://www.ecosia.org/search', 'ecosia'],
  ])('Organic Search: referrer %s is %s', (referrer, source) => {
    expect(classify('/', referrer)).toMatchObject({ source, medium: 'organic', channel: 'Organic Search', network: null });
  });

  it('Email: medium matching the email pattern', () => {
    expect(classify('/?utm_source=acme&utm_medium=e-mail')).toMatchObject({ channel: 'Email' });
  });

  it('Email: source matching the email pattern', () => {
    expect(classify('/?utm_source=weekly-newsletter')).toMatchObject({ channel: 'Email' });
  });

  it('Email: a webmail source, whatever the medium', () => {
    expect(classify('/?utm_source=outlook&utm_medium=link')).toMatchObject({ source: 'outlook', channel: 'Email' });
  });

  it('Email: a webmail referrer wins over the search host it sits under', () => {
    expect(classify('/', 'https://mail.google.com/')).toMatchObject({ source: 'gmail', medium: 'email', channel: 'Email' });
  });

  it('Campaign: a tagged landing no other channel claims', () => {
    expect(classify('/?utm_source=acme&utm_medium=banner&utm_campaign=q3', 'https://acme.example/')).toMatchObject({
      source: 'acme', medium: 'banner', campaign: 'q3', channel: 'Campaign', referrerHost: 'acme.example',
    });
  });

  it('Referral: any other external referrer, by its host without www.', () => {
    expect(classify('/', 'https://www.example.org/post')).toEqual({
      ...DIRECT, source: 'example.org', medium: 'referral', channel: 'Referral', referrerHost: 'example.org',
    });
  });

  it('Direct: no tags, no referrer, a plain browser', () => {
    expect(classify('/')).toEqual(DIRECT);
  });
});

describe('classifySource: the DEFINITIONS tables', () => {
  it.each([
    ['x.com', 'x'], ['twitter.com', 'x'], ['t.co', 'x'],
    ['facebook.com', 'facebook'], ['fb.com', 'facebook'], ['fb.me', 'facebook'], ['l.facebook.com', 'facebook'], ['m.facebook.com', 'facebook'],
    ['instagram.com', 'instagram'], ['l.instagram.com', 'instagram'],
    ['line.me', 'line'], ['liff.line.me', 'line'],
    ['youtube.com', 'youtube'], ['youtu.be', 'youtube'],
    ['tiktok.com', 'tiktok'],
    ['linkedin.com', 'linkedin'], ['lnkd.in', 'linkedin'],
    ['pinterest.com', 'pinterest'], ['pin.it', 'pinterest'],
    ['reddit.com', 'reddit'],
    ['threads.net', 'threads'], ['threads.com', 'threads'],
    ['bsky.app', 'bluesky'],
    ['mastodon.social', 'mastodon'], ['mstdn.jp', 'mastodon'],
    ['b.hatena.ne.jp', 'hatena'],
    ['note.com', 'note'],
  ])('social host %s is %s', (host, network) => {
    expect(classify('/', `https://${host}/post/1`)).toMatchObject({ source: network, network, channel: 'Organic Social' });
  });

  it.each([
    ['Facebook', `${IOS} [FBAN/FBIOS;FBAV/470.0.0.40.106;FBBV/123;FBDV/iPhone14,5;FBSN/iOS]`, 'facebook'],
    ['Facebook (Android)', 'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A; wv) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/470.0.0.40.106;]', 'facebook'],
    ['Instagram', INSTAGRAM, 'instagram'],
    ['LINE', LINE, 'line'],
    ['X', `${IOS} Twitter for iPhone/10.34`, 'x'],
    ['TikTok', `${IOS} musical_ly_33.8.0 JsSdk/2.0 NetType/WIFI BytedanceWebview/d8a21c6`, 'tiktok'],
    ['Threads', `${IOS} Barcelona 289.0.0.77.109 (iPhone15,3; iOS 17_1_2; ja_JP)`, 'threads'],
    ['LinkedIn', `${IOS} [LinkedInApp]/9.29.8541`, 'linkedin'],
  ])('in-app browser marker of %s', (_app, userAgent, network) => {
    expect(classify('/', null, { userAgent })).toMatchObject({ source: network, network, inApp: true, channel: 'Organic Social' });
  });

  it('takes the first in-app marker in table order (Threads before Instagram)', () => {
    expect(classify('/', null, { userAgent: `${IOS} Barcelona 289.0 Instagram 334.0` })).toMatchObject({ network: 'threads' });
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
    const r = classify(`/?utm_source=${long}&utm_medium=${long}&utm_campaign=${long}`, `https://${'b'.repeat(60)}.${'c'.repeat(60)}.org/`);
    expect([r.source, r.medium, r.campaign, r.referrerHost]).toEqual(['a'.repeat(100), 'a'.repeat(100), 'a'.repeat(100), `${'b'.repeat(60)}.${'c'.repeat(39)}`]);
  });
});
