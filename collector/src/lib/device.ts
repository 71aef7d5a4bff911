/**
 * Device classes (DEFINITIONS: page loads): reports split mobile, a viewport narrower than
 * {@link MOBILE_VIEWPORT_BELOW} px, from desktop. Enrichment decides a session's class; the rollups
 * and reports group by it.
 */
export const DEVICE_CLASSES = ['mobile', 'desktop'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const MOBILE_VIEWPORT_BELOW = 768;
