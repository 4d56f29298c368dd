import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiErrorBody, CommonErrorCode } from './api.exception';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface KnownPath {
  pattern: RegExp;
  literal: boolean;
  methods: Set<string>;
}

/** A path's first segment under /api (`cases` of /api/cases/{id}); a parameter there matches any. */
const ANY_SEGMENT = '{}';

function firstSegment(path: string): string {
  const segment = path.split('/')[2] ?? '';
  return segment.startsWith('{') ? ANY_SEGMENT : segment;
}

/** `/api/cases/{id}/problems/{problemId}/close` as a regular expression matching one segment per parameter. */
function pathPattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

/**
 * The methods of every documented path (HEAD comes with GET: Express answers it), by the path's first segment
 * under /api: a request is tried against the few paths of its own segment, not every path of the API.
 */
function knownPaths(document: OpenAPIObject): Map<string, KnownPath[]> {
  const bySegment = new Map<string, KnownPath[]>();
  for (const [template, item] of Object.entries(document.paths)) {
    const methods = new Set(METHODS.filter((m) => (item as Record<string, unknown>)[m] !== undefined).map((m) => m.toUpperCase()));
    if (methods.has('GET')) methods.add('HEAD');
    const segment = firstSegment(template);
    const known = { pattern: pathPattern(template), literal: !template.includes('{'), methods };
    const same = bySegment.get(segment);
    if (same) same.push(known);
    else bySegment.set(segment, [known]);
  }
  return bySegment;
}

/**
 * Express middleware, before routing: a method the API does not declare on a path it does declare
 * answers 405 with `Allow` (HTTP's rule), in the error shape, instead of Nest's 404; paths the API
 * does not know stay 404. The routes come from the OpenAPI document, which lists every one.
 */
export function methodNotAllowed(document: OpenAPIObject): RequestHandler {
  const paths = knownPaths(document);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/api/')) return next();
    // A literal path (/api/organizations/import) wins over a template that also matches it (/api/organizations/{id}).
    const candidates = [...(paths.get(firstSegment(req.path)) ?? []), ...(paths.get(ANY_SEGMENT) ?? [])];
    const matching = candidates.filter((known) => known.pattern.test(req.path));
    const literal = matching.filter((known) => known.literal);
    const allowed = new Set<string>();
    for (const known of literal.length > 0 ? literal : matching) known.methods.forEach((m) => allowed.add(m));
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    const allow = [...allowed].sort().join(', ');
    const body: ApiErrorBody = {
      statusCode: 405,
      code: CommonErrorCode.MethodNotAllowed,
      message: `该地址不支持 ${req.method} 请求（可用：${allow}）`,
      messageEn: `${req.method} is not allowed here; allowed: ${allow}`,
      details: { allow: [...allowed].sort() },
    };
    res.setHeader('Allow', allow);
    res.status(405).json(body);
  };
}
