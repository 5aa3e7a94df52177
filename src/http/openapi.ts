import { z } from 'zod';
import { type Governance, inCommunityWords, schemaInCommunityWords } from '../domain/governance/index.ts';
import type { Route } from './routes.ts';

const problem = { $ref: '#/components/schemas/Problem' };

/** An error answer: problem+json, described in words. */
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input') {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const s = jsonSchema(schema) as { properties?: Record<string, { type?: unknown }>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, sch]) => ({
    name,
    in: 'query',
    required: s.required?.includes(name) ?? false,
    schema: sch,
    // a list is given once per value (`?tag=a&tag=b`); any other parameter once (server.ts refuses it twice)
    ...(sch.type === 'array' ? { style: 'form', explode: true } : {}),
  }));
}

/**
 * OpenAPI 3.1, built from the same zod schemas the routes validate with; summaries in the community's
 * words (its document route's short name, its protocol) when its governance is given.
 */
export function openApiDocument(routes: Route[], version: string, governance?: Governance) {
  const words = (text: string) => (governance ? inCommunityWords(text, governance) : text);
  const bodyWords = <T>(schema: T) => (governance ? schemaInCommunityWords(schema, governance) : schema);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const headerParams = r.ifMatch
      ? [
          {
            name: 'If-Match',
            in: 'header',
            required: r.ifMatch === true,
            description: `The ETag from the last GET, as given (strong: a weak W/ tag never matches and answers 412); a stale one answers 409 with the current version${r.ifMatch === true ? '' : '. Optional here: checked when sent'}`,
            schema: { type: 'string' },
          },
        ]
      : r.etag
        ? [
            {
              name: 'If-None-Match',
              in: 'header',
              required: false,
              description:
                'The ETag of an earlier answer (a list of them, or *; compared weakly): while this answer would carry the same ETag, 304 with no body',
              schema: { type: 'string' },
            },
          ]
        : [];
    const ok = String(r.status ?? 200);
    const responses: Record<string, unknown> = {
      [ok]: {
        description: words(r.returns),
        content: {
          [r.produces ?? 'application/json']: { schema: r.produces ? { type: 'string' } : { type: 'object' } },
        },
      },
      ...Object.fromEntries(
        Object.entries(r.alsoAnswers ?? {}).map(([status, description]) => [
          status,
          {
            description,
            content: {
              [r.produces ?? 'application/json']: { schema: r.produces ? { type: 'string' } : { type: 'object' } },
            },
          },
        ]),
      ),
      ...(r.etag
        ? { '304': { description: 'Not modified: If-None-Match names the ETag this answer would carry' } }
        : {}),
      '400': problemResponse(
        'A query parameter the route does not take, or one given more than once (a list excepted): names it and the rule',
      ),
      '404': problemResponse('Not found'),
      '422': problemResponse('Invalid input: names the field and the rule'),
      ...(r.auth
        ? { '401': problemResponse('No or bad API token'), '403': problemResponse('Not allowed: says which rule') }
        : {}),
      ...(r.ifMatch
        ? {
            '409': problemResponse('Changed by someone else: carries the current version'),
            '412': problemResponse('If-Match holds only weak tags, which never match'),
            ...(r.ifMatch === true ? { '428': problemResponse('If-Match missing') } : {}),
          }
        : {}),
    };
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      summary: words(r.summary),
      tags: [r.tag],
      operationId: `${r.method}${r.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
      parameters: [...pathParams, ...headerParams, ...queryParameters(r.query)],
      ...(r.body
        ? {
            requestBody: {
              // a body of no fields (a claim link's) may be left out: an empty one reads as {}
              required: !(r.body instanceof z.ZodObject && Object.keys(r.body.shape).length === 0),
              content: { 'application/json': { schema: bodyWords(jsonSchema(r.body)) } },
            },
          }
        : {}),
      ...(r.auth ? { security: [{ bearer: [] }] } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'wghub REST API',
      version,
      description: 'Working groups, topic areas, people and organisations, and the event log of a protocol community.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Create one with `wghub token create --person HANDLE`' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { field: { type: 'string' }, rule: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
