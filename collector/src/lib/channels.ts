/**
 * The channels of DEFINITIONS ("Channels"): Google's GA4 default channel group with its names, in
 * the order its rules are tried — which is also the order reports list them — with our AI
 * Assistants at #13. The rules themselves are enrich/acquisition/channel.ts; reports read the
 * order from here (they may not import enrich/).
 */
export const CHANNELS = [
  'Direct',
  'Cross-network',
  'Paid Shopping',
  'Paid Search',
  'Paid Social',
  'Paid Video',
  'Display',
  'Paid Other',
  'Organic Shopping',
  'Organic Social',
  'Organic Video',
  'Organic Search',
  'AI Assistants',
  'Referral',
  'Email',
  'Affiliates',
  'Audio',
  'SMS',
  'Mobile Push Notifications',
  'Unassigned',
] as const;
export type Channel = (typeof CHANNELS)[number];
