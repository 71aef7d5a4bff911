/**
 * The OpenAPI document (CONTRACT §4) against the app itself: every route registered under /api/v1
 * is in it and nothing else is; its parameters are what the API accepts (each enum value passes,
 * a value outside an enum or a pattern is a 400 naming the parameter); the reference page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { Db } from '../db/index.ts';
import { NOW } from '../testing/clock.ts';
import { testDb, testSite } from '../testing/db.ts';
import { REPORT_NAMES } from '../reports/index.ts';
import { docsPage } from './docs.ts';
import { openApiDocument, type Method, type Operation } from './openapi.ts';

let db: Db;
let app: ReturnType<typeof createApp>;
let site: Awaited<ReturnType<typeof testSite>>;
let doc: ReturnType<typeof openApiDocument>;

beforeAll(async () => {
  db = await testDb();
  app = createApp({ db, now: () => NOW });
  site = await testSite(db, { timezone: 'Asia/Tokyo' });
  const res = await app.request('/api/v1/openapi.json'); // no token: the API's shape is public
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(() => db.close());

const report = (name: string, query: string) =>
  app.request(`/api/v1/sites/${site.id}/reports/${name}?${query}`, { headers: { authorization: `Bearer ${site.token}` } });

/** `/a/:x/b` or `/a/{x}/b` → a pattern matching both spellings of a path, `:x` standing for any segment. */
const pathPattern = (path: string) => new RegExp(`^${path.replace(/:[\w]+|\{[\w]+\}/g, '[^/]+')}$`);

describe('openapi.json', () => {
  it('is OpenAPI 3.1 with a bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('holds every route registered under /api/v1, and no other', () => {
    // middleware (ALL) and the CORS preflight of ingest (OPTIONS) are not operations
    const routes = app.routes.filter((r) => r.path.startsWith('/api/v1') && r.method !== 'ALL' && r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ path, method: method.toUpperCase() })));
    for (const route of routes) {
      const found = documented.filter((d) => d.method === route.method && pathPattern(route.path).test(d.path));
      expect(found.length, `${route.method} ${route.path}`).toBeGreaterThan(0);
    }
    for (const d of documented) {
      expect(routes.some((r) => r.method === d.method && pathPattern(r.path).test(d.path)), `${d.method} ${d.path}`).toBe(true);
    }
    for (const name of REPORT_NAMES) expect(doc.paths).toHaveProperty([`/api/v1/sites/{site}/reports/${name}`]);
  });

  it("documents each report's parameters as the API takes them: enum values pass, others are a 400 naming them", async () => {
    let checked = 0;
    for (const name of REPORT_NAMES) {
      const op = (doc.paths as Record<string, Record<Method, Operation>>)[`/api/v1/sites/{site}/reports/${name}`]!.get;
      const names = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      expect(names, name).toEqual(expect.arrayContaining(['from', 'to', 'format', 'table']));
      for (const p of op.parameters.filter((q) => q.in === 'query')) {
        const csv = p.name === 'table' ? 'format=csv&' : '';
        for (const value of (p.schema.enum as string[] | undefined) ?? []) {
          const res = await report(name, `${csv}from=2026-11-04&to=2026-11-10&${p.name}=${encodeURIComponent(value)}`);
          expect(res.status, `${name} ${p.name}=${value}`).toBe(200);
          checked++;
        }
        if (p.schema.enum || p.schema.pattern) {
          const res = await report(name, `${csv}${p.name}=${encodeURIComponent('not one of them!')}`);
          expect(res.status, `${name} ${p.name}`).toBe(400);
          expect((await res.json()).field, `${name} ${p.name}`).toBe(p.name);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('documents the filters on every report, and refuses a bad value', async () => {
    const params = (name: string) =>
      (doc.paths as Record<string, Record<Method, Operation>>)[`/api/v1/sites/{site}/reports/${name}`]!.get.parameters.map((p) => p.name);
    for (const name of ['overview', 'usability', 'faq', 'visitors', 'journeys']) expect(params(name), name).toEqual(expect.arrayContaining(['channel', 'network', 'device', 'country', 'page']));
    expect((await report('visitors', 'device=watch')).status).toBe(400);
  });

  it('documents the bodies of the settings from the schemas the API parses them with', async () => {
    const put = (doc.paths as Record<string, Record<Method, Operation>>)['/api/v1/sites/{site}/settings/retention']!.put;
    expect(put.requestBody!.content['application/json']!.schema).toMatchObject({ properties: { days: { type: 'integer', minimum: 1, maximum: 3650 } } });
    const res = await app.request(`/api/v1/sites/${site.id}/settings/retention`, {
      method: 'PUT', body: '{"days": 3651}', headers: { authorization: `Bearer ${site.token}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
  });
});

describe('/api/v1/docs', () => {
  it('lists every operation with its parameters, with no script and a nonce on its style', async () => {
    const res = await app.request('/api/v1/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html).not.toMatch(/<script/i);
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops) as Operation[]) expect(html).toContain(`id="${op.operationId}"`);
    expect(html).toContain('one of mobile | desktop');
    // a second answer has another nonce
    expect((await app.request('/api/v1/docs')).headers.get('content-security-policy')).not.toBe(csp);
  });

  it('escapes what it renders', () => {
    const hostile = structuredClone(doc);
    (hostile.paths as Record<string, Record<string, Operation>>)['/api/v1/events']!.post!.summary = '<script>alert(1)</script>';
    const html = docsPage(hostile, 'n');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
  });
});
