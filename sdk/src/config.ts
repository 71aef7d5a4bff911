/**
 * What a site configures: the script tag's `data-` attributes (CONTRACT §1), read once, or the same
 * options in camelCase for `init()` of the ESM package.
 */
export interface Options {
  /** site id registered in the collector (`data-site`) */
  site: string;
  /** collector base URL (`data-endpoint`); the script's own origin by default */
  endpoint?: string;
  /** URL patterns (`*` wildcard) of FAQ / help pages (`data-faq`) */
  faq?: string | string[];
  /** URL patterns of support-contact pages (`data-support`) */
  support?: string | string[];
  /** SPA navigation tracking (`data-spa`) */
  spa?: 'history' | 'hash' | 'off';
  /** `required`: nothing is stored or sent until `consent(true)` (`data-consent`) */
  consent?: 'granted' | 'required';
  /** `cookieless`: no browser storage at all (`data-mode`) */
  mode?: 'persistent' | 'cookieless';
  /** URL patterns never tracked (`data-exclude`) */
  exclude?: string | string[];
  /** honour Do-Not-Track and Global Privacy Control (`data-respect-dnt`) */
  respectDnt?: boolean;
  /** query parameters whose values are kept beyond the default ones (`data-keep-params`) */
  keepParams?: string | string[];
  /** days a persistent visitor id lasts from its creation (`data-visitor-days`); 395 (13 months) by default */
  visitorDays?: number | string;
  /** the CSP nonce for the scripts the SDK adds (the script tag's own `nonce`) */
  nonce?: string;
}

export interface Config {
  site: string;
  endpoint: string;
  faq: string[];
  support: string[];
  spa: 'history' | 'hash' | 'off';
  consentRequired: boolean;
  cookieless: boolean;
  exclude: string[];
  respectDnt: boolean;
  keep: string[];
  visitorDays: number;
  nonce?: string;
}

const list = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v : (v || '').split(',')).map((s) => s.trim()).filter(Boolean);

/** no RegExp as the page loads: the first one costs the load about half a millisecond (lib/url.ts) */
const withoutTrailingSlashes = (url: string): string => (url.endsWith('/') ? withoutTrailingSlashes(url.slice(0, -1)) : url);

export function toConfig(o: Options, defaultEndpoint: string): Config {
  return {
    site: o.site,
    endpoint: withoutTrailingSlashes(o.endpoint || defaultEndpoint),
    faq: list(o.faq),
    support: list(o.support),
    spa: o.spa === 'hash' || o.spa === 'off' ? o.spa : 'history',
    consentRequired: o.consent === 'required',
    cookieless: o.mode === 'cookieless',
    exclude: list(o.exclude),
    respectDnt: !!o.respectDnt,
    keep: list(o.keepParams),
    visitorDays: +o.visitorDays! || 395,
    nonce: o.nonce,
  };
}

/** The script tag's attributes as options: `data-keep-params` is `keepParams` … */
export const optionsFromScript = (script: HTMLOrSVGScriptElement): Options =>
  ({
    ...script.dataset,
    respectDnt: script.hasAttribute('data-respect-dnt'),
    // the property: browsers empty the attribute once the tag is in the document
    nonce: script.nonce,
  }) as unknown as Options;
