/**
 * The running collector's admin endpoint: CLI commands that read or change sites and tokens send
 * their `Op` here while a collector holds the embedded database (./lock.ts), so that there is one
 * writer, and the collector forgets its cached copy of a site the moment it changes. It listens on
 * 127.0.0.1 only, on a port the system picks, and answers only the secret written in the lock file
 * (mode 0600: the local user's).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Db } from '../db/index.ts';
import { InvalidInput, NotFound } from '../lib/errors.ts';
import type { LockInfo } from './lock.ts';
import { runOp, type OpResult } from './ops.ts';
import type { Op } from './spec.ts';

export interface Admin {
  url: string;
  secret: string;
  close(): Promise<void>;
}

/** Serves the admin endpoint for this database; `forget` drops a changed site from the collector's caches. */
export async function startAdmin(db: Db, forget: (siteId: string, origins: string[]) => void): Promise<Admin> {
  const secret = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${secret}`);
  const app = new Hono();
  app.post('/op', async (c) => {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return c.json({ error: 'not allowed' }, 403);
    try {
      const result = await runOp(db, (await c.req.json()) as Op);
      if (result.changed) forget(result.changed.siteId, result.changed.origins);
      return c.json(result);
    } catch (error) {
      const status = error instanceof InvalidInput ? 400 : error instanceof NotFound ? 404 : 500;
      return c.json({ error: (error as Error).message }, status);
    }
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    secret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An error the collector answered: the CLI prints its message as it would its own. */
export class AdminRefused extends Error {
  override name = 'AdminRefused';
}

/** Runs an `Op` in the collector that holds the lock. */
export async function callAdmin(holder: LockInfo, op: Op): Promise<OpResult> {
  let res: Response;
  try {
    res = await fetch(`${holder.admin}/op`, {
      method: 'POST',
      headers: { authorization: `Bearer ${holder.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(op),
      signal: AbortSignal.timeout(10 * 60_000),
    });
  } catch {
    throw new AdminRefused(`the collector (process ${holder.pid}) holds this data folder but its admin endpoint ${holder.admin} does not answer`);
  }
  const body = (await res.json()) as OpResult & { error?: string };
  if (!res.ok) throw new AdminRefused(body.error ?? `the collector answered ${res.status}`);
  return body;
}
