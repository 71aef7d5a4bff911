/**
 * localStorage that never throws (private modes, quotas, disabled storage, sandboxed frames all
 * throw somewhere) and that is switched off entirely in cookieless mode or without consent.
 */
let enabled = false;

export const enableStorage = (on: boolean) => {
  enabled = on;
};

export function load<T>(key: string): T | undefined {
  try {
    const raw = enabled ? localStorage.getItem(key) : null;
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function save(key: string, value: unknown): void {
  try {
    if (enabled) localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* quota or disabled: the in-memory copy still goes out */
  }
}

export function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    /* nothing to remove */
  }
}
