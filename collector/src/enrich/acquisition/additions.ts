/**
 * Our additions to the public lists (DEFINITIONS, source categories): the Japanese portals and networks
 * the lists lack, Android app referrers, webmail, and the canonical names. They win over the lists
 * (see PRECEDENCE in build.ts); most Japanese search hosts are in Matomo's list already and are
 * repeated here only so that a list update cannot drop them.
 */
import type { SourceCategory } from './hosts.ts';

export interface Addition {
  host: string;
  category: SourceCategory;
  /** canonical name; when left out, the lists' name for the host (or its derived one) stands */
  name?: string;
  /** search-term parameters, for an engine the lists lack */
  params?: string[];
}

const search = (host: string, name?: string, params?: string[]): Addition => ({ host, category: 'search', name, params });
const social = (host: string, name?: string): Addition => ({ host, category: 'social', name });

export const ADDITIONS: readonly Addition[] = [
  // Search (DEFINITIONS' Japanese additions). GA4 lists the portal's top page too: named as the engine.
  search('yahoo.co.jp', 'yahoo.co.jp'),
  search('search.yahoo.co.jp'),
  search('search.goo.ne.jp'),
  search('ocnsearch.goo.ne.jp'),
  search('cgi.search.biglobe.ne.jp'),
  search('search.nifty.com'),
  search('websearch.rakuten.co.jp'),
  search('search.smt.docomo.ne.jp'),
  search('sp-web.search.auone.jp'),
  search('www.excite.co.jp', 'excite', ['search', 'q']),
  search('search.brave.com'),

  // Social (DEFINITIONS' Japanese additions and the networks since GA4's 2022 list).
  social('ameblo.jp', 'ameba'),
  social('ameba.jp', 'ameba'),
  social('mixi.jp'),
  { host: 'nicovideo.jp', category: 'video' },
  social('pixiv.net'),
  social('5ch.net'),
  social('note.com'),
  social('b.hatena.ne.jp', 'hatena'),
  social('d.hatena.ne.jp', 'hatena'),
  social('smartnews.com'),
  social('gunosy.com'),
  social('newspicks.com'),
  social('line.me', 'line'),
  social('threads.net'),
  social('threads.com'),
  social('bsky.app'),
  social('t.me', 'telegram'),

  // Android apps send `android-app://<package>/`: the package is the host.
  social('com.instagram.android', 'instagram'),
  social('com.instagram.barcelona', 'threads'),
  social('com.facebook.katana', 'facebook'),
  social('com.facebook.orca', 'facebook'),
  social('com.twitter.android', 'x'),
  social('jp.naver.line.android', 'line'),
  social('com.zhiliaoapp.musically', 'tiktok'),
  social('com.ss.android.ugc.trill', 'tiktok'),
  social('com.linkedin.android', 'linkedin'),
  social('com.pinterest', 'pinterest'),
  social('com.tencent.mm', 'wechat'),
  social('com.whatsapp', 'whatsapp'),
  social('com.kakao.talk', 'kakaotalk'),
  { host: 'com.google.android.youtube', category: 'video', name: 'youtube' },

  // Webmail: a newsletter link clicked without UTM tags still counts as email. Any `mail.*` host is
  // email by rule (hosts.ts); these are the webmail hosts that do not start with `mail.`.
  { host: 'mail.google.com', category: 'email', name: 'gmail' },
  { host: 'com.google.android.gm', category: 'email', name: 'gmail' },
  { host: 'outlook.live.com', category: 'email', name: 'outlook' },
  { host: 'outlook.office.com', category: 'email', name: 'outlook' },
  { host: 'outlook.office365.com', category: 'email', name: 'outlook' },
  { host: 'com.microsoft.office.outlook', category: 'email', name: 'outlook' },
];

/**
 * Canonical names for the lists' names and for common utm_source spellings: one name per network
 * (DEFINITIONS: X covers twitter; Messenger counts as facebook), the engine id DEFINITIONS uses for
 * Yahoo! JAPAN.
 */
export const CANONICAL_NAMES: Readonly<Record<string, string>> = {
  twitter: 'x',
  fb: 'facebook',
  messenger: 'facebook',
  ig: 'instagram',
  yt: 'youtube',
  'yahoo-japan': 'yahoo.co.jp',
  googleplus: 'google+',
  vk: 'vkontakte',
  hatebu: 'hatena',
  bsky: 'bluesky',
  kakao: 'kakaotalk',
};
