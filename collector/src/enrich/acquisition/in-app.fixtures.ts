/**
 * Real in-app browser user agents, one or more per network of DEFINITIONS (in-app browsers), written from
 * the markers DEFINITIONS names and from public fixture lists of in-app detectors (inapp-spy's and others'
 * test tables). Shared by the classifier's tests and the bot filter's: a real in-app browser is never a bot.
 */
const IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const IOS_18 = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22G100';
const IPAD = 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const ANDROID_WV = 'Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36';
const ANDROID_10_WV = 'Mozilla/5.0 (Linux; Android 10; MAR-LX1B Build/HUAWEIMAR-L21B; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/144.0.7559.117 Mobile Safari/537.36';
const ANDROID_13_WV = 'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.111 Mobile Safari/537.36';

/** [what it is, user agent, network] */
export const IN_APP_USER_AGENTS: ReadonlyArray<readonly [string, string, string]> = [
  ['Facebook iOS (FBAN)', `${IOS} [FBAN/FBIOS;FBAV/470.0.0.40.106;FBBV/621567373;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/ja_JP;FBOP/5;FBRV/0]`, 'facebook'],
  ['Facebook iOS 2025 (MetaIAB, no FBAN)', `${IOS_18} Safari/604.1 MetaIAB Facebook`, 'facebook'],
  ['Facebook Android 2025 (MetaIAB)', `${ANDROID_10_WV} IABMV/1 MetaIAB Facebook`, 'facebook'],
  ['Facebook Android (FB_IAB)', `${ANDROID_WV} [FB_IAB/FB4A;FBAV/470.0.0.40.106;IABMV/1;]`, 'facebook'],
  ['Facebook iOS 18 (FBAN, build Mobile/22B83)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22B83 [FBAN/FBIOS;FBAV/488.0.0.68.101;FBBV/658219612;FBDV/iPhone12,8;FBMD/iPhone;FBSN/iOS;FBSV/18.1;FBSS/2;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0]', 'facebook'],
  ['Facebook iPad', `${IPAD} [FBAN/FBIOS;FBAV/468.1.0.56.78;FBBV/617013393;FBDV/iPad13,18;FBMD/iPad;FBSN/iPadOS;FBSV/17.4;FBSS/2;FBID/tablet;FBLC/en_US;FBOP/5]`, 'facebook'],
  ['Facebook Lite Android', `${ANDROID_13_WV} [FBAN/EMA;FBLC/en_US;FBAV/412.0.0.10.110;]`, 'facebook'],
  ['Messenger iOS', `${IOS} LightSpeed [FBAN/MessengerLiteForiOS;FBAV/462.0.0.35.107;FBBV/612404004;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/0]`, 'facebook'],
  ['Messenger Android', `${ANDROID_WV} [FB_IAB/Orca-Android;FBAV/460.0.0.48.109;]`, 'facebook'],
  ['Instagram iOS', `${IOS} Instagram 334.0.4.32.98 (iPhone14,5; iOS 17_5; ja_JP; ja; scale=3.00; 1170x2532; 606229137)`, 'instagram'],
  ['Instagram iOS 18 (IABMV)', `${IOS_18} Instagram 393.1.0.36.70 (iPhone15,3; iOS 18_5; en_US; en; scale=3.00; 1290x2796; IABMV/1; 776538208) Safari/604.1`, 'instagram'],
  ['Instagram Android', `${ANDROID_WV} Instagram 385.0.0.47.74 Android (34/14; 480dpi; 1080x2340; samsung; SM-S918B; dm3q; qcom; ja_JP; 750482123)`, 'instagram'],
  ['Instagram Android, FB_IAB inside', `${ANDROID_13_WV} Instagram 312.1.0.34.111 Android (33/13; 420dpi; 1080x2400; Google/google; Pixel 7; panther; panther; en_US; 548323757) [FB_IAB/FB4A;FBAV/440.0.0.31.105;]`, 'instagram'],
  ['Threads iOS', `${IOS} Barcelona 289.0.0.77.109 (iPhone15,3; iOS 17_1_2; ja_JP; ja; scale=3.00; 1290x2796; 500159130)`, 'threads'],
  ['Threads Android', `${ANDROID_WV} Barcelona 345.0.0.41.109 Android (34/14; 450dpi; 1080x2340; samsung; SM-S918B; dm3q; qcom; en_US; 631498386)`, 'threads'],
  ['LINE iOS', `${IOS} Safari Line/14.9.0`, 'line'],
  ['LINE iOS, language tag', `${IOS} Safari Line/13.21.0 LIFF`, 'line'],
  ['LINE Android', `${ANDROID_WV} Line/14.10.1/IAB`, 'line'],
  ['LINE iPad', `${IPAD} Safari Line/14.5.1`, 'line'],
  ['X iOS', `${IOS} Twitter for iPhone/10.34`, 'x'],
  ['X iPad', `${IPAD} Twitter for iPad/10.40`, 'x'],
  ['X Android', `${ANDROID_WV} TwitterAndroid`, 'x'],
  ['TikTok iOS', `${IOS} musical_ly_33.8.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/ja Region/JP ByteFullLocale/ja-JP isDarkMode/0 WKWebView/1 RevealType/Dialog BytedanceWebview/d8a21c6`, 'tiktok'],
  ['TikTok Android', `${ANDROID_WV} trill_350003 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/trill app_version/35.0.3 ByteLocale/ja ByteFullLocale/ja Region/JP BytedanceWebview/d8a21c6`, 'tiktok'],
  ['TikTok Android (musical_ly)', `${ANDROID_13_WV} musical_ly_2023409030 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/34.9.3 ByteLocale/en ByteFullLocale/en Region/US BytedanceWebview/d8a21c6`, 'tiktok'],
  ['TikTok Lite Android', `${ANDROID_13_WV} JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/ultralite app_version/34.5.3 ByteLocale/en ByteFullLocale/en Region/ID`, 'tiktok'],
  ['LinkedIn iOS', `${IOS} [LinkedInApp]/9.29.8541`, 'linkedin'],
  ['LinkedIn Android', `${ANDROID_WV} [LinkedInApp]/4.1.881`, 'linkedin'],
  ['Pinterest iOS', `${IOS} [Pinterest/iOS]`, 'pinterest'],
  ['Pinterest Android', `${ANDROID_WV} [Pinterest/Android]`, 'pinterest'],
  ['Snapchat iOS', `${IOS} Snapchat/13.10.0.43 (like Safari/8618.3.11.10.5, panda)`, 'snapchat'],
  ['Snapchat Android', `${ANDROID_WV} Snapchat/12.98.0.39 (SM-S918B; Android 14#S918BXXS3BXF1#34; gzip; )`, 'snapchat'],
  ['WeChat iOS', `${IOS} MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN`, 'wechat'],
  ['WeChat Android (Process/tools)', `${ANDROID_WV} XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 Process/tools`, 'wechat'],
  ['WeChat Android (Process/appbrand)', `${ANDROID_13_WV} MMWEBID/9538 MicroMessenger/8.0.40.2420(0x28002837) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64 Process/appbrand0`, 'wechat'],
  ['WhatsApp iOS', `${IOS} WhatsApp/24.12.78 i`, 'whatsapp'],
  ['WhatsApp iOS (WAiOS)', `${IOS} WAiOS/24.13.80`, 'whatsapp'],
  ['WhatsApp Android (WA4A)', `${ANDROID_WV} WA4A/2.24.12.78`, 'whatsapp'],
  ['KakaoTalk iOS', `${IOS} KAKAOTALK 10.6.2`, 'kakaotalk'],
  ['KakaoTalk Android', `${ANDROID_WV} KAKAOTALK/10.6.5 (INAPP)`, 'kakaotalk'],
  ['Zalo iOS', `${IOS} ZaloTheme/light ZaloLanguage/vn`, 'zalo'],
  ['Zalo Android', `${ANDROID_WV} Zalo android/12100693 ZaloTheme/light ZaloLanguage/vi`, 'zalo'],
  ['Weibo iOS', `${IOS} Weibo (iPhone13,2__weibo__14.5.0__iphone__os17.5)`, 'weibo'],
  ['Weibo Android', `${ANDROID_WV} Weibo (samsung-SM-S918B__weibo__14.4.2__android__android14)`, 'weibo'],
];
