import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { OpenAPIObject } from '@nestjs/swagger';
import { caseIdFor, ratingIdFor, type UserRole } from '../../libs/domain';
import { DeliveryEntity, EscalationEntity, NotificationEntity, RegionEntity, TaskEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';
import { apiEndpoints, fillPath, hasErrorShape, openApiDocument, type Endpoint } from '../support/openapi';

/**
 * Bad input at volume (issue 8, item 3): for every operation of the API's own OpenAPI document (so a
 * new endpoint is covered the day it is added), fast-check generates malformed requests — wrong types
 * for every body property the schema declares, missing required properties, strings past their
 * limits, control characters and other scripts, nested objects and arrays where scalars belong,
 * numbers out of range, prototype-pollution keys, malformed path parameters and query strings, wrong
 * content types, invalid and deeply nested JSON — sent by a user the endpoint's role and region
 * allow, about real rows of the home county. Properties:
 *  - never a 5xx;
 *  - every 4xx has the one error shape { statusCode, code, message (中文), messageEn };
 *  - no partial write: the home county's rows (cases and their versions, tasks, audit entries, star
 *    ratings, organizations, policies, notifications, escalations, channels, users, regions, calendar
 *    corrections) are unchanged by any request that did not succeed. A generated request that happens
 *    to be valid (an all-optional body sent as text/plain, say) may succeed: its writes are taken as
 *    the new baseline once they have settled;
 *  - Object.prototype is never polluted.
 *
 * BAD_INPUT_RUNS (default 20) sets the runs per endpoint, BAD_INPUT_SEED the seed (a fixed one by
 * default; `random` for a new one each run, printed on failure), BAD_INPUT_ONLY a substring of the
 * endpoints to run, e.g. BAD_INPUT_ONLY="POST /api/cases/{id}/team". The first failing request of an
 * endpoint is reported as sent (no shrinking: it would replay requests against a changed county);
 * BAD_INPUT_VERBOSE=1 prints each endpoint's runs and the generated requests that happened to succeed.
 */
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 20);
/** Fixed by default, so CI is reproducible; BAD_INPUT_SEED=random explores (the seed is printed on failure). */
const SEED =
  process.env.BAD_INPUT_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : process.env.BAD_INPUT_SEED !== undefined ? Number(process.env.BAD_INPUT_SEED) : 20260808;
const ONLY = process.env.BAD_INPUT_ONLY;
const VERBOSE = Boolean(process.env.BAD_INPUT_VERBOSE);

// ---------------------------------------------------------------------------------------------
// The OpenAPI schemas, as far as the generators need them.

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  $ref?: string;
  allOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

type Kind = 'enum' | 'uuid' | 'string' | 'number' | 'boolean' | 'array' | 'object';

