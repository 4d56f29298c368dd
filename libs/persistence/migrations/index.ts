import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';
import { PlaybookReadModel1763900000000 } from './1763900000000-PlaybookReadModel';
import { UsersAndTaskClaims1764000000000 } from './1764000000000-UsersAndTaskClaims';
import { ListIndexes1764100000000 } from './1764100000000-ListIndexes';

/** Every migration, in order. Listed explicitly (no globs) so ts-jest and compiled code see the same set. */
export const MIGRATIONS = [InitialSchema1763800000000, PlaybookReadModel1763900000000, UsersAndTaskClaims1764000000000, ListIndexes1764100000000];
