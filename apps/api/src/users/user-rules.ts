import { ROLE_REGION_LEVELS, USER_ROLE_LABELS, type RegionLevel, type UserRole } from '../../../../libs/domain';

/** Column widths of app_user. */
export const USER_LIMITS = { username: 50, name: 50, title: 100, phone: 20 } as const;

/** Roles a township Party secretary appoints and manages in the villages of their township. */
export const TEAM_ROLES: readonly UserRole[] = ['team_leader', 'team_member'];

/**
 * The characters a username may hold: anything but spaces (as JavaScript's trim() knows them, spelled
 * out so the OpenAPI document's pattern means the same to other regex engines) and control characters.
 */
export const USERNAME_PATTERN = /^[^\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u0000-\u001f\u007f]{2,50}$/;

/** A phone number: digits, optionally after a +. */
export const PHONE_PATTERN = /^\+?[0-9]{5,19}$/;

/** Why a username (already in its one form) cannot be used; null when it can. */
export function usernameProblem(username: string): { zh: string; en: string } | null {
  if (username.length < 2 || username.length > USER_LIMITS.username) return { zh: `用户名应为 2–${USER_LIMITS.username} 个字符`, en: `A username has 2–${USER_LIMITS.username} characters` };
  if (!USERNAME_PATTERN.test(username)) return { zh: '用户名不能含空格或控制字符', en: 'A username holds no spaces or control characters' };
  return null;
}

/** A phone number as stored: digits with an optional +, - or spaces removed; null when blank. */
export function normalizePhone(raw: string | null | undefined): string | null {
  const t = (raw ?? '').replace(/[\s-]/g, '');
  return t === '' ? null : t;
}

export function phoneProblem(phone: string | null): string | null {
  if (phone === null) return null;
  return PHONE_PATTERN.test(phone) ? null : `手机号应为 5–19 位数字（可带 +），如 13800138000：${phone}`;
}

/** Where a manager stands: their role and the chain of regions above and including theirs. */
export interface Manager {
  role: UserRole;
  countyId: string;
  townshipId: string | null;
}

/** The part of an account (or a planned one) that decides who may manage it. */
export interface Placement {
  role: UserRole;
  /**
   * The region's level and the county and township above it (the township itself for a township).
   * A province or city stands for its own county, as in AuthUser: countyId is the region itself.
   */
  level: RegionLevel;
  countyId: string;
  townshipId: string | null;
  /** The region above (a city's province): who above the county may manage it. */
  parentId?: string | null;
}

/**
 * Why the manager may not hold a person at this placement (create, import, edit, move to, or give this
 * role), in Chinese; null when they may. Nobody grants a role above their own or outside their region:
 * the county organization department manages its county; a township Party secretary the team leaders
 * and members of the villages of their own township; a province's or city's organization department its
 * own department's accounts (a province also its cities'); nobody else manages accounts.
 */
export function grantProblem(manager: Manager, at: Placement): string | null {
  // Above the county (issue 17): a province organization department manages its own accounts and its
  // cities' department accounts, a city's department its own; no one above manages inside a county.
  if (manager.role === 'province_org_admin' || manager.role === 'city_org_admin') {
    if (at.role === manager.role && at.countyId === manager.countyId) return null;
    if (manager.role === 'province_org_admin' && at.role === 'city_org_admin' && at.level === 'city' && at.parentId === manager.countyId) return null;
    return manager.role === 'province_org_admin'
      ? `省委组织部只能管理本省委组织部和所辖市（州）委组织部的账号，不能在此授予“${USER_ROLE_LABELS[at.role]}”`
      : `市（州）委组织部只能管理本市（州）委组织部的账号，不能在此授予“${USER_ROLE_LABELS[at.role]}”`;
  }
  if (at.countyId !== manager.countyId) return '该区划不在本县（区）';
  if (manager.role === 'county_org_admin') return null;
  if (manager.role === 'township_party_secretary') {
    if (!TEAM_ROLES.includes(at.role)) return `乡镇党委书记只能管理本乡镇的整建队伍队长和队员，不能授予“${USER_ROLE_LABELS[at.role]}”`;
    if (at.townshipId !== manager.townshipId) return '乡镇党委书记只能管理本乡镇（街道）的人员';
    return null;
  }
  return `${USER_ROLE_LABELS[manager.role]}不能管理人员`;
}

/** Why a role cannot be held in a region of this level; null when it can. */
export function roleLevelProblem(role: UserRole, level: RegionLevel): string | null {
  const levels = ROLE_REGION_LEVELS[role];
  if (levels.includes(level)) return null;
  const words: Record<RegionLevel, string> = { province: '省（自治区、直辖市）', city: '市（州）', county: '县（区）', township: '乡镇（街道）', village: '村（社区）' };
  return `“${USER_ROLE_LABELS[role]}”须设在${levels.map((l) => words[l]).join('或')}，所选区划是${words[level]}`;
}
