/**
 * The synthetic site and its visitors: a small shop with a blog, pricing / signup pages, a FAQ
 * and a contact page (~40 page groups), visited from search, SNS (X, Facebook, Instagram, LINE,
 * YouTube, TikTok, Hatena, note — in-app browsers included), email, UTM campaigns, referrals and
 * direct. Each session is generated from its own seed, so the same plan produces the same events
 * twice: once to count them (planning), once to write them.
 *
 * Events look like what the SDK sends (sdk/src/signals) after the collector's enrichment
 * (enrich/index.ts): page path folded by `pagePath`, every event carrying its page's URL and
 * `document.title`, only page views carrying a referrer.
 */
import type { EventType } from '@kizuna/protocol';
import { parseUserAgent } from '../enrich/user-agent.ts';
import { pagePath } from '../lib/page-path.ts';
import { Rng, Weighted, weighted } from './random.ts';

export const GOALS = ['Signup', 'Purchase', '/thank-you'];
export const TIMEZONE = 'Asia/Tokyo';

const MIN = 60_000;

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

const BLOG = ['how-to-measure-sns', 'line-marketing-tips', 'faq-best-practices', 'web-vitals-guide', 'instagram-campaigns', 'case-study-retail'];
const FAQ_ARTICLES: Record<string, [id: string, title: string, helpful: number][]> = {
  returns: [['returns-policy', '返品ポリシー', 0.8], ['returns-how-to', 'How to return an item', 0.75], ['refund-timing', '返金はいつ？', 0.55], ['exchange-size', 'Exchange for another size', 0.7]],
  shipping: [['shipping-fees', '送料について', 0.85], ['shipping-time', 'Delivery times', 0.6], ['international-shipping', 'International shipping', 0.5], ['tracking-order', '配送状況の確認', 0.8]],
  payment: [['payment-methods', 'お支払い方法', 0.85], ['convenience-store-payment', 'コンビニ払い', 0.75], ['invoice-receipt', '領収書の発行', 0.7], ['coupon-not-working', 'Coupon not working', 0.3]],
  account: [['reset-password', 'パスワードの再設定', 0.7], ['change-email', 'Change your email', 0.8], ['delete-account', '退会方法', 0.45], ['points-program', 'ポイントプログラム', 0.65]],
};
const ALL_ARTICLES = Object.values(FAQ_ARTICLES).flat();
const SEARCHES = new Weighted<[string, number]>([
  // query, chance of zero results
  [['返品', 0], 6], [['送料', 0], 6], [['returns', 0], 4], [['shipping time', 0.05], 3], [['cancel order', 0.1], 3],
  [['パスワード', 0], 3], [['invoice', 0.1], 2], [['クーポン', 0.2], 3], [['gift wrap', 0.9], 2], [['international shipping', 0.1], 2],
  [['size guide', 0.6], 2], [['支払い方法', 0], 3], [['refund', 0], 3], [['track order', 0.05], 2], [['ポイント', 0.5], 2],
  [['exchange', 0.1], 1.5], [['account delete', 0.7], 1], [['promo code not working', 0.8], 1], [['コンビニ払い', 0], 2],
  [['subscription pause', 1], 1], [['Returns ', 0], 1], [['ラッピング', 1], 1], [['领收书', 1], 0.3],
]);

interface PageDef {
  path: string;
  title: string;
  next: Weighted<string>;
  /** LCP multiplier */
  slow: number;
  long: boolean;
  /** client-side route (no document load: no timing, no vitals) */
  spa: boolean;
  notFound: boolean;
  faqTopic?: string;
}

const page = (
  path: string,
  title: string,
  next: Record<string, number>,
  opts: Partial<Omit<PageDef, 'path' | 'title' | 'next'>> = {},
): PageDef => ({ path, title, next: weighted(next), slow: 1, long: false, spa: false, notFound: false, ...opts });

const blogNext = (self: string) => ({
  ...Object.fromEntries(BLOG.filter((b) => b !== self).map((b) => [`/blog/${b}`, 0.4])),
  '/blog': 1, '/': 1, '/pricing': 0.8, '/signup': 0.5, '/product/:id': 0.6,
});
const faqNext = (topic: string) => ({
  ...Object.fromEntries(Object.keys(FAQ_ARTICLES).filter((t) => t !== topic).map((t) => [`/faq/${t}`, 0.35])),
  '/faq': 1.5, '/contact': 0.55, '/support/chat': 0.2, '/account': 0.3, '/product/:id': 0.5, '/faq/search': 0.4,
});

