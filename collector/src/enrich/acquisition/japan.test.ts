/** The Japanese market's common referrers and tags (issue #14: 11 of 42 were right before). */
import { describe, expect, it } from 'vitest';
import type { Channel } from './index.ts';
import { classify } from './test-helpers.ts';

const REFERRERS: Array<[referrer: string, channel: Channel, name: string | null]> = [
  ['https://search.yahoo.co.jp/search?p=kizuna', 'Organic Search', 'yahoo.co.jp'],
  ['https://www.yahoo.co.jp/', 'Organic Search', 'yahoo.co.jp'],
  ['https://www.google.co.jp/', 'Organic Search', 'google'],
  ['https://www.bing.com/', 'Organic Search', 'bing'],
  ['https://search.goo.ne.jp/web.jsp?MT=kizuna', 'Organic Search', 'goo'],
  ['https://ocnsearch.goo.ne.jp/web.jsp?MT=kizuna', 'Organic Search', 'goo'],
  ['https://cgi.search.biglobe.ne.jp/cgi-bin/search-st?q=kizuna', 'Organic Search', 'biglobe'],
  ['https://search.nifty.com/websearch/search?q=kizuna', 'Organic Search', 'nifty'],
  ['https://websearch.rakuten.co.jp/Web?qt=kizuna', 'Organic Search', 'rakuten'],
  ['https://search.smt.docomo.ne.jp/result?MT=kizuna', 'Organic Search', 'google'],
  ['https://sp-web.search.auone.jp/search?q=kizuna', 'Organic Search', 'auone'],
  ['https://www.excite.co.jp/search.gw?search=kizuna', 'Organic Search', 'excite'],
  ['https://search.brave.com/search?q=kizuna', 'Organic Search', 'brave'],
  ['https://duckduckgo.com/', 'Organic Search', 'duckduckgo'],
  ['https://ameblo.jp/kizuna/entry-1.html', 'Organic Social', 'ameba'],
  ['https://ameba.jp/', 'Organic Social', 'ameba'],
  ['https://mixi.jp/view_diary.pl', 'Organic Social', 'mixi'],
  ['https://www.nicovideo.jp/watch/sm9', 'Organic Video', 'niconico'],
  ['https://www.pixiv.net/artworks/1', 'Organic Social', 'pixiv'],
  ['https://5ch.net/', 'Organic Social', '5ch'],
  ['https://note.com/kizuna/n/n1', 'Organic Social', 'note'],
  ['https://b.hatena.ne.jp/entry/s/example.com/', 'Organic Social', 'hatena'],
  ['https://d.hatena.ne.jp/kizuna/', 'Organic Social', 'hatena'],
  ['https://www.smartnews.com/', 'Organic Social', 'smartnews'],
  ['https://gunosy.com/articles/1', 'Organic Social', 'gunosy'],
  ['https://newspicks.com/news/1', 'Organic Social', 'newspicks'],
  ['https://line.me/R/', 'Organic Social', 'line'],
  ['https://chiebukuro.yahoo.co.jp/', 'Organic Social', 'yahoo'],
  ['https://oshiete.goo.ne.jp/qa/1.html', 'Organic Social', 'goo'],
  ['https://okwave.jp/qa/q1.html', 'Organic Social', 'okwave'],
  ['https://blog.goo.ne.jp/kizuna', 'Organic Social', 'goo'],
  ['https://gree.jp/', 'Organic Social', 'gree'],
  ['https://x.com/kizuna', 'Organic Social', 'x'],
  ['https://t.co/abc', 'Organic Social', 'x'],
  ['https://www.instagram.com/', 'Organic Social', 'instagram'],
  ['https://www.threads.net/@kizuna', 'Organic Social', 'threads'],
  ['https://www.tiktok.com/@kizuna', 'Organic Social', 'tiktok'],
  ['https://www.youtube.com/watch?v=1', 'Organic Video', 'youtube'],
  ['https://shopping.yahoo.co.jp/', 'Organic Shopping', null],
  ['https://news.yahoo.co.jp/articles/1', 'Referral', null],
  ['https://mail.yahoo.co.jp/', 'Email', null],
  ['https://mail.google.com/', 'Email', null],
];

describe('Japanese referrers', () => {
  it.each(REFERRERS)('%s → %s (%s)', (referrer, channel, name) => {
    const r = classify('/', referrer);
    expect(r.channel).toBe(channel);
    if (name) expect(r.network ?? r.searchEngine).toBe(name);
  });

  it('takes the search terms Japanese engines still send (goo: MT, Rakuten: qt)', () => {
    expect(classify('/', 'https://search.goo.ne.jp/web.jsp?MT=%E7%B5%86&IE=UTF-8').searchTerm).toBe('絆');
    expect(classify('/', 'https://websearch.rakuten.co.jp/Web?qt=Kizuna+Shop').searchTerm).toBe('kizuna shop');
  });
});

describe('Japanese paid campaigns', () => {
  it.each([
    ['/?utm_source=yahoo&utm_medium=cpc&yclid=YSS.1', 'Paid Search'],
    ['/?utm_source=yahoo&utm_medium=display&yclid=YJAD.1', 'Display'],
    ['/?utm_source=line&utm_medium=cpc', 'Paid Social'],
    ['/?utm_source=line&utm_medium=display', 'Display'],
    ['/?utm_source=line&utm_medium=retargeting', 'Paid Social'],
    ['/?utm_source=smartnews&utm_medium=cpc', 'Paid Social'],
    ['/?utm_source=rakuten&utm_medium=cpc&utm_campaign=rakuten-shop', 'Paid Shopping'],
    ['/?utm_source=line&utm_medium=social', 'Organic Social'],
  ] as const)('%s → %s', (landing, channel) => {
    expect(classify(landing).channel).toBe(channel);
  });
});
