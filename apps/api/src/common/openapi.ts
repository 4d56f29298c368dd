import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
// The storage's own entry has no typings of its CommonJS build.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { DESIGNATION_EVIDENCE_MIN_LENGTH } from '../../../../libs/domain';
import { ALLOWED_ROLES, IS_PUBLIC } from '../auth/auth.decorators';
import { PerUserConcurrencyInterceptor } from './per-user-concurrency';

/** A class or a method, as Nest's metadata is keyed. */
type Target = abstract new (...args: never[]) => unknown;
type Handler = (...args: never[]) => unknown;

/**
 * The OpenAPI document, derived from the same class-validator rules the validation pipe enforces:
 * every DTO's rules become its JSON Schema (class-validator-jsonschema), replacing what the Swagger
 * decorators say about types and limits (they keep the descriptions and examples), and the query and
 * path parameters take their schemas from their DTOs the same way. Every operation lists the error
 * statuses it can answer, each with the one error shape.
 */

/** What JavaScript's String.prototype.trim() removes, spelled out: Python's \s (the fuzzer's) differs. */
const TRIMMED = '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const NOT_BLANK = `[^${TRIMMED}]`;

/**
 * The project's own validators (registerDecorator), by the constraint name they report. The
 * dates of the DTOs (IsLocalDate, and IsDateString with a YYYY-MM-DD pattern) are calendar dates.
 */
const CUSTOM_SCHEMAS: Record<string, SchemaObject> = {
  isDateString: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  // At least N characters from the first to the last one that is not a space.
  isDesignationEvidence: { type: 'string', pattern: `${NOT_BLANK}[\\s\\S]{${DESIGNATION_EVIDENCE_MIN_LENGTH - 2},}${NOT_BLANK}` },
};

/** Every DTO's class-validator rules as JSON Schema, keyed by class name. */
function validationSchemas(): Record<string, SchemaObject> {
  const converters = { ...CUSTOM_SCHEMAS };
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: converters as never,
  }) as Record<string, SchemaObject>;
  // @IsOptional() lets null through as well as a missing field: say so.
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Target, ValidationMetadata[]> };
  for (const [target, metas] of storage.validationMetadatas) {
    const properties = schemas[target.name]?.properties ?? {};
    for (const m of metas) {
      const prop = properties[m.propertyName];
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION && m.name === 'isOptional' && prop && !('$ref' in prop)) prop.nullable = true;
    }
  }
  return schemas;
}

/** The property of a Swagger schema, with the validation's rules over its types and limits. */
function mergeProperty(swagger: SchemaObject | ReferenceObject | undefined, validation: SchemaObject | ReferenceObject): SchemaObject | ReferenceObject {
  if (!swagger || '$ref' in swagger || '$ref' in validation) return validation;
  const { description, example, examples, title } = swagger;
  const docs = Object.fromEntries(Object.entries({ description, example, examples, title }).filter(([, v]) => v !== undefined));
  // An enum of the Swagger decorators (IsIn / IsEnum say the same) keeps its values when the rule gave none.
  const enumValues = validation.enum ?? (validation.items && 'enum' in validation.items ? undefined : swagger.enum);
  return { ...validation, ...docs, ...(enumValues ? { enum: enumValues } : {}) };
}

function mergeSchema(swagger: SchemaObject | undefined, validation: SchemaObject): SchemaObject {
  const properties = Object.fromEntries(
    Object.entries(validation.properties ?? {}).map(([prop, schema]) => [prop, mergeProperty(swagger?.properties?.[prop], schema)]),
  );
  return {
    type: 'object',
    ...(swagger?.description ? { description: swagger.description } : {}),
    properties,
    ...(validation.required?.length ? { required: validation.required } : {}),
    // The pipe refuses unknown fields (forbidNonWhitelisted).
    additionalProperties: false,
  };
}

/** One route of a controller: its OpenAPI path and method, and what it takes. */
interface Route {
  path: string;
  method: string;
  controller: Target;
  handler: Handler;
  params: { type: number; data: unknown; metatype: unknown }[];
}

const METHOD_NAMES: Record<number, string> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};

