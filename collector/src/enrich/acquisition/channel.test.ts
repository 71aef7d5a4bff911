/**
 * GA4's default channel group as cases: one or more per rule, and one per ordering conflict (two rules
 * match; GA4's order says which wins). Each goes through classifySource, from the landing a marketer tags.
 */
import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from './index.ts';
import { classify } from './test-helpers.ts';

type RuleCase = [rule: string, landing: string, referrer: string | null, channel: Channel];

const RULES: RuleCase[] = [
  ['1 Direct: no source, no medium', '/', null, 'Direct'],
  ['1 Direct: a campaign alone names no source', '/?utm_campaign=spring', null, 'Direct'],
  ['2 Cross-network: campaign contains cross-network', '/?utm_source=google&utm_medium=cpc&utm_campaign=pmax-cross-network', null, 'Cross-network'],
  ['3 Paid Shopping: shopping source, paid medium', '/?utm_source=shopping.yahoo.co.jp&utm_medium=cpc', null, 'Paid Shopping'],
  ['3 Paid Shopping: shopping campaign, paid medium', '/?utm_source=acme&utm_medium=ppc&utm_campaign=summer-shop', null, 'Paid Shopping'],
  ['4 Paid Search: search source, paid medium', '/?utm_source=yahoo&utm_medium=cpc', null, 'Paid Search'],
  ['4 Paid Search: retargeting is a paid medium', '/?utm_source=google&utm_medium=retargeting', null, 'Paid Search'],
  ['5 Paid Social: social source, paid medium', '/?utm_source=line&utm_medium=paid_social', null, 'Paid Social'],
  ['5 Paid Social: fb alias, cpc', '/?utm_source=fb&utm_medium=cpc', null, 'Paid Social'],
  ['6 Paid Video: video source, paid medium', '/?utm_source=youtube&utm_medium=cpv', null, 'Paid Video'],
  ['7 Display: medium display', '/?utm_source=acme&utm_medium=display', null, 'Display'],
  ['7 Display: medium banner', '/?utm_source=acme&utm_medium=banner', null, 'Display'],
  ['7 Display: medium expandable', '/?utm_source=acme&utm_medium=expandable', null, 'Display'],
  ['7 Display: medium interstitial', '/?utm_source=acme&utm_medium=interstitial', null, 'Display'],
  ['7 Display: medium cpm (matches paid too; Display comes first)', '/?utm_source=acme&utm_medium=cpm', null, 'Display'],
  ['8 Paid Other: paid medium, unknown source', '/?utm_source=acme&utm_medium=paid', null, 'Paid Other'],
  ['8 Paid Other: retargeting, unknown source', '/?utm_source=criteo&utm_medium=retargeting', null, 'Paid Other'],
  ['9 Organic Shopping: shopping source', '/', 'https://shopping.yahoo.co.jp/', 'Organic Shopping'],
  ['9 Organic Shopping: shopping campaign', '/?utm_source=acme&utm_medium=link&utm_campaign=shop-week', null, 'Organic Shopping'],
  ['10 Organic Social: social source', '/', 'https://ameblo.jp/kizuna/entry-1.html', 'Organic Social'],
  ['10 Organic Social: social medium', '/?utm_source=partner&utm_medium=social-network', null, 'Organic Social'],
  ['11 Organic Video: video source', '/', 'https://www.nicovideo.jp/watch/sm9', 'Organic Video'],
  ['11 Organic Video: medium matches video', '/?utm_source=acme&utm_medium=video-embed', null, 'Organic Video'],
  ['12 Organic Search: search source', '/', 'https://search.goo.ne.jp/web.jsp?MT=kizuna', 'Organic Search'],
  ['12 Organic Search: medium organic', '/?utm_source=acme&utm_medium=organic', null, 'Organic Search'],
  ['13 AI Assistants: AI referrer', '/', 'https://chatgpt.com/', 'AI Assistants'],
  ['13 AI Assistants: AI utm_source', '/?utm_source=perplexity', null, 'AI Assistants'],
  ['14 Referral: medium referral', '/?utm_source=acme&utm_medium=referral', null, 'Referral'],
  ['14 Referral: medium app', '/?utm_source=acme&utm_medium=app', null, 'Referral'],
  ['14 Referral: medium link', '/?utm_source=acme&utm_medium=link', null, 'Referral'],
  ['14 Referral: untagged external referrer', '/', 'https://blog.example.org/post', 'Referral'],
  ['15 Email: medium email', '/?utm_source=acme&utm_medium=email', null, 'Email'],
  ['15 Email: source e-mail', '/?utm_source=e-mail', null, 'Email'],
  ['15 Email: newsletter (ours)', '/?utm_source=weekly-newsletter', null, 'Email'],
  ['15 Email: webmail referrer', '/', 'https://mail.yahoo.co.jp/', 'Email'],
  ['16 Affiliates: medium affiliate', '/?utm_source=a8&utm_medium=affiliate', null, 'Affiliates'],
  ['17 Audio: medium audio', '/?utm_source=spotify&utm_medium=audio', null, 'Audio'],
  ['18 SMS: source sms', '/?utm_source=sms', null, 'SMS'],
  ['18 SMS: medium sms', '/?utm_source=acme&utm_medium=sms', null, 'SMS'],
  ['19 Mobile Push: medium ends with push', '/?utm_source=acme&utm_medium=web-push', null, 'Mobile Push Notifications'],
  ['19 Mobile Push: medium contains mobile', '/?utm_source=acme&utm_medium=mobile-app', null, 'Mobile Push Notifications'],
  ['19 Mobile Push: medium contains notification', '/?utm_source=acme&utm_medium=notification', null, 'Mobile Push Notifications'],
  ['19 Mobile Push: source firebase', '/?utm_source=firebase', null, 'Mobile Push Notifications'],
  ['20 Unassigned: tagged, nothing matches', '/?utm_source=acme&utm_medium=qr', null, 'Unassigned'],
];