function resolve(doc: OpenAPIObject, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(doc, (doc.components?.schemas as Record<string, Schema>)[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf?.length) {
    const { allOf, ...rest } = schema;
    return { ...allOf.reduce<Schema>((acc, s) => ({ ...acc, ...resolve(doc, s) }), {}), ...rest };
  }
  return schema;
}

function kindOf(s: Schema): Kind {
  if (s.enum) return 'enum';
  if (s.properties) return 'object';
  // Swagger describes `string | null` as an object with a maxLength.
  if (s.type === 'object' && (s.maxLength !== undefined || s.nullable)) return 'string';
  if (s.type === 'string' && s.format === 'uuid') return 'uuid';
  if (s.type === 'integer' || s.type === 'number') return 'number';
  if (s.type === 'boolean' || s.type === 'array' || s.type === 'object') return s.type as Kind;
  return 'string';
}

// ---------------------------------------------------------------------------------------------
// Generators.

/** Text as people and attackers type it: other scripts, emoji, control characters, bidi overrides. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
    fc.constantFrom('', ' ', '\u0000', '\u202e整顿\u202c', '😀👍🏽', "' OR '1'='1", '<script>alert(1)</script>', '${7*7}', '\\', '"', '\r\n', '１２３'),
  );

const longText = (minLength: number) =>
  fc.tuple(fc.constantFrom('x', '中', '😀', '\u0000', '\u200b'), fc.integer({ min: minLength + 1, max: minLength + 3000 })).map(([c, n]) => c.repeat(n));

const deepObject = fc.integer({ min: 2, max: 60 }).map((depth) => {
  let v: unknown = { x: 1 };
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
});

/** Some JSON, of any kind. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 3 }), deepObject);

/** A value of the schema's kind; possibly valid, possibly not (a fault elsewhere makes the request invalid). */
function plausible(doc: OpenAPIObject, raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, raw);
  switch (kindOf(s)) {
    case 'enum':
      return fc.constantFrom(...(s.enum as unknown[]));
    case 'uuid':
      return fc.uuid();
    case 'number': {
      const min = s.minimum ?? 0;
      const max = s.maximum ?? Math.max(1000, min);
      // A share such as 0.01–0.5 holds no integer: hundredths then.
      if (s.type === 'number' && Math.ceil(min) > Math.floor(max)) return fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((n) => n / 100);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 2 ? fc.constant([]) : fc.array(plausible(doc, s.items ?? {}, depth + 1), { maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'object':
      return depth > 2 ? fc.constant({}) : objectOf(doc, s, depth + 1);
    default:
      return fc.oneof(text(Math.min(s.maxLength ?? 40, 40)), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
  }
}

/** Ids of real rows (users, organizations, regions of the home county), so extreme bodies can reach the rules. */
const realUuids: string[] = [];

/**
 * A value the schema allows, at its edges: strings of exactly maxLength characters as the validator
 * counts them (emoji with variation selectors, combining marks, CJK), numbers at their bounds or huge
 * where unbounded, dates at the ends of the calendar, full arrays. Such a body may well be valid.
 */
function extreme(doc: OpenAPIObject, raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, raw);
  switch (kindOf(s)) {
    case 'enum':
      return fc.constantFrom(...(s.enum as unknown[]));
    case 'uuid':
      return realUuids.length ? fc.oneof(fc.constantFrom(...realUuids), fc.uuid()) : fc.uuid();
    case 'number': {
      const edges = [s.minimum, s.maximum].filter((v): v is number => v !== undefined);
      if (s.maximum === undefined) edges.push(1e15, 2 ** 53 + 2, 1e308, 123456789.125);
      if (s.minimum === undefined) edges.push(-1e15, -(2 ** 31) - 1);
      if (s.minimum !== undefined) edges.push(s.minimum + 0.5);
      return fc.constantFrom(...edges);
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 2 ? fc.constant([]) : fc.array(extreme(doc, s.items ?? {}, depth + 1), { minLength: s.maxItems ?? 0, maxLength: s.maxItems ?? 5 });
    case 'object': {
      if (depth > 2) return fc.constant({});
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, p] of Object.entries(s.properties ?? {})) record[name] = extreme(doc, p, depth + 1);
      return fc.record(record, { requiredKeys: (s.required ?? []).filter((k) => k in record) });
    }
    default: {
      const n = s.maxLength ?? 5000;
      return fc.oneof(
        // Each counts as one character to class-validator's length check.
        fc.constantFrom('❤️', '👍🏽', '中', 'x', 'é', '\u200d', '\r\n', ' ').map((c) => c.repeat(n)),
        fc.constantFrom('0001-01-01', '9999-12-31', '1970-01-01', '2026-02-28', '2100-12-31', '2000-01-01T00:00:00Z'),
        text(Math.min(n, 40)),
      );
    }
  }
}

function objectOf(doc: OpenAPIObject, s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, p] of Object.entries(props)) record[name] = plausible(doc, p, depth);
  return fc.record(record, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
}

/** A value that no validator of the schema accepts. */
function wrong(doc: OpenAPIObject, raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, raw);
  const nonNumericText = fc.stringMatching(/^[a-z]{1,12}$/);
  const options: fc.Arbitrary<unknown>[] = [];
  switch (kindOf(s)) {
    case 'enum':
      options.push(fc.constantFrom('not-in-the-list', 'ZZ', '__proto__', 'c1'), fc.integer({ min: 1000, max: 10 ** 6 }), fc.constant({}), fc.constant(['x']));
      if (s.enum?.every((v) => typeof v === 'number')) options.push(fc.constantFrom(...(s.enum as number[]).map(String)), fc.constantFrom(0, -1, 1.5, 99));
      break;
    case 'uuid':
      options.push(fc.constantFrom('not-a-uuid', '', '00000000-0000-0000-0000-00000000000g', "' OR 1=1 --", '../x'), fc.integer(), fc.constant({}), fc.constant([randomUUID()]));
      break;
    case 'string':
      options.push(fc.integer(), fc.boolean(), fc.constant({}), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string(), { minKeys: 1, maxKeys: 3 }), fc.array(fc.string(), { maxLength: 3 }), deepObject);
      if (s.maxLength !== undefined) options.push(longText(s.maxLength));
      if (s.minLength !== undefined && s.minLength > 1) options.push(fc.string({ maxLength: s.minLength - 1 }).filter((v) => v.trim().length < (s.minLength as number)));
      break;
    case 'number':
      // Never booleans, numeric strings, '' or [n]: query-style DTOs convert those to numbers.
      options.push(nonNumericText, fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e400x'), fc.constant({ n: 1 }), fc.constant(['x']), deepObject);
      if (s.minimum !== undefined) options.push(fc.integer({ min: 1, max: 10 ** 9 }).map((d) => (s.minimum as number) - d), fc.constant(-1e308));
      if (s.maximum !== undefined) options.push(fc.integer({ min: 1, max: 10 ** 9 }).map((d) => (s.maximum as number) + d), fc.constant(1e308));
      break;
    case 'boolean':
      options.push(fc.constantFrom('true', 'false', 'yes', '1', ''), fc.integer(), fc.constant({}), fc.constant([true]));
      break;
    case 'array':
      options.push(fc.string(), fc.integer(), fc.constant({ 0: 'x', length: 1 }), fc.boolean());
      if (depth < 2) options.push(fc.tuple(wrong(doc, s.items ?? {}, depth + 1), fc.array(plausible(doc, s.items ?? {}, depth + 1), { maxLength: 2 })).map(([bad, rest]) => [...rest, bad]));
      if (s.maxItems !== undefined) {
        const max = s.maxItems;
        options.push(fc.integer({ min: max + 1, max: max + 20 }).chain((n) => fc.array(plausible(doc, s.items ?? {}, depth + 1), { minLength: n, maxLength: n })));
      }
      break;
    case 'object': {
      options.push(fc.string(), fc.integer(), fc.boolean(), fc.constant(['x']));
      const props = Object.entries(s.properties ?? {});
      if (depth < 2 && props.length > 0) {
        options.push(
          fc
            .tuple(objectOf(doc, s, depth + 1), fc.constantFrom(...props))
            .chain(([base, [name, p]]) => wrong(doc, p, depth + 1).map((v) => ({ ...base, [name]: v }))),
        );
      }
      options.push(fc.tuple(objectOf(doc, s, depth + 1), unknownKey(s)).map(([base, [k, v]]) => ({ ...base, [k]: v })));
      break;
    }
  }
  return fc.oneof(...options);
}

/** A key the schema does not declare, with any value: whitelisting refuses it. */
function unknownKey(s: Schema): fc.Arbitrary<[string, unknown]> {
  const declared = new Set(Object.keys(s.properties ?? {}));
  const keys = ['constructor', 'prototype', 'isAdmin', 'role', 'countyId', 'version', 'id', 'userId', 'hasOwnProperty', 'toString', 'valueOf', '$where', 'a.b', ''].filter((k) => !declared.has(k));
  return fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.stringMatching(/^[a-z]{3,10}_[a-z0-9]{2,6}$/)), anyJson);
}

