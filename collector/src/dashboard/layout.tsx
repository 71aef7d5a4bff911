/**
 * The frame of every dashboard page: `lang`, landmarks (header, nav, main), a skip link, the site
 * switcher, the language switch and the sign-out form; then the page's own content.
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { MessageKey, Lang, Translate } from './messages.ts';

export const PAGES = ['overview', 'acquisition', 'usability', 'faq', 'visitors', 'journeys', 'events', 'goals', 'nps'] as const;
export type PageName = (typeof PAGES)[number];

export const sitePath = (site: string, page: string) => `/dashboard/s/${encodeURIComponent(site)}/${page}`;

/** The current URL with another language: the switch keeps the view. */
export function withLang(url: string, lang: Lang) {
  const u = new URL(url);
  u.searchParams.set('lang', lang);
  return u.pathname + u.search;
}

export function Document(props: { lang: Lang; title: string; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={props.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>{props.title} · Kizuna</title>
          <link rel="stylesheet" href="/dashboard/static/style.css" />
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}

export interface FrameProps {
  t: Translate;
  lang: Lang;
  url: string;
  site: string;
  sites: string[];
  page: PageName;
  /** the view's query, kept by the navigation */
  query: string;
  csrf: string;
  title: string;
  children: Child;
}

export function Frame(props: FrameProps) {
  const { t } = props;
  const other: Lang = props.lang === 'ja' ? 'en' : 'ja';
  return (
    <Document lang={props.lang} title={props.title}>
      <a class="skip" href="#main">{t('skip')}</a>
      <header class="top">
        <a class="brand" href="/dashboard">{t('app.name')}</a>
        <form method="get" action="/dashboard/switch">
          <label for="site-switch">{t('site.label')}</label>
          <select id="site-switch" name="site">
            {props.sites.map((s) => (
              <option value={s} selected={s === props.site}>{s}</option>
            ))}
          </select>
          <input type="hidden" name="page" value={props.page} />
          <button type="submit" class="quiet">{t('site.switch')}</button>
        </form>
        <a href={withLang(props.url, other)} hreflang={other} lang={other}>{t('lang.switch')}</a>
        <form method="post" action="/dashboard/sign-out">
          <input type="hidden" name="csrf" value={props.csrf} />
          <button type="submit" class="quiet">{t('signOut')}</button>
        </form>
      </header>
      <nav class="pages" aria-label={t('nav.label')}>
        <ul>
          {PAGES.map((page) => (
            <li>
              <a href={`${sitePath(props.site, page)}?${props.query}`} aria-current={page === props.page ? 'page' : undefined}>
                {t(`nav.${page}` as MessageKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </Document>
  );
}

/** A page of its own (sign-in, errors): the document with a main landmark and a heading. */
export function Plain(props: { lang: Lang; title: string; children: Child }) {
  return (
    <Document lang={props.lang} title={props.title}>
      <main id="main" class="signin">
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </Document>
  );
}
