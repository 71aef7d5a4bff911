/**
 * User agents: browser, OS, device class and bot flag, parsed by ua-parser-js and isbot. A site's
 * visitors share few user-agent strings, so parses are cached: ingest parses each string once.
 */
import { UAParser } from 'ua-parser-js';
import { isbot } from 'isbot';
import { MOBILE_VIEWPORT_BELOW, type DeviceClass } from '../lib/device.ts';
import { inAppNetwork } from './acquisition/in-app.ts';

export type UaDevice = 'mobile' | 'tablet' | 'desktop';

export interface UserAgentInfo {
  /** browser name as ua-parser-js spells it (`Chrome`, `Mobile Safari`, `Instagram`), '' when unknown */
  readonly browser: string;
  /** OS name (`Windows`, `iOS`, `Android`), '' when unknown */
  readonly os: string;
  readonly device: UaDevice;
  readonly isBot: boolean;
}

export const UA_CACHE_MAX = 1000;
/** ua-parser-js reads no further either; longer strings are padding or attacks. */
const MAX_UA_LENGTH = 500;

const cache = new Map<string, UserAgentInfo>();

/** A page loaded by a browser engine: what an app's webview sends, and what a crawler copies. */
const WEBVIEW = /^Mozilla\/5\.0 \([^)]*\) AppleWebKit\//;
/** Crawlers that borrow a webview's user agent and an app's name: AppleNewsBot (`Facebot Twitterbot/1.0`), link previews. */
const CRAWLER_WORD = /bot\b|crawl|spider|preview|externalhit/i;
/** Apple News opens links in its own webview, which isbot takes for Apple's crawler (`eNews`). */
const APPLE_NEWS = /AppleNews\//;

/**
 * DEFINITIONS (in-app browsers): a real in-app browser is never a bot. isbot flags some: WeChat's
 * `Process/tools`, Apple News, WhatsApp's marker (also its link-preview fetcher's name).
 */
function isInAppWebview(ua: string): boolean {
  return WEBVIEW.test(ua) && !CRAWLER_WORD.test(ua) && (inAppNetwork(ua) !== null || APPLE_NEWS.test(ua));
}

/**
 * Parses a user agent. Results are shared and frozen. The cache keeps the {@link UA_CACHE_MAX} most
 * recently added strings: evicting in insertion order keeps a hit free of writes, and a popular
 * string that falls out is parsed again once.
 *
 * `isBot` is isbot's verdict, except for a real in-app browser's webview, and true for an empty user
 * agent: every browser sends one.
 *
 * @example
 * parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) … Mobile/15E148 Safari/604.1')
 * // → { browser: 'Mobile Safari', os: 'iOS', device: 'mobile', isBot: false }
 */
export function parseUserAgent(ua: string): UserAgentInfo {
  const key = ua.length > MAX_UA_LENGTH ? ua.slice(0, MAX_UA_LENGTH) : ua;
  const hit = cache.get(key);
  if (hit) return hit;
  const info = parse(key);
  if (cache.size >= UA_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, info);
  return info;
}

function parse(ua: string): UserAgentInfo {
  // Asking for the three parts only skips the CPU and engine rules: a third less time than UAParser(ua).
  const parser = new UAParser(ua);
  const type = parser.getDevice().type;
  return Object.freeze({
    browser: parser.getBrowser().name ?? '',
    os: parser.getOS().name ?? '',
    // Watches browse like phones; TVs, consoles and unknown devices like desktops.
    device: type === 'mobile' || type === 'wearable' ? 'mobile' : type === 'tablet' ? 'tablet' : 'desktop',
    isBot: ua.trim() === '' || (isbot(ua) && !isInAppWebview(ua)),
  });
}

/**
 * The device class reports split by (DEFINITIONS: page loads): mobile when the viewport is
 * narrower than 768 px, else desktop. Without a viewport width (not sent, or 0 from a hidden
 * prerender) the user agent decides; a tablet counts as desktop, as its viewport (768 px and up on most) would.
 */
export function deviceClass(viewportWidth: number | undefined, uaDevice: UaDevice): DeviceClass {
  if (viewportWidth !== undefined && viewportWidth > 0 && Number.isFinite(viewportWidth)) {
    return viewportWidth < MOBILE_VIEWPORT_BELOW ? 'mobile' : 'desktop';
  }
  return uaDevice === 'mobile' ? 'mobile' : 'desktop';
}
