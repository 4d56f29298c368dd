import type { DataSource } from 'typeorm';
import { adminCliActor, AdminCommandError, createRegionWithAdmin, type CreateRegionInput } from './create-region';

/** A county's creation: a region's, at the county level (its parent, if any, a city or a province). */
export type CreateCountyInput = Omit<CreateRegionInput, 'level'>;

export interface CreatedCounty {
  county: { id: string; code: string; name: string };
  parent: { id: string; code: string; name: string } | null;
  admin: { id: string; username: string; name: string };
  /** Shown once; only its hash is stored, and it must be changed at the first sign-in. */
  oneTimePassword: string;
}

/** A refusal of the command (kept under its first name). */
export { AdminCommandError as CreateCountyError };

/** Who did it, in the audit trail: the command run on the server, not a signed-in person. */
export const ADMIN_CLI_ACTOR = adminCliActor('create-county');

/**
 * Creates a county (its region, by its 12-digit statistical code, under the city or province of
 * `parentCode` if given) and the first account of its organization department (县委组织部) with a
 * one-time password, in one transaction with an audit entry. Refuses a second county of the same code,
 * or a username already in use, writing nothing.
 */
export async function createCounty(ds: DataSource, input: CreateCountyInput): Promise<CreatedCounty> {
  const created = await createRegionWithAdmin(ds, { ...input, level: 'county' }, 'create-county');
  return { county: { id: created.region.id, code: created.region.code, name: created.region.name }, parent: created.parent, admin: created.admin, oneTimePassword: created.oneTimePassword };
}
