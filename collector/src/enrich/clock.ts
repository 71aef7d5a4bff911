/**
 * Clock skew: a browser's clock may be hours off. The batch says when it was sent (`sentAt`, client
 * clock); the difference to the server's clock at receipt shifts every event of the batch. Events
 * still more than a minute in the future, or older than 7 days (or than the site keeps anything:
 * its retention, when shorter), are rejected.
 */
export const MAX_FUTURE_MS = 60_000;
export const MAX_AGE_MS = 7 * 24 * 3600_000;

/** The event's time on the server clock, or undefined when it must be rejected. */
export function correctedTime(ts: number, sentAt: number, now: number, oldest = now - MAX_AGE_MS): number | undefined {
  const corrected = ts + (now - sentAt);
  return corrected > now + MAX_FUTURE_MS || corrected < Math.max(oldest, now - MAX_AGE_MS) ? undefined : corrected;
}
