/**
 * localStorage that never throws (private modes, quotas, disabled storage, sandboxed frames all
 * throw somewhere) and that is switched off entirely in cookieless mode or without consent.
 */
import { json } from './json';

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

/** Stores `value`; returns whether it was stored (false when off, full or throwing). */
export function save(key: string, value: unknown): boolean {
  try {
    return enabled && (localStorage.setItem(key, json(value)), true);
  } catch {
    return false; // quota or disabled: the in-memory copy still goes out
  }
}

export function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    /* nothing to remove */
  }
}
