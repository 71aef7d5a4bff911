/**
 * Channels (DEFINITIONS, channels): Google's GA4 default channel group — its names, its rules and its
 * order, the first rule that matches wins — with our AI Assistants channel at #13.
 * https://support.google.com/analytics/answer/9756891
 */
import type { Channel } from '../../lib/channels.ts';
import type { SourceCategory } from './hosts.ts';

export { CHANNELS, type Channel } from '../../lib/channels.ts';

/** What the rules read, all trimmed and lower-cased. */
export interface ChannelInput {
  source: string;
  medium: string;
  campaign: string;
  /** the source category of the source (or referrer host), null when no list knows it */
  category: SourceCategory | null;
}

const PAID_MEDIUM = /^(?:.*cp.*|ppc|retargeting|paid.*)$/;
const SHOPPING_CAMPAIGN = /^.*(?:(?:[^a-df-z]|^)shop|shopping).*$/;
const DISPLAY_MEDIUMS = new Set(['display', 'banner', 'expandable', 'interstitial', 'cpm']);
const SOCIAL_MEDIUMS = new Set(['social', 'social-network', 'social-media', 'sm', 'social network', 'social media']);
const REFERRAL_MEDIUMS = new Set(['referral', 'app', 'link']);
/** GA4's pattern, and `newsletter`, which we also accept. */
const EMAIL = /email|e-mail|e_mail|e mail|newsletter/;

/** The channel of a session's source (GA4's 20 rules, in GA4's order, with AI Assistants at #13). */
export function channelOf({ source, medium, campaign, category }: ChannelInput): Channel {
  const paid = PAID_MEDIUM.test(medium);
  const shopping = category === 'shopping' || SHOPPING_CAMPAIGN.test(campaign);
  if (source === '' && medium === '') return 'Direct';
  if (campaign.includes('cross-network')) return 'Cross-network';
  if (shopping && paid) return 'Paid Shopping';
  if (category === 'search' && paid) return 'Paid Search';
  if (category === 'social' && paid) return 'Paid Social';
  if (category === 'video' && paid) return 'Paid Video';
  if (DISPLAY_MEDIUMS.has(medium)) return 'Display';
  if (paid) return 'Paid Other';
  if (shopping) return 'Organic Shopping';
  if (category === 'social' || SOCIAL_MEDIUMS.has(medium)) return 'Organic Social';
  if (category === 'video' || medium.includes('video')) return 'Organic Video';
  if (category === 'search' || medium === 'organic') return 'Organic Search';
  if (category === 'ai') return 'AI Assistants';
  if (REFERRAL_MEDIUMS.has(medium)) return 'Referral';
  if (category === 'email' || EMAIL.test(source) || EMAIL.test(medium)) return 'Email';
  if (medium === 'affiliate') return 'Affiliates';
  if (medium === 'audio') return 'Audio';
  if (source === 'sms' || medium === 'sms') return 'SMS';
  if (medium.endsWith('push') || medium.includes('mobile') || medium.includes('notification') || source === 'firebase') {
    return 'Mobile Push Notifications';
  }
  return 'Unassigned';
}