function joinPath(...parts: string[]): string {
  const path = `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function routesOf(app: INestApplication, prefix: string): Route[] {
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Target | undefined;
      if (!controller) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) ?? '') as string | string[];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        if (sub === undefined || requestMethod === undefined || !METHOD_NAMES[requestMethod]) continue;
        const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? []) as unknown[];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { index: number; data: unknown }>;
        const params = Object.entries(args).map(([key, arg]) => ({ type: Number(key.split(':')[0]), data: arg.data, metatype: types[arg.index] }));
        for (const b of [base].flat()) for (const s of [sub].flat()) routes.push({ path: joinPath(prefix, b, s), method: METHOD_NAMES[requestMethod], controller, handler: handler as Handler, params });
      }
    }
  }
  return routes;
}

const ERROR_REF: ReferenceObject = { $ref: '#/components/schemas/ApiError' };

const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  description: '一切错误的答复 / the one error shape of every error',
  required: ['statusCode', 'code', 'message', 'messageEn'],
  properties: {
    statusCode: { type: 'integer', description: 'HTTP 状态码 / the HTTP status' },
    code: { type: 'string', description: '错误代码（各模块的代码表） / machine code from the module\'s code enum', example: 'VALIDATION_FAILED' },
    message: { type: 'string', description: '中文说明 / Chinese message' },
    messageEn: { type: 'string', description: '英文说明 / English message' },
    details: { description: '细节，如 fields（校验失败的字段） / details, e.g. the fields that failed validation' },
  },
};

const ERROR_WORDS: Record<number, string> = {
  400: '请求有误（VALIDATION_FAILED、MALFORMED_JSON 或业务规则） / malformed request',
  401: '未登录或令牌无效 / no or invalid bearer token',
  403: '角色无权进行此项操作 / role not allowed',
  404: '资源不存在或不在本人管辖范围内 / not found, or outside your region',
  409: '与当前状态或规则冲突 / conflicts with the current state or a rule',
  413: '请求内容过大 / body too large',
  422: '同一幂等键已用于另一请求内容 / the Idempotency-Key was used with another body',
  429: '请求过多，请按 Retry-After 稍后重试 / too many requests; retry after Retry-After seconds',
  503: '依赖服务（Temporal）暂不可用 / a service it depends on (Temporal) is unavailable',
};

/** The error statuses one route can answer, from what it takes and what guards it. */
function errorStatuses(route: Route, operation: OperationObject): number[] {
  const statuses = new Set<number>([400, 404]);
  const isPublic = Reflect.getMetadata(IS_PUBLIC, route.handler) ?? Reflect.getMetadata(IS_PUBLIC, route.controller);
  if (!isPublic) statuses.add(401);
  if (Reflect.getMetadata(ALLOWED_ROLES, route.handler) ?? Reflect.getMetadata(ALLOWED_ROLES, route.controller)) statuses.add(403);
  if (route.method !== 'get') [409, 413, 503].forEach((s) => statuses.add(s));
  if (operation.parameters?.some((p) => 'name' in p && p.in === 'header' && /^idempotency-key$/i.test(p.name))) statuses.add(422);
  const interceptors = [...((Reflect.getMetadata(INTERCEPTORS_METADATA, route.controller) ?? []) as unknown[]), ...((Reflect.getMetadata(INTERCEPTORS_METADATA, route.handler) ?? []) as unknown[])];
  if (interceptors.includes(PerUserConcurrencyInterceptor)) statuses.add(429);
  // Statuses the controller's own decorators declare stay (e.g. 429 of the sign-in limit, 503 of health).
  for (const code of Object.keys(operation.responses ?? {})) if (/^[45]\d\d$/.test(code)) statuses.add(Number(code));
  return [...statuses].sort();
}

/** Schemas of the route's query or path parameters from its DTO, or undefined when it has none. */
function dtoParameters(route: Route, type: RouteParamtypes, schemas: Record<string, SchemaObject>): Map<string, { schema: SchemaObject | ReferenceObject; required: boolean }> {
  const found = new Map<string, { schema: SchemaObject | ReferenceObject; required: boolean }>();
  for (const p of route.params) {
    if (p.type !== type || p.data !== undefined || typeof p.metatype !== 'function') continue;
    const schema = schemas[(p.metatype as Target).name];
    for (const [name, prop] of Object.entries(schema?.properties ?? {})) found.set(name, { schema: prop, required: schema.required?.includes(name) ?? false });
  }
  return found;
}

function applyRoute(document: OpenAPIObject, route: Route, schemas: Record<string, SchemaObject>): void {
  const operation = (document.paths[route.path] as Record<string, OperationObject> | undefined)?.[route.method];
  if (!operation) return;
  const query = dtoParameters(route, RouteParamtypes.QUERY, schemas);
  const path = dtoParameters(route, RouteParamtypes.PARAM, schemas);
  for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
    const own = parameter.in === 'query' ? query.get(parameter.name) : parameter.in === 'path' ? path.get(parameter.name) : undefined;
    if (!own) continue;
    parameter.schema = mergeProperty(parameter.schema, own.schema);
    if ('nullable' in parameter.schema) delete (parameter.schema as SchemaObject).nullable;
    parameter.required = parameter.in === 'path' || own.required;
  }
  // The pipe refuses unknown query fields too (forbidNonWhitelisted); the document cannot say so
  // for parameters, which is why the fuzzer's negative cases do not add them.
  const responses = (operation.responses ??= {});
  for (const status of errorStatuses(route, operation)) {
    const existing = responses[String(status)] as ResponseObject | undefined;
    responses[String(status)] = {
      description: existing?.description ?? ERROR_WORDS[status] ?? '错误 / error',
      ...(status === 429 ? { headers: { 'Retry-After': { description: '秒 / seconds to wait', schema: { type: 'integer' } } } } : {}),
      content: { 'application/json': { schema: ERROR_REF } },
    };
  }
}

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('软弱涣散基层党组织整顿 API')
      .setDescription('Rectification of weak and lax grassroots Party organizations: cases, tracks, tasks.')
      .setVersion('0.1.0')
      .build(),
  );
  const routes = routesOf(app, 'api');
  const schemas = validationSchemas();
  const components = (document.components ??= {});
  const documented = (components.schemas ??= {}) as Record<string, SchemaObject>;
  for (const [name, schema] of Object.entries(schemas)) documented[name] = mergeSchema(documented[name], schema);
  documented.ApiError = ERROR_SCHEMA;
  for (const route of routes) applyRoute(document, route, schemas);
  return document;
}
