/**
 * The OpenAPI 3.1 document of `/api/v1` (CONTRACT §4), generated from the zod schemas the API
 * validates with (./params.ts, the wire protocol) and the report list (reports/index.ts): a parameter
 * is documented because it is parsed, never written by hand a second time. zod 4's own
 * `z.toJSONSchema` writes JSON Schema 2020-12, which OpenAPI 3.1 uses as is.
 */
import { batchSchema } from '@kizuna/protocol';
import { z } from 'zod';
import { REPORTS, REPORT_NAMES, type ReportName } from '../reports/index.ts';
import { goalsBody, outputQuery, rangeQuery, REPORT_PARAMS, retentionBody } from './params.ts';

type JsonSchema = Record<string, unknown> & { description?: string };

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters: Parameter[];
  requestBody?: { required: true; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  security?: Record<string, string[]>[];
}

export type Method = 'get' | 'put' | 'post' | 'delete';

/** The JSON Schema of what a zod schema accepts (its input side: a query's strings before they are converted). */
export function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** One query parameter per key of a zod object, required unless optional or defaulted. */
export function queryParameters(schema: z.ZodObject): Parameter[] {
  const json = schemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

const path = (name: string, description: string): Parameter => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const SITE = path('site', 'the site id (the script tag\'s data-site)');
const ERRORS = {
  '400': { description: 'a bad parameter: `{"error", "field"}` names it' },
  '401': { description: 'no token' },
  '403': { description: 'a token of another site, or expired' },
};
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const BEARER = [{ bearer: [] }];

/** A report's operation: the range, the output and its own parameters (the filters among them). */
function reportOperation(name: ReportName): Operation {
  const tables = Object.keys(REPORTS[name].tables);
  const output = queryParameters(outputQuery).map((p) =>
    p.name === 'table' ? { ...p, schema: { type: 'string', enum: tables } } : p,
  );
  const own = queryParameters(REPORT_PARAMS[name]);
  return {
    operationId: `report_${name}`,
    summary: `the ${name} report (CONTRACT §4), as JSON or one of its tables as CSV`,
    tags: ['reports'],
    parameters: [SITE, ...queryParameters(rangeQuery), ...output, ...own],
    responses: {
      '200': {
        description: `the report; with format=csv, the table (UTF-8 with a BOM): ${tables.join(', ')}`,
        content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } },
      },
      ...ERRORS,
    },
    security: BEARER,
  };
}

const ID = path('id', 'a visitor id (≤ 64 characters) or a customer id (≤ 256)');

/** Every operation of /api/v1, by path (OpenAPI's `{param}`) and method. */
export function operations(): Record<string, Partial<Record<Method, Operation>>> {
  const site = '/api/v1/sites/{site}';
  const op = (operationId: string, summary: string, tags: string[], parameters: Parameter[], more: Partial<Operation> = {}): Operation => ({
    operationId, summary, tags, parameters, responses: { '200': json('the answer'), ...ERRORS }, security: BEARER, ...more,
  });
  const body = (schema: z.ZodType) => ({ required: true as const, content: { 'application/json': { schema: schemaOf(schema) } } });
  return {
    '/api/v1/events': {
      post: {
        operationId: 'ingest',
        summary: 'events from the SDK (CONTRACT §3): a batch, answered 202 once stored',
        tags: ['ingest'],
        parameters: [],
        requestBody: { required: true, content: { 'text/plain': { schema: schemaOf(batchSchema) }, 'application/json': { schema: schemaOf(batchSchema) } } },
        responses: { '202': json('accepted (and the ids confirmed missing)'), '400': { description: 'not a valid batch' }, '413': { description: 'over 64 KB' }, '429': { description: 'too many requests' }, '503': { description: 'the database cannot take it now' } },
        security: [],
      },
    },
    ...Object.fromEntries(REPORT_NAMES.map((name) => [`${site}/reports/${name}`, { get: reportOperation(name) }])),
    [`${site}/visitors/{id}`]: {
      get: op('visitor_timeline', "one visitor's timeline across sessions and devices, and score", ['visitors'], [SITE, ID]),
      delete: op('erase_visitor', 'erases a visitor everywhere (right to erasure)', ['erasure'], [SITE, ID]),
    },
    [`${site}/customers/{id}`]: {
      delete: op('erase_customer', 'erases a customer: every visitor id tied to it, and its signed-in sessions', ['erasure'], [SITE, ID]),
    },
    [`${site}/settings/goals`]: {
      get: op('get_goals', "the site's goals", ['settings'], [SITE]),
      put: op('set_goals', "replaces the site's goals (custom event names, or page paths starting with /)", ['settings'], [SITE], { requestBody: body(goalsBody) }),
    },
    [`${site}/settings/retention`]: {
      get: op('get_retention', 'days raw events and text are kept', ['settings'], [SITE]),
      put: op('set_retention', 'sets the retention in days', ['settings'], [SITE], { requestBody: body(retentionBody) }),
    },
    '/api/v1/openapi.json': {
      get: { operationId: 'openapi', summary: 'this document', tags: ['meta'], parameters: [], responses: { '200': json('OpenAPI 3.1') }, security: [] },
    },
    '/api/v1/docs': {
      get: {
        operationId: 'docs', summary: 'this document as an HTML page', tags: ['meta'], parameters: [],
        responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } }, security: [],
      },
    },
  };
}

/** The document. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Kizuna API', version: '1', description: 'Reports, visitors, erasure and settings of a site (docs/CONTRACT.md §4); events from the SDK (§3).' },
    paths: operations(),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a report token (`kizuna token create`)' } } },
    security: BEARER,
  };
}