const ORDERING_CONFLICTS: RuleCase[] = [
  ['cross-network (2) over paid search (4)', '/?utm_source=google&utm_medium=cpc&utm_campaign=cross-network', null, 'Cross-network'],
  ['shopping campaign with cpc (3) over paid search (4)', '/?utm_source=google&utm_medium=cpc&utm_campaign=shopping-jp', null, 'Paid Shopping'],
  ['a gclid on a shopping campaign: Paid Shopping (3), not Paid Search', '/?gclid=1&utm_campaign=shopping', null, 'Paid Shopping'],
  ['paid search (4) over paid social (5): a search source with medium paid_social', '/?utm_source=google&utm_medium=paid_social', null, 'Paid Search'],
  ['retargeting with a social source: Paid Social (5), never organic', '/?utm_source=facebook&utm_medium=retargeting', null, 'Paid Social'],
  ['display with a search source (7): not Organic Search', '/?utm_source=yahoo&utm_medium=display', null, 'Display'],
  ['display with a social source (7): not Organic Social', '/?utm_source=line&utm_medium=display', null, 'Display'],
  ['display with google (7)', '/?utm_source=google&utm_medium=display', null, 'Display'],
  ['display with facebook (7)', '/?utm_source=facebook&utm_medium=banner', null, 'Display'],
  ['paid other (8) over email (15)', '/?utm_source=newsletter&utm_medium=cpc', null, 'Paid Other'],
  ['organic shopping (9) over organic social (10): shop campaign on a social source', '/?utm_source=instagram&utm_medium=social&utm_campaign=shop', null, 'Organic Shopping'],
  ['organic social (10) over organic search (12): social source, medium organic', '/?utm_source=ig&utm_medium=organic', null, 'Organic Social'],
  ['organic social (10) over email (15): social medium, email source', '/?utm_source=email&utm_medium=social', null, 'Organic Social'],
  ['organic search (12) over email (15): search source, medium email', '/?utm_source=google&utm_medium=email', null, 'Organic Search'],
  ['organic search (12) over AI assistants (13): you.com is AI by precedence, utm_medium organic', '/?utm_source=you.com&utm_medium=organic', null, 'Organic Search'],
  ['AI assistants (13) over referral (14): an AI referrer is not a referral', '/?utm_source=claude.ai&utm_medium=referral', null, 'AI Assistants'],
  ['referral (14) over email (15): medium link with a webmail source', '/?utm_source=outlook&utm_medium=link', null, 'Referral'],
  ['email (15) over mobile push (19): medium email-push', '/?utm_source=acme&utm_medium=email-push', null, 'Email'],
  ['SMS (18) over mobile push (19): source sms, medium mobile', '/?utm_source=sms&utm_medium=mobile', null, 'SMS'],
];

describe("GA4's channel rules, in GA4's order", () => {
  it.each(RULES)('rule %s', (_rule, landing, referrer, channel) => {
    expect(classify(landing, referrer).channel).toBe(channel);
  });

  it.each(ORDERING_CONFLICTS)('ordering: %s', (_rule, landing, referrer, channel) => {
    expect(classify(landing, referrer).channel).toBe(channel);
  });

  it('has a case for every channel', () => {
    const covered = new Set(RULES.map(([, , , channel]) => channel));
    expect(CHANNELS.filter((c) => !covered.has(c))).toEqual([]);
  });

  it("lists GA4's 20 channels in GA4's order, AI Assistants at #13", () => {
    expect(CHANNELS).toHaveLength(20);
    expect(CHANNELS.indexOf('AI Assistants')).toBe(12);
    expect(CHANNELS.slice(0, 3)).toEqual(['Direct', 'Cross-network', 'Paid Shopping']);
    expect(CHANNELS.at(-1)).toBe('Unassigned');
  });
});
