/**
 * Expected failures of the collector's own modules, free of HTTP: the HTTP edges (ingest, api) turn
 * them into answers (400 naming the field, 404), so that no module below them speaks HTTP.
 */

/** Input that breaks a rule: `field` names what is wrong (a query parameter, a setting, a body field). */
export class InvalidInput extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidInput';
  }
}

/** `invalid <field>: <why>`: the message every 400 of the collector has. */
export const invalid = (field: string, why: string) => new InvalidInput(field, `invalid ${field}: ${why}`);

/** Something asked for that does not exist (a site, a visitor). */
export class NotFound extends Error {
  override name = 'NotFound';
}

/**
 * The collector cannot take this now — its queue is full, or the database cannot be reached — and
 * the client should try again after `retryAfter` seconds (a 503 with Retry-After; CONTRACT §3).
 */
export class Unavailable extends Error {
  override name = 'Unavailable';
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
  }
}

/** A setting the collector cannot start with (an environment variable, DATABASE_URL's database): the message names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
