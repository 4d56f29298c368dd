import type { INestApplication, Type } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ALLOWED_ROLES, IS_PUBLIC } from '../../apps/api/src/auth/auth.decorators';
import type { UserRole } from '../../libs/domain';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

type Operation = OpenAPIObject['paths'][string]['get'] & object;

export interface Endpoint {
  method: HttpMethod;
  /** OpenAPI path template, e.g. /api/cases/{id}/visits. */
  template: string;
  /** "POST /api/cases/{id}/visits" */
  name: string;
  operation: Operation;
  /** Roles allowed by @Roles() (undefined: every signed-in user), and whether the route is @Public(). */
  roles?: UserRole[];
  isPublic: boolean;
}

/** The API's own OpenAPI document, as main.ts serves it. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(app, new DocumentBuilder().build());
}

const METHOD_NAMES: Partial<Record<RequestMethod, HttpMethod>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

const joinPath = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Roles and @Public() of every route, read from the controllers' decorators, keyed by "METHOD /api/…{param}". */
function routeGuards(app: INestApplication): Map<string, { roles?: UserRole[]; isPublic: boolean }> {
  const out = new Map<string, { roles?: UserRole[]; isPublic: boolean }>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      for (const key of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[key];
        if (typeof handler !== 'function' || key === 'constructor') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = METHOD_NAMES[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        if (path === undefined || !method) continue;
        const roles = (Reflect.getMetadata(ALLOWED_ROLES, handler) ?? Reflect.getMetadata(ALLOWED_ROLES, controller)) as UserRole[] | undefined;
        const isPublic = Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller));
        for (const b of [base ?? ''].flat()) for (const p of [path].flat()) out.set(`${method.toUpperCase()} ${joinPath('api', b, p)}`, { roles, isPublic });
      }
    }
  }
  return out;
}

/** Every operation of the OpenAPI document (so a new endpoint is covered the day it is added), with its guards. */
export function apiEndpoints(app: INestApplication): Endpoint[] {
  const doc = openApiDocument(app);
  const guards = routeGuards(app);
  const out: Endpoint[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const name = `${method.toUpperCase()} ${template}`;
      const guard = guards.get(name);
      if (!guard) throw new Error(`${name} is in the OpenAPI document but no controller route matches it`);
      out.push({ method, template, name, operation, roles: guard.roles, isPublic: guard.isPublic });
    }
  }
  return out;
}

/** The path with each {param} replaced by values[param] (URL-encoded), or by `fallback` if not given. */
export function fillPath(template: string, values: Record<string, string>, fallback = 'p1'): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? fallback));
}

/** The one error shape of the API. */
export function hasErrorShape(status: number, body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return (
    b.statusCode === status &&
    typeof b.code === 'string' &&
    b.code.length > 0 &&
    typeof b.message === 'string' &&
    /[\u4e00-\u9fff]/.test(b.message) &&
    typeof b.messageEn === 'string' &&
    b.messageEn.length > 0
  );
}
