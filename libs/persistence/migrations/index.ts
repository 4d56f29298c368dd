import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';

/** Every migration, in order. Listed explicitly (no globs) so ts-jest and compiled code see the same set. */
export const MIGRATIONS = [InitialSchema1763800000000];
