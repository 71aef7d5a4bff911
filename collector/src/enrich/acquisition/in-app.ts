/**
 * In-app browsers (DEFINITIONS, in-app browsers): the user-agent markers of social apps' webviews.
 * A landing with no referrer inside one counts as organic social from that network.
 */

/**
 * [network, marker], first match wins: an app built on another's stack carries both markers and
 * comes first (Threads on Instagram's, Instagram's Android builds carry `FB_IAB`). Case-sensitive,
 * as the apps write them: `Line/` must not match `Timeline/` or `inline/`.
 */
export const IN_APP_MARKERS: ReadonlyArray<readonly [network: string, marker: RegExp]> = [
  ['threads', /Barcelona/],
  ['instagram', /Instagram/],
  // Messenger (`FBAN/Messenger…`, `FB_IAB/Orca-Android`) counts as facebook.
  ['facebook', /FBAN|FBAV|FB_IAB|MetaIAB Facebook/],
  ['line', /Line\//],
  ['x', /Twitter/],
  ['tiktok', /musical_ly|Bytedance|trill_|AppName\/ultralite/],
  ['linkedin', /LinkedInApp/],
  ['pinterest', /\[Pinterest\//],
  ['snapchat', /Snapchat\//],
  ['wechat', /MicroMessenger/],
  ['whatsapp', /WhatsApp|WAiOS|WA4A/],
  ['kakaotalk', /KAKAOTALK/],
  ['zalo', /Zalo/],
  ['weibo', /Weibo/],
];

/** One pass that rejects the common case, a plain browser, before the ordered look. */
const ANY_MARKER = new RegExp(IN_APP_MARKERS.map(([, marker]) => marker.source).join('|'));
/** The markers sit in the first few hundred characters; longer strings are padding or attacks. */
const MAX_UA_LENGTH = 1000;

/** The network whose in-app browser the user agent is, or null. */
export function inAppNetwork(userAgent: string): string | null {
  const ua = userAgent.length > MAX_UA_LENGTH ? userAgent.slice(0, MAX_UA_LENGTH) : userAgent;
  if (!ANY_MARKER.test(ua)) return null;
  return IN_APP_MARKERS.find(([, marker]) => marker.test(ua))![0];
}
