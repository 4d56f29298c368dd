import type { Actor, RegionLevel, UserRole } from '../../../../libs/domain';

/** The signed-in person, as every endpoint sees them (loaded from the token and the user table). */
export interface AuthUser {
  id: string;
  username: string;
  name: string;
  title: string;
  role: UserRole;
  regionId: string;
  regionLevel: RegionLevel;
  /** The region chain above and including the user's region. */
  countyId: string;
  townshipId: string | null;
  villageId: string | null;
  /** The password is a one-time password: until it is changed, only POST /api/auth/password and logout answer. */
  mustChangePassword: boolean;
}

export function actorOf(user: AuthUser): Actor {
  return { id: user.id, name: user.name, role: user.role };
}