/** A request as sent: path, query string, headers and body. */
interface BadRequest {
  what: string;
  path: string;
  query: string;
  contentType?: string;
  body?: string | Buffer;
  multipart?: { field: string; filename: string; content: Buffer; contentType: string }[];
}

const INVALID_JSON = ['{', '{"a":', "{'a':1}", '{"a":1,}', 'nul', '[1,2', '{"a":"\u0000', '\ufeff{}x', '{"a":1}{"b":2}', 'undefined', '<xml/>', '{"a":NaN}', '{"__proto__":'];
const NON_OBJECT_JSON = ['[]', '[{}]', '[{"a":1}]', '"text"', '1', '-0', 'null', 'true', '1e999', '{}'];

/** Bodies wrong as a whole: not JSON, not an object, nested too deep, too large, or of another content type. */
function wholeBodyFault(validLooking: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Pick<BadRequest, 'what' | 'contentType' | 'body'>> {
  return fc.oneof(
    fc.constantFrom(...INVALID_JSON).map((body) => ({ what: `invalid JSON ${JSON.stringify(body)}`, contentType: 'application/json', body })),
    fc.constantFrom(...NON_OBJECT_JSON).map((body) => ({ what: `JSON ${body}`, contentType: 'application/json', body })),
    fc.integer({ min: 100, max: 12000 }).map((depth) => ({ what: `JSON nested ${depth} deep`, contentType: 'application/json', body: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` })),
    fc.integer({ min: 100, max: 20000 }).map((depth) => ({ what: `JSON arrays nested ${depth} deep`, contentType: 'application/json', body: `${'['.repeat(depth)}${']'.repeat(depth)}` })),
    fc.constant({ what: 'a body over 100 kB', contentType: 'application/json', body: JSON.stringify({ note: 'x'.repeat(120 * 1024) }) }),
    fc.constant({ what: 'an empty JSON body', contentType: 'application/json', body: '' }),
    fc.constantFrom('application/json; charset=utf-16', 'application/json; charset=latin-9', 'application/json; charset=""').map((contentType) => ({ what: `content type ${contentType}`, contentType, body: '{}' })),
    fc
      .tuple(validLooking, fc.constantFrom('text/plain', 'application/xml', 'application/octet-stream', 'image/png', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json', ''))
      .map(([body, contentType]) => ({ what: `a JSON body sent as "${contentType}"`, contentType, body: JSON.stringify(body) })),
    fc
      .constantFrom('a[b][c]=1&a[b][d]=2', '__proto__[polluted]=yes', 'constructor[prototype][polluted]=yes', 'reason=%E0%A4%A&x', 'a=1&a=2&a=3', `${'a'.repeat(2000)}=1`)
      .map((body) => ({ what: `a form body ${body.slice(0, 40)}`, contentType: 'application/x-www-form-urlencoded', body })),
  );
}

/** A JSON body of the schema with at least one property wrong, or missing, or one undeclared. */
function bodyFault(doc: OpenAPIObject, schema: Schema): fc.Arbitrary<Pick<BadRequest, 'what' | 'contentType' | 'body'>> {
  const s = resolve(doc, schema);
  const props = Object.entries(s.properties ?? {});
  const base = objectOf(doc, s, 0);
  const faults: fc.Arbitrary<Pick<BadRequest, 'what' | 'contentType' | 'body'>>[] = [];
  const json = (what: string, value: unknown) => ({ what, contentType: 'application/json', body: JSON.stringify(value) });
  if (props.length > 0) {
    faults.push(
      fc
        .tuple(base, fc.constantFrom(...props))
        .chain(([b, [name, p]]) => wrong(doc, p).map((v) => json(`${name} = ${JSON.stringify(v)?.slice(0, 80)}`, { ...b, [name]: v }))),
    );
  }
  const required = (s.required ?? []).filter((k) => props.some(([name]) => name === k));
  if (required.length > 0) {
    faults.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([b, name]) => {
        const copy = { ...b };
        delete copy[name];
        return json(`without ${name}`, copy);
      }),
    );
  }
  faults.push(fc.tuple(base, unknownKey(s)).map(([b, [k, v]]) => json(`undeclared ${JSON.stringify(k)}`, { ...b, [k]: v })));
  // "__proto__" as a JSON key becomes an own property, as an attacker sends it; may be valid otherwise.
  faults.push(
    fc.tuple(base, fc.constantFrom('{"polluted":"yes"}', '{"toString":1}', 'null', '[]')).map(([b, proto]) => ({
      what: `__proto__ ${proto}`,
      contentType: 'application/json',
      body: `{"__proto__":${proto}${Object.keys(b).length ? `,${JSON.stringify(b).slice(1)}` : '}'}`,
    })),
  );
  faults.push(wholeBodyFault(base));
  return fc.oneof(...faults);
}

// ---------------------------------------------------------------------------------------------
// Path parameters and query strings.

const MALFORMED_PARAMS = [
  '..',
  '.',
  '../../../../etc/passwd',
  '%2e%2e%2f',
  'null',
  'undefined',
  '0',
  '-1',
  'NaN',
  'Infinity',
  '1e309',
  '99999999999999999999',
  '__proto__',
  'constructor',
  "' OR '1'='1",
  '{"$gt":""}',
  '\u0000',
  '\u202e',
  '😀',
  ' ',
  'case-9999-x',
  '2026-02-30',
  '00000000-0000-0000-0000-000000000000',
];
/** Raw in the URL, not encoded: path traversal and broken percent-encoding. */
const RAW_PARAMS = ['..', '.', '%', '%zz', '%E0%A4%A', '%00', '%2F', '..%2F..%2F', ';x=1'];

const malformedParam: fc.Arbitrary<{ raw: boolean; value: string }> = fc.oneof(
  fc.constantFrom(...MALFORMED_PARAMS).map((value) => ({ raw: false, value })),
  fc.constantFrom(...RAW_PARAMS).map((value) => ({ raw: true, value })),
  fc.uuid().map((value) => ({ raw: false, value })),
  fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).map((value) => ({ raw: false, value })),
  fc.integer({ min: 256, max: 4000 }).map((n) => ({ raw: false, value: 'a'.repeat(n) })),
);

const pathNames = (template: string) => [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/** The path with one parameter malformed (raw or encoded), the others real. */
function pathArb(template: string, real: (name: string) => string): fc.Arbitrary<{ path: string; what: string }> {
  const names = pathNames(template);
  return fc.tuple(fc.constantFrom(...names), malformedParam).map(([bad, p]) => ({
    path: template.replace(/\{([^}]+)\}/g, (_m, name: string) => (name !== bad ? encodeURIComponent(real(name)) : p.raw ? p.value : encodeURIComponent(p.value))),
    what: `path ${bad} = ${JSON.stringify(p.value.slice(0, 40))}${p.raw ? ' (raw)' : ''}`,
  }));
}

function malformedQueryValue(s: Schema): fc.Arbitrary<string> {
  const common = fc.oneof(fc.string({ maxLength: 30, unit: 'grapheme' }), fc.constantFrom('', '%', 'null', '__proto__', '\u0000'), longText(500));
  switch (kindOf(s)) {
    case 'number':
      return fc.oneof(fc.constantFrom('abc', '1.5', '-1', '0', '1e400', '99999999999999999999999', 'NaN', 'Infinity', '0x10', ' 12 ', '2026abc'), common);
    case 'uuid':
      return fc.oneof(fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-00000000000g', "' OR 1=1 --"), common);
    case 'boolean':
      return fc.oneof(fc.constantFrom('maybe', 'TRUE', '1', 'yes'), common);
    case 'enum':
      return fc.oneof(fc.constantFrom('not-in-the-list', 'ZZ', '-1'), common);
    default:
      return s.format === 'date' ? fc.oneof(fc.constantFrom('2026-02-30', '2026-13-01', '20260101', 'yesterday', '2026-1-1', '0000-00-00'), common) : common;
  }
}

/** A query string with one declared parameter malformed (the others absent or plausible), or with undeclared or hostile keys. */
function queryArb(doc: OpenAPIObject, params: Parameter[]): fc.Arbitrary<{ query: string; what: string }> {
  const declared = params.filter((p) => p.in === 'query');
  const hostile = fc.constantFrom(
    '__proto__[polluted]=yes',
    'constructor[prototype][polluted]=yes',
    '__proto__.polluted=yes',
    'unknown=1',
    'a[b][c][d][e][f]=1',
    '%zz=1',
    '&&&',
    '=',
    'x=%E0%A4%A',
    `${'k'.repeat(3000)}=1`,
  );
  const options: fc.Arbitrary<string[]>[] = [hostile.map((e) => [e])];
  if (declared.length > 0) {
    const others = fc.tuple(
      ...declared.map((p) =>
        fc.oneof(
          { arbitrary: fc.constant<string[]>([]), weight: 2 },
          { arbitrary: plausible(doc, resolve(doc, p.schema)).map((v) => [`${encodeURIComponent(p.name)}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`]), weight: 1 },
        ),
      ),
    );
    const bad = fc.constantFrom(...declared).chain((p) => {
      const s = resolve(doc, p.schema);
      const name = encodeURIComponent(p.name);
      return fc
        .oneof(
          malformedQueryValue(s).map((v) => [`${name}=${encodeURIComponent(v)}`]),
          fc.tuple(malformedQueryValue(s), malformedQueryValue(s)).map(([a, b]) => [`${name}=${encodeURIComponent(a)}`, `${name}=${encodeURIComponent(b)}`]),
          fc.constantFrom(`${name}[a]=1`, `${name}[]=1&${name}[]=2`, `${name}[$ne]=`, `${name}=%zz`, name).map((e) => [e]),
        )
        .map((entries) => ({ name: p.name, entries }));
    });
    options.push(
      fc.tuple(others, bad).map(([rest, b]) => {
        const index = declared.findIndex((p) => p.name === b.name);
        return rest.flatMap((entries, i) => (i === index ? b.entries : entries));
      }),
    );
  }
  return fc.oneof(...options).map((all) => ({ query: all.length ? `?${all.join('&')}` : '', what: all.length ? `query ${all.join('&').slice(0, 120)}` : '' }));
}

/** The import endpoint's multipart uploads: garbage files, wrong field names, hostile file names, no file at all. */
function multipartArb(): fc.Arbitrary<Pick<BadRequest, 'what' | 'multipart' | 'contentType' | 'body'>> {
  const filename = fc.oneof(
    fc.constantFrom('orgs.csv', 'orgs.xlsx', 'orgs.xls', '../../etc/passwd', '组织.xlsx', 'x.exe', '.csv', 'a"b.csv', 'a\r\nb.csv'),
    fc.integer({ min: 200, max: 2000 }).map((n) => `${'n'.repeat(n)}.csv`),
  );
  const content = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
    fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(a)])),
    fc.array(fc.array(text(30), { maxLength: 6 }), { maxLength: 20 }).map((rows) => Buffer.from(['编码,名称,类型,所在村（社区）或乡镇编码', ...rows.map((r) => r.join(','))].join('\n'))),
    fc.constantFrom('', 'code,name\n', '\ufeffcode,name,domain,regionCode\nX1,"unterminated,village,1\n', '编码,名称\n=cmd|" /C calc"!A0,x\n').map((t) => Buffer.from(t)),
  );
  const part = fc.record({
    field: fc.constantFrom('file', 'file', 'upload', 'files', ''),
    filename,
    content,
    contentType: fc.constantFrom('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'image/png', 'application/json'),
  });
  return fc.oneof(
    fc.array(part, { minLength: 1, maxLength: 3 }).map((multipart) => ({ what: `upload ${multipart.map((p) => `${p.field}:${p.filename.slice(0, 30)} (${p.content.length} B)`).join(', ')}`, multipart })),
    fc.constant<Pick<BadRequest, 'what' | 'multipart'>>({ what: 'no file', multipart: [] }),
    fc.constant({ what: 'JSON instead of a file', contentType: 'application/json', body: '{"file":"x"}' }),
    fc.constant({ what: 'a broken multipart body', contentType: 'multipart/form-data; boundary=zzz', body: '--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc' }),
    fc.constant({ what: 'multipart without a boundary', contentType: 'multipart/form-data', body: 'abc' }),
  );
}

// ---------------------------------------------------------------------------------------------

describe('bad input on every endpoint (property-based)', () => {
  let h: Harness;
  let home: Personas;
  let doc: OpenAPIObject;
  let endpoints: Endpoint[];
  const ids: Record<string, string> = {};
  const homeUserIds: string[] = [];
  let countyId: string;
  /** Calls the endpoints of one's own session (sign-out, password change), which would end a persona's. */
  let ownSession: TestUser;
  /** The organization department of a province (no county below it), for the template routes only it may call. */
  let provinceAdmin: TestUser;

  beforeAll(async () => {
    h = await startHarness();
    const a = await createRegionWithOrganizations(h.dataSource, 2);
    countyId = a.county.id;
    const org = a.organizations[0];
    home = await personas(h.app, h.dataSource, { countyId, townshipId: a.township.id, villageId: org.regionId });
    homeUserIds.push(...Object.values(home).map((u) => u.id));
    ownSession = await signedInUser(h.app, h.dataSource, 'county_leader', countyId, { name: '会话测试' });
    const provinceId = randomUUID();
    await h.dataSource.getRepository(RegionEntity).save({ id: provinceId, code: `P${provinceId.slice(0, 8)}`, name: '测试省', level: 'province', parentId: null, path: `/${provinceId}/` });
    provinceAdmin = await signedInUser(h.app, h.dataSource, 'province_org_admin', provinceId, { name: '省委组织部干部' });
    ids.provinceId = provinceId;
    const admin = as(h.app, home.countyAdmin);

    // Real rows of the home county, so that requests get past the region check to the input checks.
    const caseId = caseIdFor(org.id, 2026);
    await admin.post('/api/cases').send({ organizationId: org.id, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    const taskKey = await eventually(async () => (await h.dataSource.getRepository(TaskEntity).findOneBy({ caseId }))?.key, 15000, 'a task');
    await admin.post('/api/star-ratings').send({ organizationId: a.organizations[1].id, year: 2026 }).expect(201);
    // An account of its own for /api/users/{id}: an edit or a reset that happens to be valid must not end a caller's session.
    const account = await admin.post('/api/users').send({ username: `bad-input-${randomUUID().slice(0, 8)}`, name: '测试队员', role: 'team_member', regionId: org.regionId }).expect(201);
    const channel = await admin.post(`/api/townships/${a.township.id}/channels`).send({ kind: 'webhook', name: '测试渠道', url: 'https://hooks.example.invalid/notify' }).expect(201);
    const notification = await h.dataSource.getRepository(NotificationEntity).save({
      key: `bad-input:${randomUUID()}`,
      userId: home.countyAdmin.id,
      caseId,
      noticeKey: 'bad-input',
      deadlineKey: 'bad-input',
      kind: 'quarter_visit',
      rung: 'reminder',
      title: '调研指导提醒',
      body: '本季度尚未开展调研指导',
    });
    const escalation = await h.dataSource.getRepository(EscalationEntity).save({
      key: `bad-input:${randomUUID()}`,
      caseId,
      countyId,
      townshipId: a.township.id,
      organizationName: org.name,
      deadlineKey: 'bad-input',
      kind: 'quarter_visit',
      rung: 'supervision',
      title: '督办',
      reason: '逾期未开展调研指导',
      deadline: '2026-03-31',
      daysOverdue: 1,
      recipients: { recipients: [], userIds: homeUserIds },
      raisedAt: new Date(),
    });
    // A failed delivery, for /api/deliveries/{id}/resend, of a channel deleted since: a re-send that happened
    // to be valid would wake a dispatcher whose send lands after the request, outside what this test can wait for.
    const gone = await admin.post(`/api/townships/${a.township.id}/channels`).send({ kind: 'webhook', name: '已删除的渠道', url: 'https://hooks.example.invalid/gone' }).expect(201);
    const delivery = await h.dataSource.getRepository(DeliveryEntity).save({
      key: `bad-input:${randomUUID()}`,
      channelId: gone.body.id,
      caseId,
      notice: {
        key: 'bad-input',
        caseId,
        organizationName: org.name,
        countyId,
        townshipId: a.township.id,
        deadlineKey: 'bad-input',
        kind: 'quarter_visit',
        rung: 'supervision',
        rungLabel: '督办',
        title: '督办',
        reason: '逾期未开展调研指导',
        dueOn: '2026-03-31',
        offsetDays: 1,
        recipientNames: [],
      },
      status: 'failed',
      lastError: 'Webhook 应答 HTTP 500',
    });
    await admin.delete(`/api/channels/${gone.body.id}`).expect(204);
    Object.assign(ids, {
      deliveryId: delivery.id,
      caseId,
      taskKey,
      ratingId: ratingIdFor(a.organizations[1].id, 2026),
      organizationId: org.id,
      channelId: channel.body.id,
      notificationId: notification.id,
      escalationId: escalation.id,
      userId: account.body.user.id,
      regionId: org.regionId,
      countyId,
      townshipId: a.township.id,
    });
    realUuids.push(...homeUserIds, ...a.organizations.map((o) => o.id), a.township.id, countyId);
    doc = openApiDocument(h.app);
    // Endpoints that end or delete what the others work on go last (a removed case refuses everything);
    // signing out, which ends the caller's session, after them.
    const ending = (e: Endpoint) => (e.template === '/api/auth/logout' ? 2 : Number(e.method === 'delete' || e.template.endsWith('/remove-from-list')));
    endpoints = apiEndpoints(h.app)
      .filter((e) => !ONLY || e.name.includes(ONLY))
      .sort((x, y) => ending(x) - ending(y));
  });
  afterAll(() => h?.close());

  /** The real value of a path parameter of the endpoint. */
  function realParam(template: string, name: string): string {
    switch (name) {
      case 'id':
        if (template.startsWith('/api/cases/')) return ids.caseId;
        if (template.startsWith('/api/star-ratings/')) return ids.ratingId;
        if (template.startsWith('/api/organizations/')) return ids.organizationId;
        if (template.startsWith('/api/channels/')) return ids.channelId;
        if (template.startsWith('/api/notifications/')) return ids.notificationId;
        if (template.startsWith('/api/escalations/')) return ids.escalationId;
        if (template.startsWith('/api/documents/escalations/')) return ids.escalationId;
        if (template.startsWith('/api/users/')) return ids.userId;
        // Placing a county: the caller's province itself is a target (省直管县).
        if (template === '/api/regions/{id}/counties') return ids.provinceId;
        if (template.startsWith('/api/regions/')) return ids.regionId;
        if (template.startsWith('/api/deliveries/')) return ids.deliveryId;
        throw new Error(`no real id for ${template}: add one to this test`);
      case 'key':
        return ids.taskKey;
      case 'countyId':
        return ids.countyId;
      case 'townshipId':
        return ids.townshipId;
      case 'regionId':
        return ids.provinceId;
      case 'batchYear':
      case 'year':
        return '2026';
      case 'date':
        return '2026-10-01';
      default:
        // problemId, measureId, objectionId: the body is checked before the record is looked up.
        return `${name}-1`;
    }
  }

  /** A user the endpoint allows by role, in the home county (a village role where nothing else may). */
  function callerFor(e: Endpoint): TestUser {
    if (e.template === '/api/auth/logout' || e.template === '/api/auth/password') return ownSession;
    const preference: [UserRole, TestUser][] = [
      ['county_org_admin', home.countyAdmin],
      ['township_party_secretary', home.townshipSecretary],
      ['team_leader', home.teamLeader],
      ['county_leader', home.countyLeader],
      ['county_party_secretary', home.countySecretary],
      ['team_member', home.teamMember],
      ['inspector', home.inspector],
      ['province_org_admin', provinceAdmin],
    ];
    return (preference.find(([role]) => !e.roles || e.roles.includes(role)) ?? preference[0])[1];
  }

  /** Everything of the home county a request could write, in one query. */
  async function snapshot(): Promise<Record<string, string>> {
    const digest = (table: string, where: string, order: string) =>
      `(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${order}), '')) || ':' || count(*) FROM ${table} t WHERE ${where})`;
    const homeCases = `(SELECT id FROM rectification_case WHERE county_id::text = $1::text)`;
    const [row] = await h.dataSource.query(
      `SELECT
         ${digest('rectification_case', 'county_id::text = $1::text', 't.id')} AS cases,
         ${digest('task', 'county_id::text = $1::text', 't.key')} AS tasks,
         (SELECT count(*)::text FROM audit_entry a WHERE a.case_id IN ${homeCases} OR a.actor_id = ANY($2::text[])
            OR a.payload->>'countyId' = $1::text OR a.payload->>'ratingId' IN (SELECT id FROM star_rating WHERE county_id::text = $1::text)) AS audit,
         ${digest('star_rating', 'county_id::text = $1::text', 't.id')} AS ratings,
         ${digest('organization', 'county_id::text = $1::text', 't.id')} AS organizations,
         ${digest('county_policy', 'county_id::text = $1::text', 't.version')} AS policies,
         ${digest('notification', `user_id::text = ANY($2::text[]) OR case_id IN ${homeCases}`, 't.id')} AS notifications,
         ${digest('escalation', 'county_id::text = $1::text', 't.id')} AS escalations,
         ${digest('notification_channel', 'county_id::text = $1::text', 't.id')} AS channels,
         ${digest('delivery', 'channel_id IN (SELECT id FROM notification_channel WHERE county_id::text = $1::text)', 't.id')} AS deliveries,
         ${digest('app_user', `region_id IN (SELECT id FROM region WHERE path LIKE '/' || $1::text || '/%')`, 't.id')} AS users,
         ${digest('region', `path LIKE '/' || $1::text || '/%'`, 't.id')} AS regions,
         ${digest('calendar_day', 'updated_by_id = ANY($2::text[])', 't.date')} AS calendar`,
      [countyId, homeUserIds],
    );
    return row;
  }

  /**
   * Waits until the home county's rows stop changing (the workflows' projections have landed); a
   * request that changed nothing at once (marking read what was read) needs a shorter wait.
   */
  async function settled(previous?: Record<string, string>): Promise<Record<string, string>> {
    let last = await snapshot();
    let stableSince = Date.now();
    const quiet = previous !== undefined && JSON.stringify(last) === JSON.stringify(previous) ? 100 : 250;
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const next = await snapshot();
      if (JSON.stringify(next) !== JSON.stringify(last)) {
        last = next;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= quiet && (await workflowsIdle())) {
        return last;
      }
    }
    return last;
  }

  /** No workflow of the home county has an activity or a workflow task still to run (a projection still to land). */
  async function workflowsIdle(): Promise<boolean> {
    const rows: { id: string }[] = await h.dataSource.query(
      `SELECT id FROM rectification_case WHERE county_id::text = $1 UNION ALL SELECT id FROM star_rating WHERE county_id::text = $1`,
      [countyId],
    );
    for (const { id } of rows) {
      const { status, raw } = await h.client.workflow.getHandle(id).describe();
      if (status.name === 'RUNNING' && ((raw.pendingActivities?.length ?? 0) > 0 || raw.pendingWorkflowTask)) return false;
    }
    return true;
  }

  /**
   * One fault at a time, so that no fault hides another: a malformed path parameter, a malformed
   * query parameter, or a malformed body — the rest as a caller would send it. Besides, bodies at the
   * edges of what the schema allows (which may be valid and succeed).
   */
  function requestArb(e: Endpoint): fc.Arbitrary<BadRequest> {
    const params = (e.operation.parameters ?? []) as Parameter[];
    const realPath = fc.constant({ path: fillPath(e.template, Object.fromEntries(pathNames(e.template).map((n) => [n, realParam(e.template, n)]))), what: '' });
    const noQuery = fc.constant({ query: '', what: '' });
    const content = (e.operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content ?? {};
    const jsonSchema = content['application/json']?.schema;
    type Body = Pick<BadRequest, 'what' | 'contentType' | 'body' | 'multipart'>;
    const noBody = fc.constant<Body>({ what: '' });
    let plainBody: fc.Arbitrary<Body> = noBody;
    let badBody: fc.Arbitrary<Body> = wholeBodyFault(fc.constant({}));
    if (content['multipart/form-data']) {
      badBody = multipartArb();
      plainBody = multipartArb();
    } else if (jsonSchema) {
      badBody = bodyFault(doc, jsonSchema);
      plainBody = objectOf(doc, resolve(doc, jsonSchema), 0).map((b) => ({ what: '', contentType: 'application/json', body: JSON.stringify(b) }));
    }
    const combine = (p: fc.Arbitrary<{ path: string; what: string }>, q: fc.Arbitrary<{ query: string; what: string }>, b: fc.Arbitrary<Body>) =>
      fc.tuple(p, q, b).map(([pp, qq, bb]): BadRequest => ({ ...bb, path: pp.path, query: qq.query, what: [pp.what, qq.what, bb.what].filter(Boolean).join('; ') || 'no fault in the request' }));
    const sites: { arbitrary: fc.Arbitrary<BadRequest>; weight: number }[] = [{ arbitrary: combine(realPath, noQuery, badBody), weight: 3 }];
    if (pathNames(e.template).length > 0) sites.push({ arbitrary: combine(pathArb(e.template, (name) => realParam(e.template, name)), noQuery, plainBody), weight: 2 });
    sites.push({ arbitrary: combine(realPath, queryArb(doc, params), plainBody), weight: params.some((p) => p.in === 'query') ? 3 : 1 });
    if (jsonSchema) {
      sites.push({
        arbitrary: combine(realPath, noQuery, extreme(doc, jsonSchema).map((b) => ({ what: `at the edges ${JSON.stringify(b).slice(0, 100)}`, contentType: 'application/json', body: JSON.stringify(b) }))),
        weight: 1,
      });
    }
    return fc.oneof(...sites);
  }

  async function send(e: Endpoint, user: TestUser, r: BadRequest) {
    let req = request(h.app.getHttpServer())[e.method](`${r.path}${r.query}`).set('Authorization', `Bearer ${user.token}`);
    if (r.multipart) {
      for (const part of r.multipart) req = req.attach(part.field, part.content, { filename: part.filename, contentType: part.contentType });
      return req;
    }
    if (r.contentType !== undefined) req = req.set('Content-Type', r.contentType);
    return r.body !== undefined ? req.send(r.body) : req;
  }

  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join();

  it('covers every endpoint of the OpenAPI document with a caller allowed by role', () => {
    expect(endpoints.length).toBeGreaterThan(ONLY ? 0 : 60);
    for (const e of endpoints) if (!e.isPublic) expect(!e.roles || e.roles.includes(callerFor(e).role)).toBe(true);
  });

  it('never answers 5xx, answers every 4xx in the error shape, and never writes part of a refused request', async () => {
    const report: string[] = [];
    const succeeded: string[] = [];
    const began = Date.now();
    let requests = 0;
    let baseline = await settled();
    for (const e of endpoints) {
      const user = callerFor(e);
      const started = Date.now();
      const result = await fc.check(
        fc.asyncProperty(requestArb(e), async (r) => {
          const res = await send(e, user, r);
          const where = `${e.name} as ${user.role}: ${r.what || 'no fault in the request'} → ${res.status}`;
          if (res.status >= 500) throw new Error(`${where} ${res.text.slice(0, 300)}`);
          if (res.status >= 400 && !hasErrorShape(res.status, res.body)) throw new Error(`${where} without the error shape: ${res.text.slice(0, 300)}`);
          if (Object.getOwnPropertyNames(Object.prototype).sort().join() !== prototypeKeys || ({} as Record<string, unknown>).polluted !== undefined) {
            throw new Error(`${where} polluted Object.prototype`);
          }
          if (res.status < 300 && e.method !== 'get') {
            // A valid request slipped through: what it wrote (once settled) is the new baseline.
            succeeded.push(where);
            baseline = await settled(baseline);
            return;
          }
          const after = await snapshot();
          const changed = Object.keys(after).filter((k) => after[k] !== baseline[k]);
          if (changed.length > 0) {
            baseline = await settled();
            throw new Error(`${where} but changed ${changed.join(', ')}`);
          }
        }),
        // The first failure is reported as it was sent (shrinking would replay many requests against a changing county).
        { numRuns: RUNS, seed: SEED, endOnFailure: true, interruptAfterTimeLimit: 20000, markInterruptAsFailure: false },
      );
      requests += result.numRuns;
      if (VERBOSE) process.stdout.write(`[bad-input] ${e.name}: ${result.numRuns} runs${result.failed ? ' FAILED' : ''} ${Date.now() - started} ms\n`);
      if (result.failed) {
        const message = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        report.push(`${message}\n    (reproduce: BAD_INPUT_SEED=${result.seed} BAD_INPUT_ONLY="${e.name}")`);
      }
    }
    process.stdout.write(
      `[bad-input] seed ${SEED}: ${requests} requests to ${endpoints.length} endpoints in ${((Date.now() - began) / 1000).toFixed(1)} s; ${succeeded.length} happened to be valid and succeeded${VERBOSE ? `:\n  ${succeeded.join('\n  ')}` : ' (BAD_INPUT_VERBOSE=1 lists them)'}\n`,
    );
    expect(report).toEqual([]);
  }, 600_000);

  describe('inputs the generators found (each once a 5xx or a silent acceptance)', () => {
    const admin = () => as(h.app, home.countyAdmin);
    const expectRefused = (res: { status: number; body: unknown }, status: number) => {
      expect(res.status).toBe(status);
      expect(hasErrorShape(status, res.body)).toBe(true);
    };

    it('JSON nested thousands of levels deep answers 400, not a stack overflow', async () => {
      const before = await settled();
      for (const body of [`${'['.repeat(2000)}${']'.repeat(2000)}`, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, `{"reason":${'['.repeat(40)}${']'.repeat(40)}}`]) {
        const res = await admin().post(`/api/cases/${ids.caseId}/remove-from-list`).set('Content-Type', 'application/json').send(body);
        expectRefused(res, 400);
        expect(res.body.details.fields[0].problems[0].constraint).toBe('maxDepth');
      }
      expect(await snapshot()).toEqual(before);
    });

    it('a NUL character in a text field answers 400 naming the field, before the workflow keeps it (PostgreSQL cannot store it)', async () => {
      const before = await settled();
      const res = await admin().post(`/api/star-ratings/${ids.ratingId}/objections`).send({ objector: '群众来信', content: 'a\u0000b' });
      expectRefused(res, 400);
      expect(res.body.details.fields[0]).toMatchObject({ field: 'content', problems: [{ constraint: 'noNulCharacter' }] });
      expect(res.body.message).toContain('异议内容');
      const surrogate = await admin().post(`/api/star-ratings/${ids.ratingId}/objections`).set('Content-Type', 'application/json').send('{"objector":"\\ud800","content":"x"}');
      expectRefused(surrogate, 400);
      expect(surrogate.body.details.fields[0]).toMatchObject({ field: 'objector', problems: [{ constraint: 'wellFormedUnicode' }] });
      expect(await snapshot()).toEqual(before);
    });

    it('a NUL character in the URL answers 400 before any lookup', async () => {
      expectRefused(await admin().get(`/api/cases/a%00b/audit`), 400);
      expectRefused(await admin().get(`/api/tasks?caseId=%00`), 400);
      expectRefused(await admin().post(`/api/tasks/%00/claim`), 400);
    });

    it('__proto__, constructor and prototype keys are refused like any unknown field, not dropped', async () => {
      const before = await settled();
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const res = await admin().put('/api/calendar/days/2026-10-08').set('Content-Type', 'application/json').send(`{"${key}":{"polluted":"yes"},"isWorkday":true}`);
        expectRefused(res, 400);
        expect(res.body.details.fields[0]).toMatchObject({ field: key, problems: [{ constraint: 'whitelistValidation' }] });
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await snapshot()).toEqual(before);
    });

    it('offsets past what PostgreSQL can skip answer 400, not 500', async () => {
      for (const url of ['/api/organizations?offset=99999999999999999999999', '/api/cases?offset=9223372036854775807', '/api/star-ratings?year=2026&offset=1e21']) {
        const res = await admin().get(url);
        expectRefused(res, 400);
        expect(res.body.details.fields[0]).toMatchObject({ field: 'offset', problems: [{ constraint: 'max' }] });
      }
    });

    it('the date 0000-01-01 (no year 0; PostgreSQL refuses it) answers 400, not 500', async () => {
      const res = await admin().get('/api/tasks?dueBefore=0000-01-01');
      expectRefused(res, 400);
      expect(res.body.details.fields[0]).toMatchObject({ field: 'dueBefore' });
    });

    it('text of the documented length is counted as PostgreSQL counts it: "❤️" is two characters, not one', async () => {
      const before = await settled();
      const res = await admin().put('/api/calendar/days/2026-10-09').send({ isWorkday: true, name: '❤️'.repeat(100) });
      expectRefused(res, 400);
      expect(res.body.details.fields[0]).toMatchObject({ field: 'name', problems: [{ constraint: 'maxLength' }] });
      const nested = await as(h.app, home.townshipSecretary)
        .post(`/api/cases/${ids.caseId}/team`)
        .send({ arrivedOn: '2026-04-01', members: [{ name: '❤️'.repeat(50), rank: 'section', unit: '县委组织部', isLeader: true }] });
      expectRefused(nested, 400);
      expect(nested.body.details.fields[0]).toMatchObject({ field: 'members.0.name', problems: [{ constraint: 'maxLength' }] });
      expect(await snapshot()).toEqual(before);
      // 100 characters outside the Basic Multilingual Plane are 100 to both.
      await admin().put('/api/calendar/days/2026-10-09').send({ isWorkday: true, name: '😀'.repeat(100) }).expect(200);
      await admin().delete('/api/calendar/days/2026-10-09').expect(200);
    });

    it('a URL too long for the HTTP parser answers 431 in the error shape', async () => {
      const res = await admin().get(`/api/organizations?q=${'x'.repeat(20000)}`);
      expectRefused(res, 431);
      expect(res.body.code).toBe('REQUEST_HEADER_TOO_LARGE');
    });
  });
});