const PAGE_LIST: PageDef[] = [
  page('/', 'Bench Store — 暮らしの道具', { '/products': 3, '/product/:id': 4, '/pricing': 2.5, '/features': 2, '/blog': 1.5, '/faq': 1.5, '/signup': 1, '/login': 1.2, '/about': 0.5, '/campaign/spring-sale': 1, '/category/apparel': 1.5, '/category/home': 1.5, '/category/beauty': 1, '/news/:id': 0.5 }, { slow: 1.2 }),
  page('/products', 'All products | Bench Store', { '/product/:id': 8, '/category/apparel': 1, '/category/home': 1, '/category/beauty': 1, '/cart': 0.5, '/': 0.5 }, { slow: 1.3, long: true, spa: true }),
  ...['apparel', 'home', 'beauty'].map((c) => page(`/category/${c}`, `${c[0]!.toUpperCase()}${c.slice(1)} | Bench Store`, { '/product/:id': 8, '/products': 1, '/': 0.3 }, { slow: 1.3, long: true, spa: true })),
  page('/product/:id', '商品詳細 | Bench Store', { '/product/:id': 4, '/cart': 2.5, '/products': 1, '/faq/shipping': 0.6, '/faq/returns': 0.4, '/': 0.5, '/category/home': 0.5 }, { slow: 1.5, spa: true }),
  page('/cart', 'Cart | Bench Store', { '/checkout': 5, '/product/:id': 2, '/faq/payment': 0.5, '/': 0.3 }, { spa: true }),
  page('/checkout', 'Checkout | Bench Store', { '/thank-you': 5, '/cart': 1.5, '/faq/payment': 0.8, '/contact': 0.3 }, { slow: 1.1 }),
  page('/thank-you', 'Thank you! | Bench Store', { '/': 1, '/account': 1, '/product/:id': 0.5 }),
  page('/pricing', '料金プラン | Bench', { '/signup': 3.5, '/features': 1.5, '/compare': 1, '/faq': 0.8, '/contact': 0.5, '/': 0.5, '/docs/getting-started': 0.3 }, { long: true }),
  page('/features', 'Features | Bench', { '/features/analytics': 2, '/features/integrations': 1.5, '/features/security': 1, '/pricing': 2.5, '/signup': 1 }, { long: true }),
  ...['analytics', 'integrations', 'security'].map((f) => page(`/features/${f}`, `${f} | Bench features`, { '/pricing': 2, '/features': 1, '/signup': 1, '/docs/getting-started': 0.5 })),
  page('/compare', 'Bench vs. others', { '/pricing': 2, '/signup': 1.5, '/': 0.3 }, { long: true }),
  page('/signup', '無料で始める | Bench', { '/thank-you': 2, '/pricing': 0.7, '/login': 0.3, '/legal/terms': 0.3, '/legal/privacy': 0.2 }),
  page('/login', 'Log in | Bench', { '/account': 5, '/faq/account': 0.6, '/signup': 0.3 }),
  page('/account', 'マイページ | Bench', { '/account/orders/:id': 2, '/account/settings': 1, '/': 1, '/products': 1 }, { spa: true }),
  page('/account/orders/:id', 'Order details | Bench', { '/account': 1, '/faq/returns': 1, '/faq/shipping': 0.8, '/contact': 0.4 }, { spa: true }),
  page('/account/settings', 'Settings | Bench', { '/account': 1, '/faq/account': 0.4 }, { spa: true }),
  page('/blog', 'Blog | Bench', Object.fromEntries([...BLOG.map((b) => [`/blog/${b}`, 1]), ['/', 0.5]])),
  ...BLOG.map((b) => page(`/blog/${b}`, `${b.replaceAll('-', ' ')} | Bench blog`, blogNext(b), { long: true, slow: 1.2 })),
  page('/faq', 'よくある質問 | Bench', { '/faq/returns': 2, '/faq/shipping': 2, '/faq/payment': 1.5, '/faq/account': 1, '/faq/search': 1.5, '/contact': 0.8, '/': 0.3 }, { faqTopic: '' }),
  ...Object.keys(FAQ_ARTICLES).map((t) => page(`/faq/${t}`, `FAQ: ${t} | Bench`, faqNext(t), { faqTopic: t, long: true })),
  page('/faq/search', '検索結果 | FAQ', { '/faq/returns': 1, '/faq/shipping': 1, '/faq/payment': 0.7, '/faq/account': 0.5, '/faq': 1, '/contact': 0.8 }, { faqTopic: '' }),
  page('/contact', 'お問い合わせ | Bench', { '/': 1, '/faq': 0.5 }),
  page('/support/chat', 'Chat with us | Bench', { '/': 1 }),
  page('/about', 'About us | Bench', { '/careers': 1, '/': 1, '/news/:id': 0.5, '/contact': 0.3 }),
  page('/careers', 'Careers | Bench', { '/about': 1, '/': 0.5 }),
  page('/news/:id', 'News | Bench', { '/news/:id': 1, '/': 1 }),
  page('/campaign/spring-sale', 'Spring sale — 最大50%OFF', { '/product/:id': 5, '/category/apparel': 1, '/signup': 1 }, { slow: 1.6, long: true }),
  page('/docs/getting-started', 'Getting started | Bench docs', { '/docs/api': 2, '/pricing': 1, '/signup': 1 }, { long: true, spa: true }),
  page('/docs/api', 'API reference | Bench docs', { '/docs/getting-started': 1, '/': 0.3 }, { long: true, spa: true }),
  page('/legal/privacy', 'Privacy policy', { '/signup': 1, '/': 1 }, { long: true }),
  page('/legal/terms', 'Terms of service', { '/signup': 1, '/': 1 }, { long: true }),
  // stale links that answer 404
  ...['/sale-2023', '/blog/old-announcement', '/promo/summer'].map((p) => page(p, 'Page not found | Bench', { '/': 3, '/products': 1, '/faq': 0.3 }, { notFound: true })),
];
const PAGES = new Map(PAGE_LIST.map((p) => [p.path, p]));
const NOT_FOUND = PAGE_LIST.filter((p) => p.notFound).map((p) => p.path);

