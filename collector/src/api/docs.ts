/**
 * `/api/v1/openapi.json` and `/api/v1/docs` (public: the API's shape is no secret): the OpenAPI
 * document (./openapi.ts) and a reference page rendered from it on the server — every operation,
 * its parameters with their types, enums and patterns. Nothing is fetched from a CDN and the page
 * runs no script; its one style element carries a per-answer nonce that the Content-Security-Policy names.
 */
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { openApiDocument, type Method, type Operation, type Parameter } from './openapi.ts';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A parameter's type as a reader wants it: `string, one of a | b`, `string matching ^…$` … */
function typeOf(schema: Record<string, unknown>): string {
  const parts = [String(schema.type ?? 'any')];
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.join(' | ')}`);
  if (typeof schema.pattern === 'string') parts.push(`matching ${schema.pattern}`);
  if (typeof schema.maxLength === 'number') parts.push(`≤ ${schema.maxLength} characters`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

const parameterRow = (p: Parameter) =>
  `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : ''}</td><td>${escape(typeOf(p.schema))}</td><td>${escape(p.description ?? '')}</td></tr>`;

function operationSection(path: string, method: Method, op: Operation): string {
  const body = op.requestBody ? `<p>Body: <code>${escape(Object.keys(op.requestBody.content).join(', '))}</code></p>` : '';
  const auth = op.security?.length === 0 ? 'public' : 'Authorization: Bearer &lt;token&gt;';
  return `<section id="${escape(op.operationId)}"><h2><code>${method.toUpperCase()} ${escape(path)}</code></h2>
<p>${escape(op.summary)}. <small>${auth}</small></p>${body}
${op.parameters.length ? `<table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>meaning</th></tr></thead><tbody>${op.parameters.map(parameterRow).join('')}</tbody></table>` : ''}
<p>Answers: ${Object.entries(op.responses).map(([status, r]) => `<b>${status}</b> ${escape(r.description)}`).join('; ')}</p></section>`;
}

/** The reference page of a document. */
export function docsPage(doc: ReturnType<typeof openApiDocument>, nonce: string): string {
  const sections = Object.entries(doc.paths).flatMap(([path, ops]) =>
    (Object.entries(ops) as [Method, Operation][]).map(([method, op]) => ({ path, method, op })),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)} reference</title>
<style nonce="${nonce}">body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}
code{font-size:.9em}section{margin-bottom:2rem}</style></head>
<body><h1>${escape(doc.info.title)} reference</h1><p>${escape(doc.info.description)} The document: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI ${doc.openapi}).</p>
<nav><ul>${sections.map(({ path, method, op }) => `<li><a href="#${escape(op.operationId)}"><code>${method.toUpperCase()} ${escape(path)}</code></a></li>`).join('')}</ul></nav>
${sections.map(({ path, method, op }) => operationSection(path, method, op)).join('\n')}
</body></html>`;
}

export function docsRoutes() {
  const app = new Hono();
  const doc = openApiDocument();
  app.get('/openapi.json', (c) => c.json(doc));
  app.get('/docs', (c) => {
    const nonce = randomBytes(16).toString('base64');
    c.header('Content-Security-Policy', `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    return c.html(docsPage(doc, nonce));
  });
  return app;
}
