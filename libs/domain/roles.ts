import type { RegionLevel } from './organization';

/** Roles of the people who use the system, each bound to a region (DOMAIN.md, "Who uses it"). */
export const USER_ROLES = [
  'province_org_admin',
  'city_org_admin',
  'county_org_admin',
  'county_party_secretary',
  'county_leader',
  'township_party_secretary',
  'team_leader',
  'team_member',
  'inspector',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const USER_ROLE_LABELS: Record<UserRole, string> = {
  province_org_admin: '省委组织部',
  city_org_admin: '市（州）委组织部',
  county_org_admin: '县委组织部',
  county_party_secretary: '县委书记',
  county_leader: '县级领导',
  township_party_secretary: '乡镇党委书记',
  team_leader: '整建队伍队长',
  team_member: '整建队伍队员',
  inspector: '督查（只读）',
};

/**
 * The level of region each role is bound to. An inspector may be bound to a county or a township. The
 * organization departments above the county (issue 17) see their counties' cases read-only.
 */
export const ROLE_REGION_LEVELS: Record<UserRole, RegionLevel[]> = {
  province_org_admin: ['province'],
  city_org_admin: ['city'],
  county_org_admin: ['county'],
  county_party_secretary: ['county'],
  county_leader: ['county'],
  township_party_secretary: ['township'],
  team_leader: ['village'],
  team_member: ['village'],
  inspector: ['county', 'township'],
};

export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value);
}

/** Who did something: every change of a case carries it. */
export interface Actor {
  id: string;
  name: string;
  role: UserRole | 'system';
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: '系统', role: 'system' };