/** A concrete page: its URL, folded path and title. */
export interface Page {
  def: PageDef;
  url: string;
  path: string;
  title: string;
}

const pathCache = new Map<string, string>();
function concrete(rng: Rng, origin: string, template: string, query = ''): Page {
  const def = PAGES.get(template) ?? PAGES.get('/')!;
  let pathname = template;
  if (template === '/product/:id') pathname = `/product/${1000 + rng.zipf(1500, 1.05)}`;
  else if (template === '/account/orders/:id') pathname = `/account/orders/${rng.range(100000, 999999)}`;
  else if (template === '/news/:id') pathname = `/news/${1 + rng.zipf(120, 1.2)}`;
  const url = origin + pathname + query;
  let path = pathCache.get(pathname);
  if (path === undefined) {
    path = pagePath(origin + pathname);
    if (pathCache.size < 100_000) pathCache.set(pathname, path);
  }
  return { def, url, path, title: def.title };
}

// ---------------------------------------------------------------------------------------------
// Visitors: device, browser, country
// ---------------------------------------------------------------------------------------------

type Platform = 'ios' | 'android' | 'win' | 'mac' | 'ipad';
const UA: Record<Platform, [string, number][]> = {
  ios: [
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 6],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', 5],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1', 1.5],
  ],
  android: [
    ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36', 6],
    ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36', 1],
  ],
  win: [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 6],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0', 3],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0', 1],
  ],
  mac: [
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 3],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 4],
  ],
  ipad: [['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 1]],
};
const IOS_BASE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const ANDROID_BASE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240605.024; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.71 Mobile Safari/537.36';
/** In-app browsers (DEFINITIONS: in-app browsers), per network and mobile platform. */
const IN_APP: Record<string, { ios: string; android: string; share: number }> = {
  instagram: { ios: `${IOS_BASE} Instagram 337.0.3.23.54 (iPhone15,2; iOS 17_5; ja_JP; ja; scale=3.00; 1179x2556; 614186212)`, android: `${ANDROID_BASE} Instagram 337.0.0.35.102 Android (34/14; 420dpi; 1080x2400; Google/google; Pixel 8; shiba; shiba; ja_JP; 614187410)`, share: 0.75 },
  facebook: { ios: `${IOS_BASE} [FBAN/FBIOS;FBAV/470.0.0.38.108;FBBV/622545217;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/ja_JP;FBOP/5]`, android: `${ANDROID_BASE} [FB_IAB/FB4A;FBAV/470.0.0.44.109;]`, share: 0.6 },
  line: { ios: `${IOS_BASE} Safari Line/14.9.0`, android: `${ANDROID_BASE} Line/14.9.1/IAB`, share: 0.8 },
  x: { ios: `${IOS_BASE} Twitter for iPhone/10.50`, android: `${ANDROID_BASE} Twitter for Android/10.50`, share: 0.3 },
  tiktok: { ios: `${IOS_BASE} musical_ly_34.6.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/ja Region/JP`, android: `${ANDROID_BASE} musical_ly_2023406030 BytedanceWebview/d8a21c6`, share: 0.85 },
};

export interface Client {
  browser: string;
  os: string;
}
const clients = new Map<string, Client>();
/** browser and OS as the collector's user-agent parser names them (cached: few distinct strings) */
export function clientOf(ua: string): Client {
  let c = clients.get(ua);
  if (!c) {
    const info = parseUserAgent(ua);
    if (info.isBot) throw new Error(`bench user agent taken for a bot: ${ua}`);
    clients.set(ua, (c = { browser: info.browser, os: info.os }));
  }
  return c;
}

export interface Visitor {
  id: string;
  platform: Platform;
  mobile: boolean;
  ua: string;
  vw: number;
  vh: number;
  country: string | null;
  lang: string;
  tz: string;
  /** the customer id this visitor identifies as, when it logs in or signs up */
  customerId?: string;
}

const PLATFORMS = weighted<Platform>({ ios: 40, android: 20, win: 22, mac: 14, ipad: 4 });
const COUNTRIES = new Weighted<[string | null, string, string]>([
  [['JP', 'ja', 'Asia/Tokyo'], 80], [['US', 'en-US', 'America/Los_Angeles'], 6], [['KR', 'ko-KR', 'Asia/Seoul'], 3],
  [['TW', 'zh-TW', 'Asia/Taipei'], 3], [['GB', 'en-GB', 'Europe/London'], 1.5], [['DE', 'de-DE', 'Europe/Berlin'], 1],
  [['SG', 'en-SG', 'Asia/Singapore'], 1], [['AU', 'en-AU', 'Australia/Sydney'], 1], [['FR', 'fr-FR', 'Europe/Paris'], 0.7],
  [[null, 'ja', 'Asia/Tokyo'], 1],
]);
const MOBILE_VIEWPORTS: [number, number][] = [[390, 844], [393, 852], [375, 667], [414, 896], [360, 800], [412, 915], [430, 932]];
const DESKTOP_VIEWPORTS: [number, number][] = [[1920, 947], [1440, 789], [1536, 730], [1366, 657], [2560, 1305], [1280, 632], [1680, 932]];

export function makeVisitor(rng: Rng, id: string, customerId: string | undefined): Visitor {
  const platform = PLATFORMS.pick(rng);
  const mobile = platform === 'ios' || platform === 'android';
  const ua = new Weighted(UA[platform]).pick(rng);
  const [vw, vh] = platform === 'ipad' ? [820, 1106] : rng.pick(mobile ? MOBILE_VIEWPORTS : DESKTOP_VIEWPORTS);
  const [country, lang, tz] = COUNTRIES.pick(rng);
  return { id, platform, mobile, ua, vw, vh, country, lang, tz, customerId };
}

// ---------------------------------------------------------------------------------------------
// Acquisition: where a session lands from
// ---------------------------------------------------------------------------------------------

interface Landing {
  query: string;
  referrer: string | null;
  /** the in-app browser's network, when the session runs in one */
  inApp?: string;
  pages: Weighted<string>;
}

const blogs = (w: number) => Object.fromEntries(BLOG.map((b) => [`/blog/${b}`, w / BLOG.length]));
const faqs = (w: number) => Object.fromEntries(Object.keys(FAQ_ARTICLES).map((t) => [`/faq/${t}`, w / 4]));
const LAND = {
  search: weighted({ '/': 2, '/product/:id': 3, '/faq': 0.6, ...faqs(2.5), ...blogs(2.5), '/pricing': 1, '/features/analytics': 0.5, '/features/integrations': 0.5, '/compare': 0.4, '/docs/getting-started': 0.3, '/sale-2023': 0.2, '/blog/old-announcement': 0.1 }),
  social: weighted({ ...blogs(3), '/campaign/spring-sale': 2, '/product/:id': 3, '/': 1, '/promo/summer': 0.1 }),
  paidSocial: weighted({ '/campaign/spring-sale': 5, '/product/:id': 2 }),
  email: weighted({ '/campaign/spring-sale': 2, '/product/:id': 2, ...blogs(1), '/': 1 }),
  direct: weighted({ '/': 5, '/account': 1.5, '/login': 1.5, '/product/:id': 1, '/faq': 0.5, '/pricing': 0.5, '/sale-2023': 0.1 }),
  referral: weighted({ ...blogs(2), '/': 2, '/features/integrations': 1, '/pricing': 1, '/docs/api': 0.4 }),
  paidSearch: weighted({ '/': 2, '/pricing': 2, '/product/:id': 2 }),
  campaign: weighted({ '/campaign/spring-sale': 3, '/': 1 }),
};
const SOURCES_NEW = weighted({ direct: 22, search: 30, paidSearch: 4, x: 5, instagram: 4.5, line: 4, facebook: 2.5, youtube: 1.5, tiktok: 1.2, hatena: 1, note: 1, paidSocial: 4, email: 5, referral: 6, campaign: 3 });
const SOURCES_RETURNING = weighted({ direct: 42, search: 22, paidSearch: 2, x: 3, instagram: 3, line: 4, facebook: 1.5, youtube: 1, tiktok: 0.8, hatena: 0.5, note: 0.5, paidSocial: 2, email: 12, referral: 3, campaign: 2 });
const SOCIAL_REFERRERS: Record<string, string[]> = {
  x: ['https://t.co/', 'https://t.co/', 'https://x.com/', 'https://twitter.com/'],
  instagram: ['https://l.instagram.com/', 'https://www.instagram.com/'],
  line: ['https://line.me/', 'https://liff.line.me/'],
  facebook: ['https://l.facebook.com/', 'https://m.facebook.com/', 'https://lm.facebook.com/', 'https://www.facebook.com/'],
  youtube: ['https://www.youtube.com/', 'https://m.youtube.com/'],
  tiktok: ['https://www.tiktok.com/'],
  hatena: ['https://b.hatena.ne.jp/'],
  note: ['https://note.com/'],
};
const SEARCH_REFERRERS = weighted({ 'https://www.google.com/': 60, 'https://www.google.co.jp/': 12, 'https://search.yahoo.co.jp/': 12, 'https://www.bing.com/': 6, 'https://duckduckgo.com/': 2, 'android-app://com.google.android.googlequicksearchbox/': 3, 'https://www.ecosia.org/': 0.5, 'https://search.naver.com/': 0.5 });
const REFERRALS = weighted({ 'https://qiita.com/': 3, 'https://zenn.dev/': 3, 'https://prtimes.jp/': 2, 'https://news.livedoor.com/': 1, 'https://partner-blog.example/': 2, 'https://www.reddit.com/': 0.5, 'https://github.com/': 1, 'https://bsky.app/': 0.3, 'https://www.threads.net/': 0.4, 'https://mastodon.social/': 0.2 });
const PAID_SOCIAL = [
  ['instagram', 'paid_social', 'spring_sale'], ['facebook', 'cpc', 'spring_sale'], ['line', 'cpc', 'line_ads_spring'],
  ['x', 'cpc', 'launch_promo'], ['tiktok', 'paid', 'creator_collab'], ['youtube', 'cpv', 'demo_video'],
] as const;
const CAMPAIGNS = [['partner_site', 'affiliate', 'a8_spring'], ['qr', 'print', 'store_flyer'], ['podcast', 'audio', 'podcast_jp'], ['ProductHunt', 'launch', 'ph_launch']] as const;

const utm = (source: string, medium: string, campaign: string) =>
  `?utm_source=${encodeURIComponent(source)}&utm_medium=${encodeURIComponent(medium)}&utm_campaign=${encodeURIComponent(campaign)}`;
const clickId = (rng: Rng) => Array.from({ length: 22 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'[rng.int(64)]).join('');

function landing(rng: Rng, returning: boolean, start: number, mobile: boolean): Landing {
  const kind = (returning ? SOURCES_RETURNING : SOURCES_NEW).pick(rng);
  // the newsletter goes out on Tuesdays: more email landings that day, with that issue's campaign
  const jst = new Date(start + 9 * 3600_000);
  const tuesday = jst.getUTCDay() === 2;
  if (kind === 'email' || (tuesday && rng.chance(0.06))) {
    const issue = new Date(jst.getTime() - ((jst.getUTCDay() + 5) % 7) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    if (rng.chance(0.85)) return { query: utm('newsletter', 'email', `weekly_${issue}`), referrer: null, pages: LAND.email };
    return { query: '', referrer: rng.pick(['https://mail.google.com/', 'https://outlook.live.com/']), pages: LAND.email };
  }
  switch (kind) {
    case 'direct':
      return { query: '', referrer: null, pages: LAND.direct };
    case 'search':
      return { query: '', referrer: rng.chance(0.05) ? null : SEARCH_REFERRERS.pick(rng), pages: LAND.search };
    case 'paidSearch':
      return rng.chance(0.6)
        ? { query: `?gclid=${clickId(rng)}`, referrer: 'https://www.google.com/', pages: LAND.paidSearch }
        : { query: `${utm('google', 'cpc', rng.pick(['brand_jp', 'generic_jp', 'competitor']))}&gclid=${clickId(rng)}`, referrer: 'https://www.google.com/', pages: LAND.paidSearch };
    case 'paidSocial': {
      const [source, medium, campaign] = rng.pick(PAID_SOCIAL);
      const fbclid = source === 'facebook' || source === 'instagram' ? `&fbclid=${clickId(rng)}` : '';
      const app = IN_APP[source];
      const inApp = mobile && app && rng.chance(app.share) ? source : undefined;
      return { query: utm(source, medium, campaign) + fbclid, referrer: inApp ? null : rng.pick(SOCIAL_REFERRERS[source]!), inApp, pages: LAND.paidSocial };
    }
    case 'referral':
      return { query: '', referrer: REFERRALS.pick(rng), pages: LAND.referral };
    case 'campaign': {
      const [source, medium, campaign] = rng.pick(CAMPAIGNS);
      return { query: utm(source, medium, campaign), referrer: null, pages: LAND.campaign };
    }
    default: {
      // organic social: a referrer from the network, or none inside its in-app browser
      const app = IN_APP[kind];
      const inApp = mobile && app && rng.chance(app.share) ? kind : undefined;
      const referrer = inApp && rng.chance(0.7) ? null : rng.pick(SOCIAL_REFERRERS[kind]!);
      const query = kind === 'facebook' || (kind === 'instagram' && rng.chance(0.5)) ? `?fbclid=${clickId(rng)}` : kind === 'x' && rng.chance(0.2) ? utm('twitter', 'social', 'launch_thread') : '';
      return { query, referrer, inApp, pages: LAND.social };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

/** Called for each event, in time order. */
export type Emit = (type: EventType, ts: number, page: Page, referrer: string | null, data: Record<string, unknown>) => void;

export interface SessionInfo {
  /** the user agent of the session (an in-app browser's, when it runs in one) */
  ua: string;
  identified: boolean;
}

const RATING: Record<string, [number, number]> = { LCP: [2500, 4000], INP: [200, 500], CLS: [0.1, 0.25], FCP: [1800, 3000], TTFB: [800, 1800] };
const rating = (name: string, v: number) => {
  const [good, poor] = RATING[name]!;
  return v <= good ? 'good' : v <= poor ? 'needs-improvement' : 'poor';
};
const vital = (name: string, value: number) => {
  const v = name === 'CLS' ? Math.round(value * 10_000) / 10_000 : Math.round(value * 10) / 10;
  return { name, value: v, rating: rating(name, v) };
};

const RAGE = ['div.gallery>img.thumb', 'button#apply-coupon.btn', 'main>div.size-picker>span.size', 'button#pay.btn-primary', 'div.carousel>button.next-slide'];
const DEAD = ['div.card>span.badge', 'main>section.hero>img.hero-image', 'div.price-table>div.plan>h3', 'li.step>span.label', 'div.product-info>span.stock', 'footer>div.sns>img.icon'];
/** A button on the product page that looks like one and does nothing: the friction a demo should show. */
export const FAKE_BUTTON = 'main>div.product-info>button.size-chart';
const NPS = new Weighted<number>([[0, 2], [1, 1], [2, 1], [3, 2], [4, 2], [5, 4], [6, 5], [7, 10], [8, 18], [9, 25], [10, 30]]);
/** What a promoter (9–10), a passive (7–8) and a detractor (0–6) write, in Japanese and English. */
const NPS_COMMENTS = {
  promoter: ['使いやすいです', '配送が早くて助かりました', 'ギフトにも喜ばれました', 'Great quality, arrived in two days', 'Love the monthly selection'],
  passive: ['まあまあです', '送料がもう少し安ければ', 'Good, but the site is a bit slow on my phone', 'OK'],
  detractor: ['Checkout was confusing', 'サイズ表のボタンが反応しない', 'クーポンが使えませんでした', 'The coupon code did not work', '届くまで2週間かかった'],
};
const SHARE_NETWORKS = weighted({ x: 35, line: 25, facebook: 12, hatena: 15, native: 10, linkedin: 2, threads: 1 });
const CUSTOM_BY_PAGE: Record<string, [name: string, p: number, props: (rng: Rng) => Record<string, string | number | boolean>][]> = {
  '/': [['CTA Click', 0.07, () => ({ position: 'hero' })]],
  '/product/:id': [['AddToCart', 0.16, (rng) => ({ price: rng.pick([1980, 2980, 3980, 5500, 9800, 12800]), qty: rng.chance(0.85) ? 1 : 2 })], ['Wishlist', 0.03, () => ({})]],
  '/features': [['VideoPlay', 0.12, () => ({ video: 'product-demo' })]],
  '/features/analytics': [['Download', 0.04, () => ({ file: 'whitepaper.pdf' })]],
  '/features/integrations': [['Download', 0.03, () => ({ file: 'integrations.pdf' })]],
  '/pricing': [['PlanToggle', 0.2, (rng) => ({ billing: rng.chance(0.6) ? 'yearly' : 'monthly' })]],
  '/docs/getting-started': [['CopyCode', 0.15, () => ({ lang: 'html' })]],
  '/campaign/spring-sale': [['CouponCopy', 0.08, () => ({ code: 'SPRING50' })]],
};

export interface SessionInput {
  origin: string;
  visitor: Visitor;
  start: number;
  /** the visitor's sessions before this one */
  ordinal: number;
}

/**
 * One session's events, in time order, through `emit`. Deterministic for a given rng state.
 * Page views are 1–15; each full page load sends timing and Web Vitals, each page a pageleave.
 */
export function generateSession(rng: Rng, input: SessionInput, emit: Emit): SessionInfo {
  const { origin, visitor } = input;
  const land = landing(rng, input.ordinal > 0, input.start, visitor.mobile);
  const inApp = land.inApp ? IN_APP[land.inApp] : undefined;
  const ua = inApp ? (visitor.platform === 'android' ? inApp.android : visitor.platform === 'ios' ? inApp.ios : visitor.ua) : visitor.ua;
  const mobile = visitor.mobile;

  // session length: 40 % single page, else a geometric tail up to 15
  let length = 1;
  if (!rng.chance(0.4)) {
    length = 2;
    while (length < 15 && rng.chance(0.68)) length++;
  }
  const npsSession = length >= 3 && rng.chance(0.08);

  let t = input.start;
  let current = concrete(rng, origin, land.pages.pick(rng), land.query);
  let referrer: string | null = land.referrer;
  let previous: Page | undefined;
  let identified = false;
  let nav = 'load';
  const seenArticles = new Set<string>();

  for (let i = 0; i < length; i++) {
    const def = current.def;
    // a client-side route change between two pages of the same single-page app: no document load
    const soft = i > 0 && def.spa && previous?.def.spa === true;
    const start = t;
    emit('pageview', t, current, referrer, {
      lang: visitor.lang, tz: visitor.tz, vw: visitor.vw, vh: visitor.vh, nav: soft ? (nav === 'pop' ? 'pop' : 'push') : 'load',
    });
    const full = !soft;
    // how long the visitor stays: engaged time plus idle time
    const last = i === length - 1;
    let engaged = Math.round(Math.min(rng.lognormal(def.long ? 22_000 : 11_000, 1.0), 20 * MIN));
    if (last && length === 1 && rng.chance(0.45)) engaged = Math.round(rng.lognormal(3_500, 0.6)); // quick bounce
    const quickBack = i > 0 && previous && !last && rng.chance(0.03);
    if (quickBack) engaged = rng.range(300, 3_500);
    const dwell = Math.min(engaged + Math.round(rng.lognormal(quickBack ? 400 : 4_000, 0.9)), 25 * MIN);
    const end = start + dwell;
    const at = (share: number) => Math.min(end - 2, Math.max(t + 1, start + Math.round(dwell * share)));
    const step = (ts: number) => (t = Math.max(t + 1, ts));

    // page load: Navigation Timing, then the first Web Vitals when the chunk has loaded
    const ttfb = rng.lognormal(mobile ? 520 : 320, 0.55) * (def.notFound ? 0.6 : 1);
    const fcp = ttfb + rng.lognormal(mobile ? 900 : 480, 0.5);
    const lcp = fcp + rng.lognormal(mobile ? 650 : 380, 0.7) * def.slow;
    const loadMs = lcp + rng.lognormal(500, 0.6);
    if (full && dwell > loadMs + 200) {
      step(start + Math.round(loadMs) + 50);
      emit('timing', t, current, null, {
        dns: i === 0 ? Math.round(rng.lognormal(20, 1)) : 0, connect: i === 0 ? Math.round(rng.lognormal(60, 0.6)) : 0,
        ttfb: Math.round(ttfb), domInteractive: Math.round(fcp + rng.lognormal(200, 0.5)), load: Math.round(loadMs),
        status: def.notFound ? 404 : 200,
      });
    }
    const vitals = full && dwell > loadMs + 600 && rng.chance(0.93);
    if (vitals) {
      step(start + Math.round(loadMs) + 400);
      emit('vital', t, current, null, vital('TTFB', ttfb));
      step(t + 1);
      emit('vital', t, current, null, vital('FCP', fcp));
    }
    if (def.notFound) {
      step(start + 150);
      emit('friction', t, current, null, { kind: 'not_found', count: 1 });
    }

    // what happens on the page
    if (def.faqTopic !== undefined) {
      if (current.path === '/faq' || current.path === '/faq/search') {
        if (rng.chance(current.path === '/faq/search' ? 0.9 : 0.35)) {
          const [query, zero] = SEARCHES.pick(rng);
          step(at(0.25));
          emit('faq', t, current, null, { action: 'search', query, results: rng.chance(zero) ? 0 : rng.range(1, 12) });
        }
      }
      const articles = def.faqTopic ? FAQ_ARTICLES[def.faqTopic]! : ALL_ARTICLES;
      const views = def.faqTopic ? rng.range(1, 3) : rng.chance(0.5) ? 1 : 0;
      for (let k = 0; k < views; k++) {
        const [article, title, helpful] = articles[rng.zipf(articles.length, 1.2)]!;
        if (seenArticles.has(article)) continue;
        seenArticles.add(article);
        step(at(0.3 + k * 0.15));
        emit('faq', t, current, null, { action: 'view', article, title });
        if (rng.chance(0.22)) {
          step(at(0.6 + k * 0.1));
          emit('faq', t, current, null, { action: 'vote', article, helpful: rng.chance(helpful) });
        }
      }
      if (rng.chance(0.035)) {
        step(at(0.8));
        emit('support', t, current, null, { via: 'click', selector: '[data-kizuna-support="chat"]' });
      }
    }
    if (def.path === '/thank-you' && previous?.def.path === '/checkout') {
      step(start + rng.range(300, 1500));
      emit('custom', t, current, null, { name: 'Purchase', props: { value: rng.pick([2980, 4960, 7940, 12800, 23600]), items: rng.range(1, 4) } });
    }
    if (current.path === '/contact' || current.path === '/support/chat') {
      step(start + 5);
      emit('support', t, current, null, { via: 'page' });
    }
    for (const [name, p, props] of CUSTOM_BY_PAGE[def.path] ?? []) {
      if (rng.chance(p)) {
        step(at(0.5));
        const data = props(rng);
        emit('custom', t, current, null, Object.keys(data).length ? { name, props: data } : { name });
      }
    }
    const blog = def.path.startsWith('/blog/') && !def.notFound;
    // share buttons: on the blog's articles, the product pages and the sale
    if (rng.chance(blog ? 0.02 : def.path === '/product/:id' || def.path === '/campaign/spring-sale' ? 0.006 : 0)) {
      step(at(0.7));
      const network = SHARE_NETWORKS.pick(rng);
      emit('share', t, current, null, { network, url: current.url.split('?')[0] });
    }
    if (blog && rng.chance(0.015)) {
      step(at(0.9));
      emit('custom', t, current, null, { name: 'Newsletter', props: { placement: 'footer' } });
    }
    if (rng.chance(0.015)) {
      step(at(0.85));
      emit('outbound', t, current, null, { url: rng.pick(['https://partner-blog.example/review', 'https://github.com/bench/bench-sdk', 'https://www.youtube.com/watch?v=abc123']) });
    }
    // friction
    const risky = def.path === '/product/:id' || def.path === '/checkout' || def.path === '/cart' || def.path === '/campaign/spring-sale';
    if (rng.chance(risky ? 0.035 : 0.008)) {
      step(at(0.4));
      emit('friction', t, current, null, { kind: 'rage_click', selector: rng.pick(RAGE), count: rng.chance(0.7) ? rng.range(3, 5) : rng.range(6, 14) });
      // a frustrated visitor often keeps clicking
      if (rng.chance(0.35)) {
        step(at(0.45));
        emit('friction', t, current, null, { kind: 'dead_click', selector: rng.pick(DEAD), count: 1 });
      }
    }
    if (rng.chance(risky ? 0.05 : 0.025)) {
      step(at(0.35));
      emit('friction', t, current, null, { kind: 'dead_click', selector: rng.pick(DEAD), count: 1 });
    }
    // the product page's size-chart button opens nothing: clicked once (dead), then again and again (rage)
    if (def.path === '/product/:id' && rng.chance(0.06)) {
      step(at(0.3));
      emit('friction', t, current, null, { kind: 'dead_click', selector: FAKE_BUTTON, count: 1 });
      if (rng.chance(0.45)) {
        step(at(0.32));
        emit('friction', t, current, null, { kind: 'rage_click', selector: FAKE_BUTTON, count: rng.range(3, 8) });
      }
    }
    if (def.long && rng.chance(0.015)) {
      step(at(0.6));
      emit('friction', t, current, null, { kind: 'excessive_scroll', count: rng.range(4, 9) });
    }
    if ((def.path === '/checkout' || def.path === '/cart') && rng.chance(0.006)) {
      step(at(0.5));
      emit('error', t, current, null, { message: "TypeError: Cannot read properties of undefined (reading 'price')", source: `${origin}/assets/app.4f2a9c.js`, line: 1287 });
      step(t + 3);
      emit('friction', t, current, null, { kind: 'error_click', selector: 'button#pay.btn-primary', count: 1 });
    }
    if (quickBack) {
      step(end - 30);
      emit('friction', t, current, null, { kind: 'quick_back', count: 1 });
    }

    // conversions on the way out of the page
    const next = last ? undefined : quickBack ? previous!.def.path : def.next.pick(rng);
    if (def.path === '/signup' && next === '/thank-you') {
      step(at(0.9));
      emit('custom', t, current, null, { name: 'Signup', props: { plan: rng.chance(0.8) ? 'free' : 'pro' } });
      if (visitor.customerId && !identified) {
        step(t + 20);
        emit('identify', t, current, null, { customer: visitor.customerId });
        identified = true;
      }
    }
    if (def.path === '/login' && next === '/account' && visitor.customerId && !identified) {
      step(at(0.9));
      emit('identify', t, current, null, { customer: visitor.customerId, traits: { plan: rng.chance(0.7) ? 'free' : 'pro' } });
      identified = true;
    }
    if (npsSession && last) {
      step(at(0.8));
      const score = NPS.pick(rng);
      const comments = NPS_COMMENTS[score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'];
      emit('nps', t, current, null, rng.chance(0.4) ? { score, comment: rng.pick(comments) } : { score });
    }
    // leaving: the last vitals (web-vitals reports LCP, CLS and INP when the page is hidden), then pageleave
    if (vitals) {
      step(end - 4);
      emit('vital', t, current, null, vital('LCP', lcp));
      let cls = rng.next() < 0.6 ? rng.next() * 0.03 : rng.next() < 0.75 ? rng.lognormal(0.07, 0.6) : rng.lognormal(0.22, 0.6);
      if (def.path === '/product/:id' || def.path === '/campaign/spring-sale') cls *= 1.6;
      step(t + 1);
      emit('vital', t, current, null, vital('CLS', cls));
      if (rng.chance(0.55)) {
        step(t + 1);
        emit('vital', t, current, null, vital('INP', rng.lognormal(mobile ? 170 : 85, 0.65) * (def.path === '/checkout' ? 1.8 : 1)));
      }
    }
    if (engaged > 0) {
      step(end - 1);
      const scroll = def.long ? Math.min(100, Math.round(15 + rng.next() * 70 + Math.min(15, engaged / 4_000))) : rng.chance(0.7) ? 100 : rng.range(40, 99);
      emit('pageleave', t, current, null, { engaged, scroll });
    }
    step(end);
    if (!next) break;

    // the next page: a click (or a back to where the visitor came from), 0.2–1.5 s later
    step(t + rng.range(200, 1500));
    const cameFrom = previous;
    referrer = current.url;
    previous = current;
    if (quickBack && cameFrom) {
      nav = 'pop';
      current = cameFrom;
    } else {
      nav = 'load';
      current = concrete(rng, origin, rng.chance(0.01) ? rng.pick(NOT_FOUND) : next);
    }
  }
  return { ua, identified };
}
