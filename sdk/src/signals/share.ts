/**
 * Shares (`share`) and outbound link clicks (`outbound`): one click listener for both, since every
 * share link is a link to another host.
 */
import type { Signal } from '../types';
import { onClick } from '../lib/click';

/**
 * Share links (DEFINITIONS: share), tested against `.` + host + path so that subdomains match: x.com
 * or twitter.com/intent, facebook.com/sharer, line.me/R/share or social-plugins.line.me,
 * linkedin.com/sharing, b.hatena.ne.jp/entry, pinterest.com/pin/create, reddit.com/submit,
 * bsky.app/intent, threads.net (threads.com since 2025)/intent. One pattern for all, smaller than a
 * table: a host with another network's path (reddit.com/intent) would also match, and none exists.
 * Group 1 (2 for social-plugins.line.me) is the host's name: the network's, but for {@link NAMES}.
 */
const SHARE =
  /\.(x|twitter|facebook|line|linkedin|hatena|pinterest|reddit|bsky|threads)\.(?:com|me|ne\.jp|app|net)\/(?:intent|sharer|R\/share|sharing|entry|pin\/create|submit)|\.social-plugins\.(line)\.me\//;
const NAMES: Record<string, string> = { twitter: 'x', bsky: 'bluesky' };

/** The shared URL, this page's when none is named (scrubbed with every event's URLs, tracker.ts). */
const shared = (url?: string | null) => url || document.URL;

/**
 * Share: a click on a share link of a known network, or a call of `navigator.share` (network
 * `native`); the event carries the shared URL (a share link's `url` / `u` parameter). Outbound: a
 * click on any other link to another host (DEFINITIONS: share). `navigator.share` keeps working as
 * before and returns what it returned; `stop()` restores it.
 */
export const startShare: Signal = (emit) => {
  const off = onClick((_, a) => {
    const u = new URL((a as HTMLAnchorElement).href);
    if (!/^https?:$/.test(u.protocol) || u.host == location.host) return;
    const m = SHARE.exec('.' + u.hostname + u.pathname);
    const network = m && (m[1] || m[2])!;
    const q = u.searchParams;
    if (network) emit('share', { network: NAMES[network] || network, url: shared(q.get('url') || q.get('u')) });
    else emit('outbound', { url: u.href });
  }, 'a[href]');

  const nav = navigator;
  // missing outside secure contexts and in most desktop browsers
  const original = nav.share as Navigator['share'] | undefined;
  const wrapped = function (this: Navigator, ...args: Parameters<Navigator['share']>) {
    try {
      emit('share', { network: 'native', url: shared(args[0]?.url) });
    } catch {
      /* the page's share goes on */
    }
    return original!.apply(this, args);
  };
  try {
    if (original) nav.share = wrapped;
  } catch {
    /* a read-only share (an extension's): native shares go uncounted */
  }
  return () => {
    off();
    // only if still ours: a later wrapper of our wrapper stays working
    if (nav.share == wrapped) nav.share = original!;
  };
};
