import { SetMetadata } from '@nestjs/common';

export const SCOPED_BY = 'scope:by';

export type ScopedResource = 'case' | 'county' | 'task' | 'star_rating' | 'region';

export interface ScopedBy {
  resource: ScopedResource;
  /** Route parameter holding the resource's id. */
  param: string;
}

/**
 * The route acts on one case (or county, or task) named by a route parameter: the ScopeGuard answers
 * 404 before validation or any work if it lies outside the user's region, so an out-of-scope request
 * learns nothing — not even whether its body would have been valid.
 */
export const Scoped = (resource: ScopedResource, param: string) => SetMetadata(SCOPED_BY, { resource, param } satisfies ScopedBy);
