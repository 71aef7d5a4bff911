/**
 * Click ids (DEFINITIONS, click ids): the ad networks' parameters on a landing, and the source and
 * medium each implies. Used when the landing has no utm_source; with one, the UTM tags win and a
 * paid click id only supplies the medium they leave out.
 */

export interface ClickSource {
  /** the parameter, as DEFINITIONS names it */
  clickId: string;
  source: string;
  /** '' when the click id says nothing about paid: fbclid is added to organic clicks too */
  medium: string;
}

interface ClickIdRule {
  param: string;
  /** source / medium from the parameter's value and the referrer host and in-app network */
  implies(value: string, referrerHost: string, inApp: string | null, referrerNetwork: string | null): { source: string; medium: string };
}

const fixed = (source: string, medium: string) => () => ({ source, medium });

/** Yahoo! JAPAN marks every ad click with yclid too: search ads `YSS.…`, display ads `YJAD.…`; Yandex's are bare. */
function yahooJapanOrYandex(value: string, referrerHost: string) {
  if (value.startsWith('YJAD.')) return { source: 'yahoo.co.jp', medium: 'display' };
  const fromYahooJapan = referrerHost === 'yahoo.co.jp' || referrerHost.endsWith('.yahoo.co.jp');
  return fromYahooJapan || value.startsWith('YSS.') ? { source: 'yahoo.co.jp', medium: 'cpc' } : { source: 'yandex', medium: 'cpc' };
}

/** Meta adds fbclid on Instagram clicks too: the referrer or the in-app browser tells which app. */
function facebookOrInstagram(_value: string, _referrerHost: string, inApp: string | null, referrerNetwork: string | null) {
  const instagram = referrerNetwork === 'instagram' || inApp === 'instagram';
  return { source: instagram ? 'instagram' : 'facebook', medium: '' };
}

/** In DEFINITIONS' order: the first one on the landing is the click id. */
export const CLICK_ID_RULES: readonly ClickIdRule[] = [
  { param: 'gclid', implies: fixed('google', 'cpc') },
  { param: 'gbraid', implies: fixed('google', 'cpc') },
  { param: 'wbraid', implies: fixed('google', 'cpc') },
  { param: 'dclid', implies: fixed('google', 'display') },
  { param: 'msclkid', implies: fixed('bing', 'cpc') },
  { param: 'yclid', implies: yahooJapanOrYandex },
  { param: 'ttclid', implies: fixed('tiktok', 'cpc') },
  { param: 'twclid', implies: fixed('x', 'cpc') },
  { param: 'li_fat_id', implies: fixed('linkedin', 'cpc') },
  { param: 'ScCid', implies: fixed('snapchat', 'cpc') },
  { param: 'epik', implies: fixed('pinterest', 'cpc') },
  { param: 'rdt_cid', implies: fixed('reddit', 'cpc') },
  { param: 'fbclid', implies: facebookOrInstagram },
];

/** The first click id with a value on the landing, and what it implies; undefined when none. */
export function clickSource(
  params: URLSearchParams,
  referrerHost: string,
  inApp: string | null,
  referrerNetwork: string | null,
): ClickSource | undefined {
  for (const rule of CLICK_ID_RULES) {
    const value = params.get(rule.param);
    if (value) return { clickId: rule.param, ...rule.implies(value, referrerHost, inApp, referrerNetwork) };
  }
  return undefined;
}
